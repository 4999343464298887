//! Shapes of REST failures: one `application/problem+json` body per family.

use serde_json::{Value, json};

use super::{ENERGY, Newsroom, exchange};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::{assert_shape, on_both_backends};

async fn one_problem_per_family(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let (reader, editor) = (&newsroom.reader.access, &newsroom.editor.access);

    // Every refused field at once.
    let invalid = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "not-an-email", "password": "short", "display_name": ""}),
        )
        .await;
    assert_shape!(
        "problem_validation",
        "400 VALIDATION_FAILED: POST /api/v1/auth/register",
        exchange(invalid).await
    );

    let malformed = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("Content-Type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_shape!("problem_bad_request", "400 BAD_REQUEST: malformed JSON body", exchange(malformed).await);

    let anonymous = app.get("/api/v1/me").await;
    assert_shape!(
        "problem_unauthenticated",
        "401 UNAUTHENTICATED: GET /api/v1/me without a token",
        exchange(anonymous).await
    );

    let forbidden = app
        .post("/api/v1/articles", Some(reader), &json!({"title": "A reader writes", "category": "europe"}))
        .await;
    assert_shape!(
        "problem_forbidden",
        "403 FORBIDDEN: POST /api/v1/articles as a reader",
        exchange(forbidden).await
    );

    let missing = app.get("/api/v1/articles/no-such-article").await;
    assert_shape!("problem_not_found", "404 NOT_FOUND: GET /api/v1/articles/{slug}", exchange(missing).await);

    let twice = app.post(&format!("/api/v1/articles/{ENERGY}/publish"), Some(editor), &json!({})).await;
    assert_shape!(
        "problem_conflict",
        "409 CONFLICT: POST /api/v1/articles/{slug}/publish when published",
        exchange(twice).await
    );

    let path = format!("/api/v1/articles/{ENERGY}");
    let stale = app.patch(&path, Some(editor), Some("\"7\""), &json!({"summary": "New."})).await;
    assert_shape!(
        "problem_precondition_failed",
        "412 PRECONDITION_FAILED: PATCH /api/v1/articles/{slug} with a stale If-Match",
        exchange(stale).await
    );

    let unconditional = app.patch(&path, Some(editor), None, &json!({"summary": "New."})).await;
    assert_shape!(
        "problem_precondition_required",
        "428 PRECONDITION_REQUIRED: PATCH /api/v1/articles/{slug} without If-Match",
        exchange(unconditional).await
    );
}

/// Limits, lowered: one sign-in a minute, bodies of 4 KiB. (Small, so the
/// refused body is cheap to send.)
async fn limits(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| {
        settings.login_rate = 1;
        settings.max_body_bytes = 4096;
    })
    .await;
    let login = json!({"email": "nobody@newsroom.test", "password": PASSWORD});
    assert_eq!(app.post("/api/v1/auth/login", None, &login).await.status(), 401);
    let mut limited = exchange(app.post("/api/v1/auth/login", None, &login).await).await;
    // The wait counts down with the clock.
    let detail = limited["body"]["detail"].as_str().unwrap();
    let wait: String = detail.chars().filter(char::is_ascii_digit).collect();
    limited["body"]["detail"] = Value::from(detail.replace(&wait, "[seconds]"));
    assert_shape!("problem_rate_limited", "429 RATE_LIMITED: POST /api/v1/auth/login too often", limited);

    let huge = json!({"email": "x".repeat(10_000), "password": PASSWORD, "display_name": "X"});
    let too_large = app.post("/api/v1/auth/register", None, &huge).await;
    assert_shape!(
        "problem_payload_too_large",
        "413 PAYLOAD_TOO_LARGE: POST /api/v1/auth/register over the body limit",
        exchange(too_large).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_sqlite() {
    limits(Backend::Sqlite).await;
}

crate::postgres_tests! {
    async fn limits_postgres() {
        limits(Backend::Postgres).await;
    }
}

on_both_backends!(one_problem_per_family);
