//! Writing and the editorial lifecycle over REST.

mod collections;
mod corrections;
mod input;
mod lifecycle;
mod previews;
mod revisions;
mod roles;
mod timing;
mod trash;

use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

/// A draft by `author` in the demo's `europe` section, tagged `energy`.
pub async fn draft(app: &TestApp, author: &Session, title: &str) -> Value {
    let response = app
        .post(
            "/api/v1/articles",
            Some(&author.access),
            &json!({"title": title, "summary": "A standfirst.", "body": "First paragraph.\n\nSecond **bold** one.", "category": "europe", "tags": ["energy"]}),
        )
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

pub async fn act(app: &TestApp, who: &Session, id: &str, action: &str) -> reqwest::Response {
    let body = if action == "schedule" {
        json!({"at": (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339()})
    } else {
        json!({})
    };
    app.post(&format!("/api/v1/articles/{id}/{action}"), Some(&who.access), &body).await
}
