//! Collections: editors keep named, ordered lists of articles; readers see
//! the published ones, in order, through both APIs.

use serde_json::{Value, json};

use super::{act, draft};
use crate::fixtures::demo_slugs;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

fn slugs(collection: &Value) -> Vec<&str> {
    collection["articles"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap()).collect()
}

async fn id_of(app: &TestApp, slug: &str) -> String {
    app.get_json(&format!("/api/v1/articles/{slug}")).await["id"].as_str().unwrap().to_owned()
}

async fn the_demo_has_curated_top_stories(app: TestApp) {
    app.seed_demo();
    let all = app.get_json("/api/v1/collections").await;
    let found: Vec<&str> =
        all["data"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(found, ["editors-picks", "top-stories"], "in slug order");
    let top = app.get_json("/api/v1/collections/top-stories").await;
    assert_eq!(top["name"], "Top stories");
    let curated = crate::fixtures::demo()["collections"][0]["articles"].clone();
    assert_eq!(json!(slugs(&top)), curated, "in the editors' order, not by time");
    assert_eq!(top["articles"][0]["breaking"], true, "the demo leads with its breaking story");
    let graphql =
        app.gql_ok(None, "{ collection(slug: \"top-stories\") { name articles { slug } } }", json!({})).await;
    assert_eq!(graphql["collection"]["articles"].as_array().unwrap().len(), 5);
    // A listed story's section renamed: the collection shows it at once.
    let section = top["articles"][0]["category"]["slug"].as_str().unwrap().to_owned();
    let editor = app.sign_in_as("editor").await;
    let renamed = app
        .patch(
            &format!("/api/v1/categories/{section}"),
            Some(&editor.access),
            None,
            &json!({"name": "Skies"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let top = app.get_json("/api/v1/collections/top-stories").await;
    assert_eq!(top["articles"][0]["category"]["name"], "Skies");
    let all = app.get_json("/api/v1/collections").await;
    assert_eq!(all["data"][1]["articles"][0]["category"]["name"], "Skies");
    let missing = app.gql_ok(None, "{ collection(slug: \"nope\") { name } }", json!({})).await;
    assert_eq!(missing["collection"], Value::Null);
    assert_problem(app.get("/api/v1/collections/nope").await, 404, "NOT_FOUND").await;
}

async fn editors_order_collections_readers_see_what_is_published(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let made = app
        .post(
            "/api/v1/collections",
            Some(&editor.access),
            &json!({"name": "Morning briefing", "max_items": 3}),
        )
        .await;
    assert_eq!(made.status(), 201);
    assert_eq!(made.headers()["location"], "/api/v1/collections/morning-briefing");
    let made: Value = made.json().await.unwrap();
    assert_eq!((made["version"].as_i64(), made["max_items"].as_i64()), (Some(1), Some(3)));
    assert_eq!(made["articles"], json!([]));
    let taken =
        app.post("/api/v1/collections", Some(&editor.access), &json!({"name": "Morning briefing"})).await;
    assert_problem(taken, 409, "CONFLICT").await;

    let published = demo_slugs("published");
    let (first, second) = (&published[0], &published[1]);
    let (p1, p2) = (id_of(&app, first).await, id_of(&app, second).await);
    let story = draft(&app, &editor, "Tunnel reopens after flooding").await;
    let queued = story["id"].as_str().unwrap().to_owned();
    let items = "/api/v1/collections/morning-briefing/items";
    let path = "/api/v1/collections/morning-briefing";

    let set =
        app.put(items, Some(&editor.access), Some("\"1\""), &json!({"article_ids": [p1, queued, p2]})).await;
    assert_eq!(set.status(), 200);
    let etag = set.headers()["etag"].to_str().unwrap().to_owned();
    let set: Value = set.json().await.unwrap();
    assert_eq!(set["version"], 2);
    assert_eq!(slugs(&set).len(), 3, "editors see a queued draft");
    let public = app.get_json(path).await;
    assert_eq!(slugs(&public), [first.as_str(), second.as_str()], "readers see only what is published");

    // The draft goes live: the collection shows it at once, in its place.
    assert_eq!(act(&app, &editor, &queued, "publish").await.status(), 200);
    let public = app.get_json(path).await;
    assert_eq!(slugs(&public), [first.as_str(), "tunnel-reopens-after-flooding", second.as_str()]);

    // Moving and removing are one write of the whole list, at the version read (the ETag works too).
    let moved = app.put(items, Some(&editor.access), Some(&etag), &json!({"article_ids": [p2, p1]})).await;
    assert_eq!(moved.status(), 200);
    assert_eq!(slugs(&app.get_json(path).await), [second.as_str(), first.as_str()]);

    // A stale version, a missing one, and refused lists change nothing.
    let stale = app.put(items, Some(&editor.access), Some("\"2\""), &json!({"article_ids": [p1]})).await;
    assert_problem(stale, 412, "PRECONDITION_FAILED").await;
    let blind = app.put(items, Some(&editor.access), None, &json!({"article_ids": [p1]})).await;
    assert_problem(blind, 428, "PRECONDITION_REQUIRED").await;
    for bad in [
        json!({"article_ids": [p1, p2, queued, id_of(&app, &published[2]).await]}),
        json!({"article_ids": [p1, p1]}),
        json!({"article_ids": [uuid::Uuid::now_v7()]}),
        json!({"article_ids": ["not-an-id"]}),
        json!({"ids": []}),
    ] {
        let refused = app.put(items, Some(&editor.access), Some("\"3\""), &bad).await;
        let problem = assert_problem(refused, 400, "VALIDATION_FAILED").await;
        if bad.get("article_ids").is_some_and(|ids| ids[0] != "not-an-id") {
            assert_eq!(problem["errors"][0]["field"], "article_ids", "{problem}");
        }
    }
    let shrink = app.patch(path, Some(&editor.access), None, &json!({"max_items": 1})).await;
    let problem = assert_problem(shrink, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "max_items");
    let unchanged = app.get_json(path).await;
    assert_eq!((unchanged["version"].as_i64(), unchanged["max_items"].as_i64()), (Some(3), Some(3)));
    assert_eq!(slugs(&unchanged), [second.as_str(), first.as_str()]);

    // GraphQL orders alike, with the same version check.
    let query = "mutation($v: Int!, $ids: [ID!]!) { setCollectionItems(slug: \"morning-briefing\", expectedVersion: $v, articleIds: $ids) { version articles { slug } } }";
    let (_, body) = app.gql(Some(&editor.access), query, json!({"v": 2, "ids": [p1]})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "PRECONDITION_FAILED", "{body}");
    let done = app.gql_ok(Some(&editor.access), query, json!({"v": 3, "ids": [queued, p1]})).await;
    assert_eq!(done["setCollectionItems"]["version"], 4);
    let read = app.gql_ok(None, "{ collections { slug articles { slug } } }", json!({})).await;
    let briefing =
        read["collections"].as_array().unwrap().iter().find(|c| c["slug"] == "morning-briefing").unwrap();
    assert_eq!(briefing["articles"][0]["slug"], "tunnel-reopens-after-flooding");
    let (_, body) = app.gql(None, query, json!({"v": 4, "ids": []})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");

    // An article deleted leaves the collection; a collection deleted leaves its articles.
    assert_eq!(app.delete(&format!("/api/v1/articles/{queued}"), Some(&editor.access)).await.status(), 204);
    assert_eq!(slugs(&app.get_json(path).await), [first.as_str()]);
    let renamed =
        app.patch(path, Some(&editor.access), Some("\"4\""), &json!({"name": "Evening briefing"})).await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(app.delete(path, Some(&editor.access)).await.status(), 204);
    assert_problem(app.get(path).await, 404, "NOT_FOUND").await;
    assert_eq!(app.get(&format!("/api/v1/articles/{first}")).await.status(), 200);
}

on_both_backends!(the_demo_has_curated_top_stories, editors_order_collections_readers_see_what_is_published);
