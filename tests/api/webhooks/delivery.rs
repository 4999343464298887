//! Deliveries: signed per Standard Webhooks, carrying the purge keys,
//! retried on the schedule after a 500, logged, redelivered on request,
//! never sent for a change that rolled back, disabled after a day of
//! failures, and sent once per endpoint with two instances.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::receiver::{Received, Receiver};
use crate::fixtures::demo_slugs;
use crate::helpers::{Session, TestApp};
use crate::{on_both_backends, postgres_tests};

/// Registers a webhook at the receiver for `events`; its id and secret.
async fn register(app: &TestApp, admin: &Session, receiver: &Receiver, events: &[&str]) -> (String, String) {
    let created: Value = app
        .post("/api/v1/webhooks", Some(&admin.access), &json!({"url": receiver.url, "events": events}))
        .await
        .json()
        .await
        .unwrap();
    (created["id"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned())
}

/// Checks a delivery the way a receiver using a Standard Webhooks library does.
fn verify(received: &Received, secret: &str) {
    let hook = standardwebhooks::Webhook::new(secret).unwrap();
    hook.verify(&received.body, &received.headers).expect("a valid signature");
    let forged = standardwebhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    assert!(forged.verify(&received.body, &received.headers).is_err(), "another key does not verify it");
    let mut tampered = received.body.to_vec();
    tampered.push(b' ');
    assert!(hook.verify(&tampered, &received.headers).is_err(), "a changed body does not verify");
    assert!(received.header("webhook-id").starts_with("msg_"));
    assert_eq!(received.header("content-type"), "application/json");
}

async fn deliveries(app: &TestApp, admin: &Session, webhook: &str) -> Vec<Value> {
    let log: Value = app
        .get_as(&format!("/api/v1/webhooks/{webhook}/deliveries"), &admin.access)
        .await
        .json()
        .await
        .unwrap();
    log["data"].as_array().unwrap().clone()
}

async fn publish(app: &TestApp, editor: &Session, slug: &str) -> Value {
    let published =
        app.post(&format!("/api/v1/articles/{slug}/publish"), Some(&editor.access), &json!({})).await;
    assert_eq!(published.status(), 200, "{slug}");
    published.json().await.unwrap()
}

async fn signed_retried_logged_and_redelivered(app: TestApp) {
    app.seed_demo();
    let (admin, editor) = (app.sign_in_as("admin").await, app.sign_in_as("editor").await);
    let receiver = Receiver::start(&[500]);
    let (webhook, secret) = register(&app, &admin, &receiver, &["article.published"]).await;
    let slug = demo_slugs("in_review").pop().expect("a story in review");
    let article = publish(&app, &editor, &slug).await;

    let first = app.services.deliver_webhooks(Utc::now()).await.unwrap();
    assert_eq!((first.attempted, first.succeeded), (1, 0));
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    verify(&received[0], &secret);
    let event = received[0].json();
    assert_eq!(event["type"], "article.published");
    chrono::DateTime::parse_from_rfc3339(event["timestamp"].as_str().unwrap()).unwrap();
    assert_eq!(event["data"]["id"], article["id"]);
    assert_eq!(event["data"]["url"], article["url"]);
    let purge: Vec<&str> =
        event["purge_keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    for key in [format!("article:{}", article["id"].as_str().unwrap()), "feed".into(), "home".into()] {
        assert!(purge.contains(&key.as_str()), "{key} in {purge:?}");
    }

    let log = deliveries(&app, &admin, &webhook).await;
    assert_eq!(log[0]["status"], "pending");
    assert_eq!(log[0]["attempts"][0]["status_code"], 500);
    assert_eq!(log[0]["attempts"][0]["response_excerpt"], "answered 500");
    let retry_at = chrono::DateTime::parse_from_rfc3339(log[0]["next_attempt_at"].as_str().unwrap()).unwrap();
    assert!(
        retry_at > Utc::now() && retry_at < Utc::now() + Duration::seconds(10),
        "the first retry is 5 s later"
    );

    let early = app.services.deliver_webhooks(Utc::now()).await.unwrap();
    assert_eq!(early.attempted, 0, "not before its time");
    let retried = app.services.deliver_webhooks(Utc::now() + Duration::seconds(10)).await.unwrap();
    assert_eq!((retried.attempted, retried.succeeded), (1, 1));
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    verify(&received[1], &secret);
    assert_eq!(
        received[1].header("webhook-id"),
        received[0].header("webhook-id"),
        "a retry is the same message"
    );
    assert_eq!(received[1].body, received[0].body);
    let log = deliveries(&app, &admin, &webhook).await;
    assert_eq!(log[0]["status"], "succeeded");
    assert_eq!(log[0]["attempts"].as_array().unwrap().len(), 2);
    assert!(log[0]["next_attempt_at"].is_null());

    let again = app
        .post(
            &format!("/api/v1/webhooks/{webhook}/deliveries/{}/redeliver", log[0]["id"].as_str().unwrap()),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_eq!(again.status(), 202);
    assert_eq!(app.services.deliver_webhooks(Utc::now()).await.unwrap().succeeded, 1);
    let received = receiver.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[2].header("webhook-id"), received[0].header("webhook-id"));
    assert_eq!(deliveries(&app, &admin, &webhook).await.len(), 2, "the redelivery has a log of its own");

    // Not subscribed: an edit of the live article is not sent.
    let version = app.get_json(&format!("/api/v1/articles/{slug}")).await["version"].clone();
    let edited = app
        .patch(
            &format!("/api/v1/articles/{slug}"),
            Some(&editor.access),
            Some(&format!("\"{version}\"")),
            &json!({"featured": true}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    assert_eq!(app.services.deliver_webhooks(Utc::now()).await.unwrap().attempted, 0);
}

async fn nothing_is_sent_for_what_did_not_happen(app: TestApp) {
    app.seed_demo();
    let (admin, editor) = (app.sign_in_as("admin").await, app.sign_in_as("editor").await);
    let receiver = Receiver::start(&[]);
    register(&app, &admin, &receiver, &["article.published", "article.updated", "comment.created"]).await;
    let card = app.get_json("/api/v1/articles?limit=1").await["data"][0].clone();

    // A stale edit is refused: nothing changed, nothing is sent.
    let stale = app
        .patch(
            &format!("/api/v1/articles/{}", card["slug"].as_str().unwrap()),
            Some(&editor.access),
            Some("\"999\""),
            &json!({"title": "Never"}),
        )
        .await;
    assert_eq!(stale.status(), 412);
    // A change written and then rolled back: its event went with it.
    let db = app.services.db().clone();
    let rolled_back = db.run_blocking(|conn| {
        conn.transaction(|conn| {
            newsdesk::service::webhooks::outbox::record(
                conn,
                newsdesk::domain::webhook::WebhookEvent::ArticleUpdated,
                json!({"id": "never"}),
                Vec::new(),
            )?;
            Err::<(), _>(newsdesk::error::AppError::conflict("rolled back"))
        })
    });
    assert!(rolled_back.is_err());
    assert_eq!(app.services.deliver_webhooks(Utc::now() + Duration::days(3)).await.unwrap().attempted, 0);
    assert!(receiver.received().is_empty());

    // What commits is sent: an edit and a comment.
    let version = card["version"].clone();
    let edited = app
        .patch(
            &format!("/api/v1/articles/{}", card["slug"].as_str().unwrap()),
            Some(&editor.access),
            Some(&format!("\"{version}\"")),
            &json!({"title": "Now"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let reader = app.sign_in_as("reader").await;
    let comment = app
        .post(
            &format!("/api/v1/articles/{}/comments", card["id"].as_str().unwrap()),
            Some(&reader.access),
            &json!({"body": "Well put."}),
        )
        .await;
    assert_eq!(comment.status(), 201);
    assert_eq!(app.services.deliver_webhooks(Utc::now()).await.unwrap().succeeded, 2);
    let types: Vec<String> =
        receiver.received().iter().map(|r| r.json()["type"].as_str().unwrap().to_owned()).collect();
    assert_eq!(types.len(), 2);
    assert!(
        types.contains(&"article.updated".to_owned()) && types.contains(&"comment.created".to_owned()),
        "{types:?}"
    );
}

async fn a_day_of_failures_disables_the_endpoint(app: TestApp) {
    app.seed_demo();
    let (admin, editor) = (app.sign_in_as("admin").await, app.sign_in_as("editor").await);
    let receiver = Receiver::start(&[]);
    receiver.always(503);
    let (webhook, _) = register(&app, &admin, &receiver, &["article.published"]).await;
    let mut drafts = demo_slugs("draft");
    drafts.extend(demo_slugs("in_review"));
    publish(&app, &editor, &drafts.pop().unwrap()).await;
    let mut later = Utc::now();
    for _ in 0..8 {
        let round = app.services.deliver_webhooks(later).await.unwrap();
        assert_eq!(round.attempted, 1);
        later += Duration::hours(11);
    }
    assert_eq!(receiver.received().len(), 8, "eight attempts in all");
    let log = deliveries(&app, &admin, &webhook).await;
    assert_eq!(log[0]["status"], "failed");
    let hook: Value =
        app.get_as(&format!("/api/v1/webhooks/{webhook}"), &admin.access).await.json().await.unwrap();
    assert_eq!(hook["enabled"], false);
    assert!(hook["disabled_reason"].as_str().unwrap().contains("503"), "{hook}");

    // Disabled, it hears of nothing; enabled again, it does.
    publish(&app, &editor, &drafts.pop().unwrap()).await;
    assert_eq!(app.services.deliver_webhooks(later).await.unwrap().attempted, 0);
    let enabled = app
        .patch(&format!("/api/v1/webhooks/{webhook}"), Some(&admin.access), None, &json!({"enabled": true}))
        .await;
    let enabled: Value = enabled.json().await.unwrap();
    assert!(enabled["disabled_reason"].is_null());
    receiver.always(204);
    publish(&app, &editor, &drafts.pop().unwrap()).await;
    assert_eq!(app.services.deliver_webhooks(Utc::now()).await.unwrap().succeeded, 1);
}

on_both_backends!(
    signed_retried_logged_and_redelivered,
    nothing_is_sent_for_what_did_not_happen,
    a_day_of_failures_disables_the_endpoint
);

postgres_tests! {
    /// Two instances deliver from one outbox at once: each event reaches
    /// the endpoint exactly once.
    async fn two_instances_deliver_each_event_once() {
        let first = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        let second = TestApp::attach(&first).await;
        first.seed_demo();
        let (admin, editor) = (first.sign_in_as("admin").await, first.sign_in_as("editor").await);
        let receiver = Receiver::start(&[]);
        register(&first, &admin, &receiver, &["article.updated"]).await;
        let list = first.get_json("/api/v1/articles?limit=40").await;
        let cards = list["data"].as_array().unwrap();
        for card in cards {
            let edited = first
                .patch(&format!("/api/v1/articles/{}", card["id"].as_str().unwrap()), Some(&editor.access), Some(&format!("\"{}\"", card["version"])), &json!({"featured": true}))
                .await;
            assert_eq!(edited.status(), 200);
        }
        let mut sent = 0;
        while sent < cards.len() {
            let (a, b) = tokio::join!(first.services.deliver_webhooks(Utc::now()), second.services.deliver_webhooks(Utc::now()));
            let (a, b) = (a.unwrap(), b.unwrap());
            assert!(a.attempted + b.attempted > 0, "progress");
            sent += a.succeeded + b.succeeded;
        }
        let mut ids: Vec<String> = receiver.received().iter().map(|r| r.header("webhook-id")).collect();
        assert_eq!(ids.len(), cards.len());
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), cards.len(), "no event twice");
    }
}
