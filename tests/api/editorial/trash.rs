//! Deleting into the trash, and restoring from it, in both APIs.

use serde_json::{Value, json};

use super::draft;
use crate::fixtures::{age_trash, demo_slugs};
use crate::helpers::{Session, TestApp, assert_problem};
use crate::on_both_backends;

/// Everything a reader and an editor can see of an article and under it.
async fn everything(app: &TestApp, editor: &Session, slug: &str) -> Value {
    let read = |path: String| async move {
        let response = app.get_as(&path, &editor.access).await;
        assert_eq!(response.status(), 200, "{path}");
        response.json::<Value>().await.unwrap()
    };
    let article = read(format!("/api/v1/articles/{slug}")).await;
    let id = article["id"].as_str().unwrap().to_owned();
    let comments = read(format!("/api/v1/articles/{id}/comments")).await;
    let first = comments["data"][0]["id"].as_str().unwrap().to_owned();
    json!({
        "article": article,
        "comments": comments,
        "replies": read(format!("/api/v1/articles/{id}/comments?parent={first}")).await,
        "revisions": read(format!("/api/v1/articles/{id}/revisions")).await,
    })
}

async fn trash(app: &TestApp, editor: &Session) -> Vec<Value> {
    let response = app.get_as("/api/v1/trash", &editor.access).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["data"].as_array().unwrap().clone()
}

async fn deleted_articles_come_back_whole(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let reader = app.sign_in_as("reader").await;
    let slug = demo_slugs("published")[0].clone();
    let path = format!("/api/v1/articles/{slug}");
    let current = app.get_json(&path).await;
    let id = current["id"].as_str().unwrap().to_owned();

    // Give it a revision, a note, a comment and a reply of its own.
    let version = format!("\"{}\"", current["version"]);
    let summary = json!({"summary": "A summary from before the deletion."});
    let edited = app.patch(&path, Some(&editor.access), Some(&version), &summary).await;
    assert_eq!(edited.status(), 200);
    let note = json!({"kind": "update", "text": "Figures for the third quarter added."});
    assert_eq!(app.post(&format!("{path}/corrections"), Some(&editor.access), &note).await.status(), 201);
    let comments = format!("/api/v1/articles/{id}/comments");
    let comment: Value =
        app.post(&comments, Some(&reader.access), &json!({"body": "Kept?"})).await.json().await.unwrap();
    let reply = json!({"body": "Kept.", "parent_id": comment["id"]});
    assert_eq!(app.post(&comments, Some(&editor.access), &reply).await.status(), 201);
    let before = everything(&app, &editor, &slug).await;
    assert_eq!(app.get(&path).await.status(), 200, "cached for readers");

    assert_eq!(app.delete(&path, Some(&editor.access)).await.status(), 204);
    assert_problem(app.get(&path).await, 404, "NOT_FOUND").await;
    assert_problem(app.get_as(&format!("/api/v1/articles/{id}"), &editor.access).await, 404, "NOT_FOUND")
        .await;
    let feed = app.get_json("/api/v1/articles?limit=100").await;
    assert!(feed["data"].as_array().unwrap().iter().all(|a| a["id"] != id.as_str()), "gone from the feed");

    let listed = trash(&app, &editor).await;
    assert_eq!(listed.len(), 1);
    let entry = &listed[0];
    assert_eq!(entry["id"], id.as_str());
    assert_eq!(entry["slug"], slug.as_str());
    assert_eq!(entry["status"], "published");
    assert_eq!(entry["version"], before["article"]["version"]);
    assert_eq!(entry["comment_count"], before["article"]["comment_count"]);
    assert_eq!(entry["deleted_by"]["display_name"], "Test editor");
    let at = |field: &str| chrono::DateTime::parse_from_rfc3339(entry[field].as_str().unwrap()).unwrap();
    assert_eq!(at("purge_at") - at("deleted_at"), chrono::Duration::days(30), "the default window");

    let restored =
        app.post(&format!("/api/v1/articles/{id}/restore"), Some(&editor.access), &json!({})).await;
    assert_eq!(restored.status(), 201);
    assert_eq!(restored.headers()["location"], format!("/api/v1/articles/{id}").as_str());
    let restored: Value = restored.json().await.unwrap();
    assert_eq!(restored, before["article"], "the article as it was");
    assert_eq!(everything(&app, &editor, &slug).await, before, "and everything under it");
    assert_eq!(app.get(&path).await.status(), 200, "public again");
    let feed = app.get_json("/api/v1/articles?limit=100").await;
    assert!(feed["data"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()), "back in the feed");
    let word =
        before["article"]["title"].as_str().unwrap().split_whitespace().max_by_key(|w| w.len()).unwrap();
    let found = app
        .get_json(&format!("/api/v1/articles?q={}", word.trim_matches(|c: char| !c.is_alphanumeric())))
        .await;
    assert!(found["data"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()), "and in search");
    assert!(trash(&app, &editor).await.is_empty(), "out of the trash");
    let again = app.post(&format!("/api/v1/articles/{id}/restore"), Some(&editor.access), &json!({})).await;
    assert_problem(again, 404, "NOT_FOUND").await;
}

async fn restoring_is_refused_past_the_window_and_over_a_taken_slug(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let author = app.sign_in_as("author").await;
    let restore = |id: &str| format!("/api/v1/articles/{id}/restore");

    // Past the window: gone from the list, and a 404.
    let old = draft(&app, &author, "Pier reopens").await;
    let old_id = old["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/articles/{old_id}"), Some(&editor.access)).await.status(), 204);
    age_trash(app.services.db(), old_id, 29);
    assert_eq!(trash(&app, &editor).await.len(), 1, "still inside the window");
    age_trash(app.services.db(), old_id, 31);
    assert!(trash(&app, &editor).await.is_empty(), "past the window");
    assert_problem(app.post(&restore(old_id), Some(&editor.access), &json!({})).await, 404, "NOT_FOUND")
        .await;
    // The scheduler's purge forgets it for good, and only it.
    let kept = draft(&app, &author, "Pier lights").await;
    let kept_id = kept["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/articles/{kept_id}"), Some(&editor.access)).await.status(), 204);
    app.services.forget_expired().await.unwrap();
    age_trash(app.services.db(), old_id, 1);
    let listed = trash(&app, &editor).await;
    assert_eq!(listed.len(), 1, "purged, not only hidden: {listed:?}");
    assert_eq!(listed[0]["id"], kept_id, "what is inside the window stays");
    assert_eq!(app.post(&restore(kept_id), Some(&editor.access), &json!({})).await.status(), 201);

    // Its slug taken meanwhile: a conflict, and it stays in the trash.
    let first = draft(&app, &author, "Ferry timetable").await;
    let first_id = first["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/articles/{first_id}"), Some(&editor.access)).await.status(), 204);
    let second = draft(&app, &author, "Ferry timetable").await;
    assert_eq!(second["slug"], first["slug"], "the slug is free once deleted");
    let refused = app.post(&restore(first_id), Some(&editor.access), &json!({})).await;
    assert_problem(refused, 409, "CONFLICT").await;
    assert_eq!(trash(&app, &editor).await.len(), 1);
    let path = format!("/api/v1/articles/{}", second["id"].as_str().unwrap());
    let renamed =
        app.patch(&path, Some(&editor.access), Some("\"1\""), &json!({"slug": "ferry-timetable-2027"})).await;
    assert_eq!(renamed.status(), 200);
    let renamed = app.post(&restore(first_id), Some(&editor.access), &json!({})).await;
    assert_eq!(renamed.status(), 201, "the slug is free again");

    // Tags deleted or renamed meanwhile: left out, or shown as they are now.
    let made = app.post("/api/v1/tags", Some(&editor.access), &json!({"name": "Quays"})).await;
    assert_eq!(made.status(), 201);
    let tagged = draft(&app, &author, "Quay walls").await;
    let tagged_id = tagged["id"].as_str().unwrap();
    let path = format!("/api/v1/articles/{tagged_id}");
    let retag =
        app.patch(&path, Some(&editor.access), Some("\"1\""), &json!({"tags": ["energy", "quays"]})).await;
    assert_eq!(retag.status(), 200);
    assert_eq!(app.delete(&path, Some(&editor.access)).await.status(), 204);
    assert_eq!(app.delete("/api/v1/tags/quays", Some(&editor.access)).await.status(), 204);
    let rename =
        app.patch("/api/v1/tags/energy", Some(&editor.access), None, &json!({"name": "Power"})).await;
    assert_eq!(rename.status(), 200);
    let back = app.post(&restore(tagged_id), Some(&editor.access), &json!({})).await;
    assert_eq!(back.status(), 201);
    let back: Value = back.json().await.unwrap();
    let names: Vec<&str> =
        back["tags"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Power"]);

    // Who may, and what is not in the trash.
    let reader = app.sign_in_as("reader").await;
    assert_problem(app.get("/api/v1/trash").await, 401, "UNAUTHENTICATED").await;
    assert_problem(app.get_as("/api/v1/trash", &author.access).await, 403, "FORBIDDEN").await;
    assert_problem(app.get_as("/api/v1/trash", &reader.access).await, 403, "FORBIDDEN").await;
    let unknown = uuid::Uuid::now_v7().to_string();
    for id in [unknown.as_str(), "not-an-id", first_id] {
        assert_problem(app.post(&restore(id), Some(&editor.access), &json!({})).await, 404, "NOT_FOUND")
            .await;
    }
    assert_problem(app.get_as("/api/v1/trash?cursor=zzz", &editor.access).await, 400, "VALIDATION_FAILED")
        .await;
}

async fn the_trash_pages_and_restores_over_graphql(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let author = app.sign_in_as("author").await;
    let mut ids = Vec::new();
    for title in ["Bridge closes", "Bridge opens", "Bridge repainted"] {
        let article = draft(&app, &author, title).await;
        let id = article["id"].as_str().unwrap().to_owned();
        let deleted = app
            .gql_ok(Some(&editor.access), "mutation($id: ID!) { deleteArticle(id: $id) }", json!({"id": id}))
            .await;
        assert_eq!(deleted["deleteArticle"], true);
        ids.push(id);
    }

    let page = "query($after: String) { trash(first: 2, after: $after) { edges { node { id title status \
                deletedBy { displayName } deletedAt purgeAt } } pageInfo { hasNextPage endCursor } } }";
    let first = app.gql_ok(Some(&editor.access), page, json!({"after": null})).await;
    let nodes = first["trash"]["edges"].as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    assert_eq!(nodes[0]["node"]["id"], ids[2].as_str(), "most recently deleted first");
    assert_eq!(nodes[0]["node"]["status"], "DRAFT");
    assert_eq!(nodes[0]["node"]["deletedBy"]["displayName"], "Test editor");
    assert_eq!(first["trash"]["pageInfo"]["hasNextPage"], true);
    let after = first["trash"]["pageInfo"]["endCursor"].clone();
    let rest = app.gql_ok(Some(&editor.access), page, json!({"after": after})).await;
    let rest = rest["trash"]["edges"].as_array().unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["node"]["id"], ids[0].as_str());

    let restore = "mutation($id: ID!) { restoreArticle(id: $id) { id title status version } }";
    let back = app.gql_ok(Some(&editor.access), restore, json!({"id": ids[1]})).await;
    assert_eq!(
        back["restoreArticle"],
        json!({"id": ids[1], "title": "Bridge opens", "status": "DRAFT", "version": 1})
    );
    let (_, again) = app.gql(Some(&editor.access), restore, json!({"id": ids[1]})).await;
    assert_eq!(again["errors"][0]["extensions"]["code"], "NOT_FOUND", "{again}");
    let (_, denied) = app.gql(Some(&author.access), restore, json!({"id": ids[0]})).await;
    assert_eq!(denied["errors"][0]["extensions"]["code"], "FORBIDDEN", "{denied}");
    let (_, denied) = app.gql(Some(&author.access), "{ trash { edges { cursor } } }", json!({})).await;
    assert_eq!(denied["errors"][0]["extensions"]["code"], "FORBIDDEN", "{denied}");
    let author_view = app.get_as(&format!("/api/v1/articles/{}", ids[1]), &author.access).await;
    assert_eq!(author_view.status(), 200, "its author works on it again");
}

on_both_backends!(
    deleted_articles_come_back_whole,
    restoring_is_refused_past_the_window_and_over_a_taken_slug,
    the_trash_pages_and_restores_over_graphql,
);

async fn the_window_is_a_setting(backend: crate::helpers::Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.trash_retention_days = 2).await;
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let author = app.sign_in_as("author").await;
    let article = draft(&app, &author, "Quay lights").await;
    let id = article["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/articles/{id}"), Some(&editor.access)).await.status(), 204);
    let listed = trash(&app, &editor).await;
    let at = |field: &str| chrono::DateTime::parse_from_rfc3339(listed[0][field].as_str().unwrap()).unwrap();
    assert_eq!(at("purge_at") - at("deleted_at"), chrono::Duration::days(2));
    age_trash(app.services.db(), id, 3);
    let restore = app.post(&format!("/api/v1/articles/{id}/restore"), Some(&editor.access), &json!({})).await;
    assert_problem(restore, 404, "NOT_FOUND").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_is_a_setting_on_sqlite() {
    the_window_is_a_setting(crate::helpers::Backend::Sqlite).await;
}
