//! Registering, reading, changing and removing webhooks: admins only, the
//! secret shown once, bad input named, private addresses refused.

use serde_json::{Value, json};

use super::receiver::Receiver;
use crate::helpers::{Backend, TestApp, assert_problem};
use crate::on_both_backends;

async fn admins_register_webhooks_and_see_the_secret_once(app: TestApp) {
    let admin = app.sign_in_as("admin").await;
    let editor = app.sign_in_as("editor").await;
    let body = json!({"url": "https://hooks.example.com/in", "events": ["article.published", "article.updated", "article.published"]});
    assert_problem(app.post("/api/v1/webhooks", Some(&editor.access), &body).await, 403, "FORBIDDEN").await;
    assert_problem(app.post("/api/v1/webhooks", None, &body).await, 401, "UNAUTHENTICATED").await;

    let created = app.post("/api/v1/webhooks", Some(&admin.access), &body).await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = created.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    assert!(standardwebhooks::Webhook::new(secret).is_ok(), "a secret Standard Webhooks libraries read");
    assert_eq!(created["events"], json!(["article.published", "article.updated"]));
    assert_eq!(created["enabled"], true);
    assert_eq!(location, format!("/api/v1/webhooks/{}", created["id"].as_str().unwrap()));

    let read: Value = app.get_as(&location, &admin.access).await.json().await.unwrap();
    assert!(read.get("secret").is_none(), "the secret is shown once");
    let listed: Value = app.get_as("/api/v1/webhooks", &admin.access).await.json().await.unwrap();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert!(listed["data"][0].get("secret").is_none());

    let changed = app
        .patch(
            &location,
            Some(&admin.access),
            None,
            &json!({"enabled": false, "events": ["comment.created"]}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["enabled"], false);
    assert_eq!(changed["events"], json!(["comment.created"]));

    for (bad, fields) in [
        (json!({"url": "ftp://x.org", "events": ["article.published"]}), vec!["url"]),
        (json!({"url": "https://x.org", "events": []}), vec!["events"]),
        (json!({"url": "https://x.org", "events": ["article.exploded"]}), vec!["events"]),
        (json!({}), vec!["url", "events"]),
    ] {
        let problem = assert_problem(
            app.post("/api/v1/webhooks", Some(&admin.access), &bad).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        let named: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(named, fields, "{bad}");
    }
    assert_eq!(app.delete(&location, Some(&admin.access)).await.status(), 204);
    assert_problem(app.get_as(&location, &admin.access).await, 404, "NOT_FOUND").await;
    assert_problem(app.get_as("/api/v1/webhooks/not-an-id", &admin.access).await, 404, "NOT_FOUND").await;
}

on_both_backends!(admins_register_webhooks_and_see_the_secret_once);

/// By default a webhook cannot reach the service's own network: an address
/// written as such is refused, and a name resolving to one is not called.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_refused_by_default() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.webhook_allow_private = false).await;
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let receiver = Receiver::start(&[]);
    let literal = json!({"url": receiver.url, "events": ["article.published"]});
    let problem = assert_problem(
        app.post("/api/v1/webhooks", Some(&admin.access), &literal).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "url");
    for url in [
        "http://169.254.169.254/latest",
        "http://[::1]:9/x",
        "http://10.0.0.1/",
        // Other spellings of loopback, as HTTP clients read them.
        "http://2130706433:8080/",
        "http://127.1/",
        "http://0x7f.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
    ] {
        let refused = app
            .post(
                "/api/v1/webhooks",
                Some(&admin.access),
                &json!({"url": url, "events": ["article.published"]}),
            )
            .await;
        assert_eq!(refused.status(), 400, "{url}");
    }

    let by_name =
        json!({"url": format!("http://localhost:{}/hooks", receiver.port), "events": ["article.updated"]});
    let created: Value =
        app.post("/api/v1/webhooks", Some(&admin.access), &by_name).await.json().await.unwrap();
    let editor = app.sign_in_as("editor").await;
    let card = app.get_json("/api/v1/articles?limit=1").await["data"][0].clone();
    let edited = app
        .patch(
            &format!("/api/v1/articles/{}", card["id"].as_str().unwrap()),
            Some(&editor.access),
            Some(&format!("\"{}\"", card["version"])),
            &json!({"featured": true}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let round = app.services.deliver_webhooks(chrono::Utc::now()).await.unwrap();
    assert_eq!(round.attempted, 1);
    assert_eq!(round.succeeded, 0);
    assert!(receiver.received().is_empty(), "nothing reached the private address");
    let log: Value = app
        .get_as(&format!("/api/v1/webhooks/{}/deliveries", created["id"].as_str().unwrap()), &admin.access)
        .await
        .json()
        .await
        .unwrap();
    let error = log["data"][0]["attempts"][0]["error"].as_str().unwrap();
    assert!(error.contains("private address"), "{error}");
}
