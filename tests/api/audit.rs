//! The audit log: every staff action, written with it, read by admins.

use serde_json::{Value, json};

use crate::editorial::{act, draft};
use crate::fixtures::make_due;
use crate::helpers::{Session, TestApp, assert_problem};
use crate::on_both_backends;

async fn log(app: &TestApp, admin: &Session, query: &str) -> Value {
    let response = app.get_as(&format!("/api/v1/audit{query}"), &admin.access).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// `(action, actor's id or null, before, after)` of each entry, newest first.
fn entries(page: &Value) -> Vec<(String, Value, Value, Value)> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"]["id"].clone(),
                e["before_version"].clone(),
                e["after_version"].clone(),
            )
        })
        .collect()
}

async fn staff_actions_are_logged_as_they_happen(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let editor = app.sign_in_as("editor").await;
    let author = app.sign_in_as("author").await;
    let article = draft(&app, &author, "Lock gates replaced").await;
    let id = article["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/articles/{id}");
    let edit = app.patch(&path, Some(&author.access), Some("\"1\""), &json!({"summary": "New gates."})).await;
    assert_eq!(edit.status(), 200);
    // Refused actions leave nothing behind: a stale edit, a reader's delete.
    let stale = app.patch(&path, Some(&author.access), Some("\"1\""), &json!({"summary": "Stale."})).await;
    assert_problem(stale, 412, "PRECONDITION_FAILED").await;
    let reader = app.sign_in_as("reader").await;
    assert_problem(app.delete(&path, Some(&reader.access)).await, 403, "FORBIDDEN").await;
    assert_eq!(act(&app, &editor, &id, "publish").await.status(), 200);
    let note = json!({"kind": "correction", "text": "The gates are oak."});
    assert_eq!(app.post(&format!("{path}/corrections"), Some(&editor.access), &note).await.status(), 201);
    assert_eq!(app.delete(&path, Some(&editor.access)).await.status(), 204);
    let restored = app.post(&format!("{path}/restore"), Some(&editor.access), &json!({})).await;
    assert_eq!(restored.status(), 201);

    let (a, e) = (json!(author.id), json!(editor.id));
    let of_article = log(&app, &admin, &format!("?target={id}")).await;
    assert_eq!(
        entries(&of_article),
        vec![
            ("article_restore".to_owned(), e.clone(), Value::Null, json!(4)),
            ("article_delete".to_owned(), e.clone(), json!(4), Value::Null),
            ("correction_add".to_owned(), e.clone(), json!(3), json!(4)),
            ("article_publish".to_owned(), e.clone(), json!(2), json!(3)),
            ("article_update".to_owned(), a.clone(), json!(1), json!(2)),
            ("article_create".to_owned(), a.clone(), Value::Null, json!(1)),
        ]
    );
    let first = &of_article["data"][0];
    assert_eq!(first["target"], "article");
    assert_eq!(first["target_id"], id.as_str());
    assert_eq!(first["actor"]["display_name"], "Test editor");

    // Sections, tags and accounts too; and the scheduler, as nobody.
    let tag = app.post("/api/v1/tags", Some(&editor.access), &json!({"name": "Canals"})).await;
    assert_eq!(tag.status(), 201);
    let tag: Value = tag.json().await.unwrap();
    let promoted = app
        .patch(&format!("/api/v1/users/{}", author.id), Some(&admin.access), None, &json!({"role": "editor"}))
        .await;
    assert_eq!(promoted.status(), 200);
    let later = draft(&app, &editor, "Weir works").await;
    let later_id = later["id"].as_str().unwrap().to_owned();
    let at = json!({"at": (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339()});
    let scheduled =
        app.post(&format!("/api/v1/articles/{later_id}/schedule"), Some(&editor.access), &at).await;
    assert_eq!(scheduled.status(), 200);
    make_due(app.services.db(), &later_id, 1);
    assert_eq!(app.services.publish_due().await.unwrap().len(), 1);

    let newest = log(&app, &admin, "?limit=3").await;
    assert_eq!(
        entries(&newest),
        vec![
            ("article_publish".to_owned(), Value::Null, json!(2), json!(3)),
            ("article_schedule".to_owned(), e.clone(), json!(1), json!(2)),
            ("article_create".to_owned(), e.clone(), Value::Null, json!(1)),
        ],
        "the scheduler's move is nobody's"
    );
    assert!(newest["data"][0]["actor"].is_null());
    let cursor = newest["next_cursor"].as_str().unwrap();
    let next = log(&app, &admin, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(
        entries(&next).into_iter().map(|e| e.0).collect::<Vec<_>>(),
        vec!["user_update", "tag_create"],
        "the next page follows on"
    );
    assert_eq!(next["data"][0]["target_id"], author.id.as_str());
    assert_eq!(next["data"][1]["target_id"], tag["id"]);

    // Filters: by actor, by action, by time.
    let by_author = log(&app, &admin, &format!("?actor={}", author.id)).await;
    assert_eq!(by_author["data"].as_array().unwrap().len(), 2);
    let publishes = log(&app, &admin, "?action=article_publish").await;
    assert_eq!(publishes["data"].as_array().unwrap().len(), 2);
    let stamp = |e: &Value| e["at"].as_str().unwrap().to_owned();
    let (newest_at, oldest_at) = (stamp(&publishes["data"][0]), stamp(&publishes["data"][1]));
    let window = log(&app, &admin, &format!("?action=article_publish&from={oldest_at}&to={newest_at}")).await;
    let window = window["data"].as_array().unwrap();
    assert_eq!(window.len(), 1, "`from` is inclusive, `to` exclusive");
    assert_eq!(stamp(&window[0]), oldest_at);

    // Admins only; bad filters are named.
    assert_problem(app.get("/api/v1/audit").await, 401, "UNAUTHENTICATED").await;
    assert_problem(app.get_as("/api/v1/audit", &editor.access).await, 403, "FORBIDDEN").await;
    for query in ["?action=publish", "?target=nope", "?actor=nope", "?from=yesterday", "?cursor=zzz"] {
        let response = app.get_as(&format!("/api/v1/audit{query}"), &admin.access).await;
        assert_problem(response, 400, "VALIDATION_FAILED").await;
    }
}

async fn graphql_reads_the_log_with_the_same_filters(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let editor = app.sign_in_as("editor").await;
    let created = app
        .gql_ok(Some(&editor.access), "mutation { createTag(input: {name: \"Locks\"}) { id } }", json!({}))
        .await;
    let tag = created["createTag"]["id"].as_str().unwrap();
    let query = "query($actor: ID, $target: ID) { auditLog(first: 5, actor: $actor, target: $target, action: TAG_CREATE) { \
                 edges { node { action target targetId actor { id displayName } beforeVersion afterVersion at } } } }";
    let read = app.gql_ok(Some(&admin.access), query, json!({"actor": editor.id, "target": tag})).await;
    let edges = read["auditLog"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    let node = &edges[0]["node"];
    assert_eq!(node["action"], "TAG_CREATE");
    assert_eq!(node["target"], "TAG");
    assert_eq!(node["targetId"], tag);
    assert_eq!(node["actor"]["displayName"], "Test editor");
    assert!(node["beforeVersion"].is_null() && node["afterVersion"].is_null(), "tags have no versions");
    let (_, denied) = app.gql(Some(&editor.access), query, json!({})).await;
    assert_eq!(denied["errors"][0]["extensions"]["code"], "FORBIDDEN", "{denied}");
    let (_, bad) = app.gql(Some(&admin.access), query, json!({"target": "nope"})).await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{bad}");
}

async fn moderation_is_logged(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let editor = app.sign_in_as("editor").await;
    let reader = app.sign_in_as("reader").await;
    let other = app.sign_in_as("reader").await;
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let posted = app
        .post(&format!("/api/v1/articles/{slug}/comments"), Some(&reader.access), &json!({"body": "Hm."}))
        .await;
    let id = posted.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let report = json!({"reason": "off_topic"});
    let reported = app.post(&format!("/api/v1/comments/{id}/reports"), Some(&other.access), &report).await;
    assert_eq!(reported.status(), 201);
    for step in ["approve", "hide", "unhide"] {
        let done = app.post(&format!("/api/v1/comments/{id}/{step}"), Some(&editor.access), &json!({})).await;
        assert_eq!(done.status(), 200, "{step}");
    }
    let logged = log(&app, &admin, &format!("?target={id}")).await;
    let actions: Vec<String> = entries(&logged).into_iter().map(|e| e.0).collect();
    assert_eq!(
        actions,
        ["comment_unhide", "comment_hide", "comment_approve"],
        "a reader's report is not staff's"
    );
    assert!(
        logged["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["target"] == "comment" && e["actor"]["id"] == editor.id.as_str())
    );
}

on_both_backends!(
    staff_actions_are_logged_as_they_happen,
    graphql_reads_the_log_with_the_same_filters,
    moderation_is_logged,
);
