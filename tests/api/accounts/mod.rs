//! Reader accounts: editing one's profile, changing one's password,
//! downloading one's data, deleting one's account, and admins' one-time
//! password-reset links; over REST and GraphQL, on both engines.

mod deletion;
mod passwords;
mod profile;

use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem};

/// A comment by `who` on a published demo article (a reply with `parent`).
async fn comment(app: &TestApp, who: &Session, slug: &str, body: &str, parent: Option<&str>) -> Value {
    let response = app
        .post(
            &format!("/api/v1/articles/{slug}/comments"),
            Some(&who.access),
            &json!({"body": body, "parent_id": parent}),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// `DELETE /api/v1/me` with its password.
async fn delete_me(app: &TestApp, token: Option<&str>, password: &str) -> Response {
    let request = app.client.delete(app.url("/api/v1/me")).json(&json!({"password": password}));
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
    .send()
    .await
    .unwrap()
}

/// A 400 that names `field`.
async fn refused_field(response: Response, field: &str) {
    let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, [field], "{problem}");
}

/// The audit log's entries of `action` on `target`, as an admin reads them.
async fn audited(app: &TestApp, admin: &Session, action: &str, target: &str) -> usize {
    let log: Value = app
        .get_as(&format!("/api/v1/audit?action={action}&target={target}"), &admin.access)
        .await
        .json()
        .await
        .unwrap();
    log["data"].as_array().unwrap().len()
}

/// Whether an access token still works.
async fn signed_in(app: &TestApp, session: &Session) -> bool {
    let status = app.get_as("/api/v1/me", &session.access).await.status().as_u16();
    assert!(status == 200 || status == 401, "{status}");
    status == 200
}

/// Whether a refresh token still works (it is used up if it does).
async fn refreshes(app: &TestApp, session: &Session) -> bool {
    let response = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": session.refresh})).await;
    let status = response.status().as_u16();
    assert!(status == 200 || status == 401, "{status}");
    status == 200
}

/// Whether `email` signs in with `password`.
async fn can_sign_in(app: &TestApp, email: &str, password: &str) -> bool {
    let response = app.post("/api/v1/auth/login", None, &json!({"email": email, "password": password})).await;
    response.status() == 200
}
