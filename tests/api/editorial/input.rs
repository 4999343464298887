//! What writes accept: unique slugs, every field checked, markup kept as text.

use serde_json::{Value, json};

use super::draft;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn slugs_are_unique(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let first = draft(&app, &author, "Budget vote delayed").await;
    let second = draft(&app, &author, "Budget vote delayed").await;
    assert_eq!(first["slug"], "budget-vote-delayed");
    assert_eq!(second["slug"], "budget-vote-delayed-2");
    let clash = app
        .post(
            "/api/v1/articles",
            Some(&author.access),
            &json!({"title": "Other", "slug": "budget-vote-delayed", "category": "europe"}),
        )
        .await;
    assert_problem(clash, 409, "CONFLICT").await;
    let rename = app
        .patch(
            &format!("/api/v1/articles/{}", second["id"].as_str().unwrap()),
            Some(&author.access),
            Some("\"1\""),
            &json!({"slug": "budget-vote-delayed"}),
        )
        .await;
    assert_problem(rename, 409, "CONFLICT").await;
}

async fn input_is_validated_field_by_field(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    for (body, field) in [
        (json!({"title": "", "category": "europe"}), "title"),
        (json!({"title": "x".repeat(201), "category": "europe"}), "title"),
        (json!({"title": "Fine", "category": "atlantis"}), "category"),
        (json!({"title": "Fine", "category": "europe", "tags": ["no-such-tag"]}), "tags"),
        (json!({"title": "Fine", "category": "europe", "tags": ["Bad Tag"]}), "tags"),
        (json!({"title": "Fine", "category": "europe", "slug": "Bad Slug"}), "slug"),
        (
            json!({"title": "Fine", "category": "europe", "cover_image": {"url": "javascript:alert(1)"}}),
            "cover_image.url",
        ),
        (json!({"title": 42, "category": "europe"}), "title"),
        (json!({"title": "Fine", "category": "europe", "tags": ["energy", 7]}), "tags[1]"),
        (json!({"title": "Fine", "category": "europe", "authors": [uuid::Uuid::now_v7()]}), "authors"),
        (json!({"title": "Fine"}), "category"),
        (
            json!({"title": "Fine", "category": "europe", "cover_image": {"caption": "no url"}}),
            "cover_image.url",
        ),
        (json!({"title": "Fine", "category": "europe", "titel": "typo"}), "titel"),
        (json!(["not", "an", "object"]), "body"),
    ] {
        let response = app.post("/api/v1/articles", Some(&author.access), &body).await;
        let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
        let fields: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{body}: {problem}");
    }
    let malformed = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&author.access)
        .header("Content-Type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, 400, "BAD_REQUEST").await;
    let not_json = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&author.access)
        .body("title=x")
        .send()
        .await
        .unwrap();
    assert_problem(not_json, 400, "BAD_REQUEST").await;
    let drafts =
        app.get_as("/api/v1/articles?status=draft", &author.access).await.json::<Value>().await.unwrap();
    assert!(drafts["data"].as_array().unwrap().is_empty(), "nothing was written");
}

async fn markup_in_text_is_never_rendered(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let response = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "<script>alert(1)</script> Tolls", "category": "europe", "body": "Hi <img src=x onerror=alert(1)> <script>steal()</script>\n\n[x](javascript:alert(1))"}),
        )
        .await;
    let article: Value = response.json().await.unwrap();
    assert_eq!(article["title"], "<script>alert(1)</script> Tolls", "titles are text, kept as typed");
    let html = article["body_html"].as_str().unwrap();
    assert!(
        !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
        "{html}"
    );
    assert_eq!(article["slug"], "script-alert-1-script-tolls");
}

on_both_backends!(slugs_are_unique, input_is_validated_field_by_field, markup_in_text_is_never_rendered);
