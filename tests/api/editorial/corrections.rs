//! Corrections and updates under published stories, in both APIs.

use serde_json::{Value, json};

use super::{act, draft};
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn editors_append_notes_shown_in_order(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let editor = app.sign_in_as("editor").await;
    let article = draft(&app, &author, "Reservoir levels fall to a decade low").await;
    let id = article["id"].as_str().unwrap();
    assert_eq!(article["corrections"], json!([]));
    assert_eq!(act(&app, &editor, id, "publish").await.status(), 200);
    let published = app.get_json(&format!("/api/v1/articles/{id}")).await;

    let path = format!("/api/v1/articles/{id}/corrections");
    let first = app
        .post(
            &path,
            Some(&editor.access),
            &json!({"kind": "correction", "text": "The reservoir is in Alder Vale, not Alder Ridge."}),
        )
        .await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["kind"], "correction");
    assert_eq!(first["text"], "The reservoir is in Alder Vale, not Alder Ridge.");
    let second: Value = app
        .post(
            &path,
            Some(&editor.access),
            &json!({"kind": "update", "text": "Rationing begins on Monday.\nHosepipes are banned."}),
        )
        .await
        .json()
        .await
        .unwrap();

    let now = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(now["corrections"], json!([first, second]), "oldest first, as written");
    assert_eq!(
        now["updated_at"], second["created_at"],
        "the story reads as updated when the last note was made"
    );
    assert!(now["updated_at"].as_str() > published["updated_at"].as_str());
    assert_eq!(now["version"], published["version"].as_i64().unwrap() + 2);
    // Lists carry them too, and the public read is fresh at once.
    let feed = app.get_json("/api/v1/articles?limit=100").await;
    let card = feed["data"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    assert_eq!(card["corrections"].as_array().unwrap().len(), 2);

    let graphql = app
        .gql_ok(
            None,
            "query($id: ID!) { article(id: $id) { updatedAt corrections { id kind text createdAt } } }",
            json!({"id": id}),
        )
        .await;
    let notes = &graphql["article"]["corrections"];
    assert_eq!(notes[0]["kind"], "CORRECTION");
    assert_eq!(notes[1]["kind"], "UPDATE");
    assert_eq!(notes[1]["id"], second["id"]);
    assert_eq!(notes[1]["createdAt"], second["created_at"]);
    let added = app
        .gql_ok(
            Some(&editor.access),
            "mutation($id: ID!) { addCorrection(articleId: $id, input: {kind: UPDATE, text: \"Rain is forecast.\"}) { kind text } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(added["addCorrection"], json!({"kind": "UPDATE", "text": "Rain is forecast."}));
    let slug = article["slug"].as_str().unwrap();
    let by_slug = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    assert_eq!(by_slug["corrections"].as_array().unwrap().len(), 3);
}

async fn notes_are_refused_where_they_do_not_belong(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let reader = app.sign_in_as("reader").await;
    let editor = app.sign_in_as("editor").await;
    let article = draft(&app, &author, "Bridge inspection finds cracks").await;
    let id = article["id"].as_str().unwrap();
    let path = format!("/api/v1/articles/{id}/corrections");
    let note = json!({"kind": "correction", "text": "A fix."});

    // Only published stories carry notes.
    let problem = assert_problem(app.post(&path, Some(&editor.access), &note).await, 409, "CONFLICT").await;
    assert_eq!(problem["current_status"], "draft");
    assert_eq!(act(&app, &editor, id, "publish").await.status(), 200);

    assert_problem(app.post(&path, None, &note).await, 401, "UNAUTHENTICATED").await;
    assert_problem(app.post(&path, Some(&reader.access), &note).await, 403, "FORBIDDEN").await;
    assert_problem(app.post(&path, Some(&author.access), &note).await, 403, "FORBIDDEN").await;
    let missing = format!("/api/v1/articles/{}/corrections", uuid::Uuid::now_v7());
    assert_problem(app.post(&missing, Some(&editor.access), &note).await, 404, "NOT_FOUND").await;

    // Every refused member named at once.
    let bad = app.post(&path, Some(&editor.access), &json!({"kind": "retraction", "text": "  "})).await;
    let problem = assert_problem(bad, 400, "VALIDATION_FAILED").await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["kind", "text"], "{problem}");
    let long =
        app.post(&path, Some(&editor.access), &json!({"kind": "update", "text": "x".repeat(2001)})).await;
    assert_problem(long, 400, "VALIDATION_FAILED").await;
    let control = app.post(&path, Some(&editor.access), &json!({"kind": "update", "text": "a\u{0}b"})).await;
    assert_problem(control, 400, "VALIDATION_FAILED").await;
    let unknown =
        app.post(&path, Some(&editor.access), &json!({"kind": "update", "text": "x", "by": "me"})).await;
    assert_problem(unknown, 400, "VALIDATION_FAILED").await;
    let untouched = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(untouched["corrections"], json!([]), "nothing refused was kept");

    // GraphQL refuses alike, naming the field as GraphQL spells it.
    let (_, body) = app
        .gql(
            Some(&editor.access),
            "mutation($id: ID!) { addCorrection(articleId: $id, input: {kind: UPDATE, text: \"\"}) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["fields"][0]["field"], "text", "{body}");
    let (_, body) = app
        .gql(
            Some(&reader.access),
            "mutation($id: ID!) { addCorrection(articleId: $id, input: {kind: UPDATE, text: \"x\"}) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");

    // Unpublished again: no more notes, and the ones made stay.
    assert_eq!(app.post(&path, Some(&editor.access), &note).await.status(), 201);
    assert_eq!(act(&app, &editor, id, "unpublish").await.status(), 200);
    let problem = assert_problem(app.post(&path, Some(&editor.access), &note).await, 409, "CONFLICT").await;
    assert_eq!(problem["current_status"], "draft");
    let kept =
        app.get_as(&format!("/api/v1/articles/{id}"), &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(kept["corrections"].as_array().unwrap().len(), 1);
}

async fn notes_sent_at_once_are_all_kept(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let slug = crate::fixtures::demo_slugs("published")[3].clone();
    let before = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let path = format!("/api/v1/articles/{slug}/corrections");
    let sends = (0..8).map(|i| {
        let (app, path, token) = (&app, path.clone(), editor.access.clone());
        async move {
            app.post(&path, Some(&token), &json!({"kind": "update", "text": format!("Note {i}")}))
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(sends).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let after = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let notes = after["corrections"].as_array().unwrap();
    assert_eq!(notes.len(), before["corrections"].as_array().unwrap().len() + 8);
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 8, "one version per note");
    let times: Vec<&str> = notes.iter().map(|n| n["created_at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in order: {times:?}");
}

async fn a_story_carries_at_most_fifty_notes(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let slug = crate::fixtures::demo_slugs("published")[5].clone();
    let path = format!("/api/v1/articles/{slug}/corrections");
    let already =
        app.get_json(&format!("/api/v1/articles/{slug}")).await["corrections"].as_array().unwrap().len();
    for i in already..50 {
        let note = json!({"kind": "update", "text": format!("Note {i}")});
        assert_eq!(app.post(&path, Some(&editor.access), &note).await.status(), 201, "note {i}");
    }
    let note = json!({"kind": "update", "text": "One too many."});
    let problem = assert_problem(app.post(&path, Some(&editor.access), &note).await, 409, "CONFLICT").await;
    assert!(problem["detail"].as_str().unwrap().contains("50"), "{problem}");
    let after = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    assert_eq!(after["corrections"].as_array().unwrap().len(), 50);
    // GraphQL refuses alike, and a draft's refusal says its status.
    let (_, body) = app
        .gql(
            Some(&editor.access),
            "mutation($id: ID!) { addCorrection(articleId: $id, input: {kind: UPDATE, text: \"x\"}) { id } }",
            json!({"id": after["id"]}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "CONFLICT", "{body}");
    let author = app.sign_in_as("author").await;
    let draft = super::draft(&app, &author, "Quarry expansion hearing").await;
    let (_, body) = app
        .gql(
            Some(&editor.access),
            "mutation($id: ID!) { addCorrection(articleId: $id, input: {kind: UPDATE, text: \"x\"}) { id } }",
            json!({"id": draft["id"]}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "CONFLICT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["currentStatus"], "draft", "{body}");
}

on_both_backends!(
    a_story_carries_at_most_fifty_notes,
    editors_append_notes_shown_in_order,
    notes_are_refused_where_they_do_not_belong,
    notes_sent_at_once_are_all_kept,
);
