//! The newsroom story end to end, as a newcomer would run it from the README:
//! the first admin made with the CLI, then everything else over REST.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_problem};
use crate::on_both_backends;

async fn from_first_admin_to_moderated_comment(app: TestApp) {
    app.seed_demo();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args([
            "user",
            "create",
            "--email",
            "chief@example.org",
            "--role",
            "admin",
            "--display-name",
            "Chief",
        ])
        .args(["--database-url", &app.database_url])
        .env("NEWSDESK_USER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    assert!(String::from_utf8_lossy(&cli.stdout).contains("created admin chief@example.org"));

    let admin = app.login("chief@example.org", PASSWORD).await;
    for (email, role) in [("writer@example.org", "author"), ("desk@example.org", "editor")] {
        let created = app
            .post(
                "/api/v1/users",
                Some(&admin.access),
                &json!({"email": email, "password": PASSWORD, "display_name": role, "role": role}),
            )
            .await;
        assert_eq!(created.status(), 201);
    }
    let author = app.login("writer@example.org", PASSWORD).await;
    let editor = app.login("desk@example.org", PASSWORD).await;

    let draft = app
        .post(
            "/api/v1/articles",
            Some(&author.access),
            &json!({"title": "Lighthouse keepers return to Saltmere", "summary": "The last manned light reopens.", "body": "After a decade of automation, keepers are back.", "category": "europe", "tags": ["energy"]}),
        )
        .await;
    assert_eq!(draft.status(), 201);
    let draft: Value = draft.json().await.unwrap();
    let id = draft["id"].as_str().unwrap();
    assert_eq!(
        app.post(&format!("/api/v1/articles/{id}/submit"), Some(&author.access), &json!({})).await.status(),
        200
    );
    assert_eq!(
        app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await.status(),
        200
    );

    let feed = app.get_json("/api/v1/articles").await;
    assert_eq!(feed["data"][0]["id"], id, "the story leads the anonymous feed");

    let registered = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "reader@example.org", "password": PASSWORD, "display_name": "Reader"}),
        )
        .await;
    assert_eq!(registered.status(), 202);
    let reader = app.login("reader@example.org", PASSWORD).await;
    let comment = app
        .post(
            &format!("/api/v1/articles/{id}/comments"),
            Some(&reader.access),
            &json!({"body": "Welcome back!"}),
        )
        .await;
    assert_eq!(comment.status(), 201);
    let comment: Value = comment.json().await.unwrap();
    let thread = app.get_json(&format!("/api/v1/articles/{id}/comments")).await;
    assert_eq!(thread["data"][0]["body"], "Welcome back!");

    let hidden = app
        .post(
            &format!("/api/v1/comments/{}/hide", comment["id"].as_str().unwrap()),
            Some(&editor.access),
            &json!({}),
        )
        .await;
    assert_eq!(hidden.status(), 200);
    let thread = app.get_json(&format!("/api/v1/articles/{id}/comments")).await;
    assert!(thread["data"].as_array().unwrap().is_empty());
    assert_eq!(app.get_json(&format!("/api/v1/articles/{id}")).await["comment_count"], 0);

    // The CLI refuses what the API would.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["user", "create", "--email", "chief@example.org", "--role", "admin", "--password", PASSWORD])
        .args(["--database-url", &app.database_url])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("already registered"));
    assert_problem(app.get("/api/v1/articles?status=draft").await, 401, "UNAUTHENTICATED").await;
}

on_both_backends!(from_first_admin_to_moderated_comment);
