//! Revisions compared and restored, in both APIs.

use serde_json::{Value, json};

use super::draft;
use crate::helpers::{Session, TestApp, assert_problem};
use crate::on_both_backends;

/// Edits `id` at `version` as `who`, asserting it is taken.
async fn edit(app: &TestApp, who: &Session, id: &str, version: i64, body: Value) -> Value {
    let response = app
        .patch(&format!("/api/v1/articles/{id}"), Some(&who.access), Some(&format!("\"{version}\"")), &body)
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// The text a field's runs rebuild, without the runs of `skip`.
fn rebuild(spans: &Value, skip: &str) -> String {
    spans
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["change"] != skip)
        .map(|s| s["text"].as_str().unwrap())
        .collect()
}

async fn revisions_are_compared_and_restored(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let article = draft(&app, &author, "Harbour tolls to rise").await;
    let id = article["id"].as_str().unwrap().to_owned();
    edit(
        &app,
        &author,
        &id,
        1,
        json!({"title": "Harbour tolls to rise in spring", "body": "First paragraph.\n\nA new second one."}),
    )
    .await;
    let current = edit(&app, &author, &id, 2, json!({"summary": "Ferries are exempt."})).await;
    assert_eq!(current["version"], 3);

    let diff = app.get_as(&format!("/api/v1/articles/{id}/revisions/1/diff"), &author.access).await;
    assert_eq!(diff.status(), 200);
    let diff: Value = diff.json().await.unwrap();
    assert_eq!((diff["from_version"].as_i64(), diff["to_version"].as_i64()), (Some(1), Some(3)));
    assert_eq!(rebuild(&diff["title"], "insert"), "Harbour tolls to rise");
    assert_eq!(rebuild(&diff["title"], "delete"), "Harbour tolls to rise in spring");
    assert_eq!(rebuild(&diff["body"], "delete"), "First paragraph.\n\nA new second one.");
    assert_eq!(rebuild(&diff["summary"], "insert"), "A standfirst.");
    let inserted: Vec<&str> = diff["title"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["change"] == "insert")
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(inserted.concat().trim(), "in spring", "titles compare word by word");

    let between =
        app.get_as(&format!("/api/v1/articles/{id}/revisions/1/diff?against=2"), &author.access).await;
    let between: Value = between.json().await.unwrap();
    assert_eq!(between["to_version"], 2);
    assert_eq!(rebuild(&between["summary"], "delete"), "A standfirst.", "the summary changed only at 3");

    // Failure paths: no such version, not a version, not allowed.
    for (path, status, code) in [
        (format!("/api/v1/articles/{id}/revisions/9/diff"), 404, "NOT_FOUND"),
        (format!("/api/v1/articles/{id}/revisions/1/diff?against=9"), 404, "NOT_FOUND"),
        (format!("/api/v1/articles/{id}/revisions/x/diff"), 400, "VALIDATION_FAILED"),
        (format!("/api/v1/articles/{id}/revisions/1/diff?against=0"), 400, "VALIDATION_FAILED"),
    ] {
        assert_problem(app.get_as(&path, &author.access).await, status, code).await;
    }
    assert_problem(app.get(&format!("/api/v1/articles/{id}/revisions/1/diff")).await, 401, "UNAUTHENTICATED")
        .await;
    let reader = app.sign_in_as("reader").await;
    let path = format!("/api/v1/articles/{id}/revisions/1/diff");
    assert_problem(app.get_as(&path, &reader.access).await, 403, "FORBIDDEN").await;

    // Restoring is an edit: a new version, the replaced text kept, a stale version refused.
    let restore = format!("/api/v1/articles/{id}/revisions/1/restore");
    let stale =
        app.client.post(app.url(&restore)).bearer_auth(&author.access).header("If-Match", "\"2\"").send();
    assert_problem(stale.await.unwrap(), 412, "PRECONDITION_FAILED").await;
    let restored = app.client.post(app.url(&restore)).bearer_auth(&author.access).header("If-Match", "\"3\"");
    let restored = restored.send().await.unwrap();
    assert_eq!(restored.status(), 200);
    let restored: Value = restored.json().await.unwrap();
    assert_eq!(restored["version"], 4);
    assert_eq!(restored["title"], "Harbour tolls to rise");
    assert_eq!(restored["summary"], "A standfirst.");
    assert_eq!(restored["body"], article["body"]);
    let listed = app.get_as(&format!("/api/v1/articles/{id}/revisions"), &author.access).await;
    let listed: Value = listed.json().await.unwrap();
    assert_eq!(listed["data"][0]["version"], 3, "the text replaced is a revision in turn");
    assert_eq!(listed["data"][0]["summary"], "Ferries are exempt.");
    let missing = format!("/api/v1/articles/{id}/revisions/42/restore");
    assert_problem(app.post(&missing, Some(&author.access), &json!({})).await, 404, "NOT_FOUND").await;

    // GraphQL compares and restores alike.
    let graphql = app
        .gql_ok(
            Some(&author.access),
            "query($id: ID!) { article(id: $id) { revisionDiff(version: 3) { fromVersion toVersion summary { change text } } } }",
            json!({"id": id}),
        )
        .await;
    let diff = &graphql["article"]["revisionDiff"];
    assert_eq!((diff["fromVersion"].as_i64(), diff["toVersion"].as_i64()), (Some(3), Some(4)));
    assert!(diff["summary"].as_array().unwrap().iter().any(|s| s["change"] == "DELETE"));
    let back = app
        .gql_ok(
            Some(&author.access),
            "mutation($id: ID!) { restoreRevision(articleId: $id, version: 3, expectedVersion: 4) { version summary } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(back["restoreRevision"], json!({"version": 5, "summary": "Ferries are exempt."}));
    let (_, body) = app
        .gql(
            Some(&author.access),
            "query($id: ID!) { article(id: $id) { revisionDiff(version: 0) { toVersion } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "as REST: {body}");
    let (_, body) = app
        .gql(
            Some(&reader.access),
            "mutation($id: ID!) { restoreRevision(articleId: $id, version: 1) { version } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
}

on_both_backends!(revisions_are_compared_and_restored);
