//! Subscriptions over WebSocket (graphql-transport-ws), on one instance and
//! across instances.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::{demo_slugs, make_due};
use crate::helpers::{TestApp, eventually, metric};
use crate::on_both_backends;

/// A graphql-transport-ws client.
struct Subscriber {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Subscriber {
    async fn connect(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Self {
        let mut request =
            format!("{}/graphql/ws", app.base.replace("http://", "ws://")).into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
        let (mut socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(response.headers()["sec-websocket-protocol"], "graphql-transport-ws");
        let payload = token.map_or(json!({}), |t| json!({"Authorization": format!("Bearer {t}")}));
        socket
            .send(Message::text(json!({"type": "connection_init", "payload": payload}).to_string()))
            .await
            .unwrap();
        let ack = Self::read(&mut socket).await.expect("connection_ack");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        let subscribers =
            || async { metric(&app.get("/metrics").await.text().await.unwrap(), "newsdesk_subscribers") };
        let listening = subscribers().await;
        socket
            .send(Message::text(
                json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
                    .to_string(),
            ))
            .await
            .unwrap();
        // The subscription is live once the server listens for its events,
        // as its /metrics gauge tells.
        eventually("the server to register the subscription", || async { subscribers().await > listening })
            .await;
        Self { socket }
    }

    async fn read(
        socket: &mut tokio_tungstenite::WebSocketStream<
            tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
        >,
    ) -> Option<Value> {
        loop {
            match socket.next().await? {
                Ok(Message::Text(text)) => {
                    let message: Value = serde_json::from_str(&text).unwrap();
                    if message["type"] == "ping" {
                        continue;
                    }
                    return Some(message);
                }
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// The next event, if one arrives within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<Value> {
        tokio::time::timeout(wait, Self::read(&mut self.socket)).await.ok().flatten()
    }
}

async fn publish_via_rest(app: &TestApp, editor: &str, title: &str, category: &str) -> String {
    let created = app
        .post("/api/v1/articles", Some(editor), &json!({"title": title, "category": category}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let published = app.post(&format!("/api/v1/articles/{id}/publish"), Some(editor), &json!({})).await;
    assert_eq!(published.status(), 200);
    id
}

async fn subscribers_see_publications_and_comments_live(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let mut everything = Subscriber::connect(
        &app,
        None,
        "subscription { articlePublished { slug title category { slug } } }",
        json!({}),
    )
    .await;
    let mut science = Subscriber::connect(
        &app,
        None,
        "subscription($c: String) { articlePublished(category: $c) { slug } }",
        json!({"c": "science"}),
    )
    .await;

    publish_via_rest(&app, &editor.access, "Bridge reopens in Kavos", "europe").await;
    let event = everything.next(Duration::from_secs(5)).await.expect("an event");
    assert_eq!(event["type"], "next");
    assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "bridge-reopens-in-kavos");
    assert!(
        science.next(Duration::from_millis(700)).await.is_none(),
        "a section filter keeps other sections out"
    );

    publish_via_rest(&app, &editor.access, "Probe reaches the outer belt", "space").await;
    let event = science.next(Duration::from_secs(5)).await.expect("sub-sections are included");
    assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "probe-reaches-the-outer-belt");

    // A scheduled article going live is announced too.
    let scheduled = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Comet visible tonight", "category": "science"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = scheduled["id"].as_str().unwrap();
    let at = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let response =
        app.post(&format!("/api/v1/articles/{id}/schedule"), Some(&editor.access), &json!({"at": at})).await;
    assert_eq!(response.status(), 200);
    make_due(app.services.db(), id, 1);
    assert_eq!(app.services.publish_due().await.unwrap().len(), 1);
    let event = science.next(Duration::from_secs(5)).await.expect("the scheduled article, live");
    assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "comet-visible-tonight");

    // Comments, with a signed-in subscriber.
    let slug = demo_slugs("published")[0].clone();
    let article_id =
        app.get_json(&format!("/api/v1/articles/{slug}")).await["id"].as_str().unwrap().to_owned();
    let reader = app.sign_in_as("reader").await;
    let mut comments = Subscriber::connect(
        &app,
        Some(&reader.access),
        "subscription($a: ID!) { commentAdded(articleId: $a) { body author { displayName } } }",
        json!({"a": article_id}),
    )
    .await;
    app.post(&format!("/api/v1/articles/{slug}/comments"), Some(&reader.access), &json!({"body": "Live!"}))
        .await;
    let event = comments.next(Duration::from_secs(5)).await.expect("a comment event");
    assert_eq!(event["payload"]["data"]["commentAdded"]["body"], "Live!");
}

async fn websocket_refuses_bad_tokens(app: TestApp) {
    let mut request =
        format!("{}/graphql/ws", app.base.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    socket
        .send(Message::text(
            json!({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}}).to_string(),
        ))
        .await
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), socket.next()).await.unwrap();
    match reply {
        // The connection closes, saying why; no subscription can start.
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(u16::from(frame.code), 4403, "{frame:?}");
            assert_eq!(frame.reason.as_str(), "Forbidden");
        }
        Some(Ok(Message::Text(text))) => panic!("unexpected acceptance: {text}"),
        other => panic!("expected a close: {other:?}"),
    }
}

/// Opens a breaking-news window on live story `id` over REST.
async fn make_breaking(app: &TestApp, editor: &str, id: &str) {
    let version = app.get_json(&format!("/api/v1/articles/{id}")).await["version"].to_string();
    let until = (chrono::Utc::now() + chrono::Duration::hours(3)).to_rfc3339();
    let response = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(editor),
            Some(&format!("\"{version}\"")),
            &json!({"breaking_until": until}),
        )
        .await;
    assert_eq!(response.status(), 200);
}

async fn subscribers_hear_of_breaking_news(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let mut breaking = Subscriber::connect(
        &app,
        None,
        "subscription($c: String) { articleBreaking(category: $c) { slug breaking } }",
        json!({"c": "europe"}),
    )
    .await;
    // Going live without a window is not breaking news.
    let id = publish_via_rest(&app, &editor.access, "Ferry fares frozen", "europe").await;
    assert!(breaking.next(Duration::from_millis(700)).await.is_none());
    // An editor opens a window on it: an event, once, even if it is moved on.
    make_breaking(&app, &editor.access, &id).await;
    let event = breaking.next(Duration::from_secs(5)).await.expect("a breaking event");
    assert_eq!(
        event["payload"]["data"]["articleBreaking"],
        json!({"slug": "ferry-fares-frozen", "breaking": true})
    );
    make_breaking(&app, &editor.access, &id).await;
    assert!(breaking.next(Duration::from_millis(700)).await.is_none(), "already breaking");
    // A draft with a window becomes breaking news when it goes live.
    let until = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let created = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Storm closes the Kavos bridge", "category": "europe", "breaking_until": until}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let published =
        app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;
    assert_eq!(published.status(), 200);
    let event = breaking.next(Duration::from_secs(5)).await.expect("live with its window open");
    assert_eq!(event["payload"]["data"]["articleBreaking"]["slug"], "storm-closes-the-kavos-bridge");
    // Other sections' breaking news stays out of a section's subscription.
    let elsewhere = publish_via_rest(&app, &editor.access, "Probe finds ice", "science").await;
    make_breaking(&app, &editor.access, &elsewhere).await;
    assert!(breaking.next(Duration::from_millis(700)).await.is_none());
}

async fn subscribers_follow_a_collection(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let mut top = Subscriber::connect(
        &app,
        None,
        "subscription { collectionChanged(slug: \"top-stories\") { slug version articles { slug } } }",
        json!({}),
    )
    .await;
    let current = app.get_json("/api/v1/collections/top-stories").await;
    let mut order: Vec<String> = current["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    order.reverse();
    let response = app
        .put(
            "/api/v1/collections/top-stories/items",
            Some(&editor.access),
            Some(&format!("\"{}\"", current["version"])),
            &json!({"article_ids": order}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let event = top.next(Duration::from_secs(5)).await.expect("a change event");
    let changed = &event["payload"]["data"]["collectionChanged"];
    assert_eq!(changed["version"], current["version"].as_i64().unwrap() + 1);
    let last = current["articles"].as_array().unwrap().last().unwrap()["slug"].clone();
    assert_eq!(changed["articles"][0]["slug"], last, "the new order, as readers see it");
    // Another collection's change stays out.
    let picks = app.get_json("/api/v1/collections/editors-picks").await;
    let response = app
        .put(
            "/api/v1/collections/editors-picks/items",
            Some(&editor.access),
            Some(&format!("\"{}\"", picks["version"])),
            &json!({"article_ids": []}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(top.next(Duration::from_millis(700)).await.is_none());
}

on_both_backends!(
    subscribers_follow_a_collection,
    subscribers_hear_of_breaking_news,
    subscribers_see_publications_and_comments_live,
    websocket_refuses_bad_tokens
);

crate::postgres_tests! {
    /// Breaking news made on one instance reaches a subscriber on another.
    async fn breaking_events_span_instances_postgres() {
        let first = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let mut subscriber =
            Subscriber::connect(&second, None, "subscription { articleBreaking { slug } }", json!({})).await;
        let editor = first.sign_in_as("editor").await;
        let id = publish_via_rest(&first, &editor.access, "Grid failure darkens the capital", "europe").await;
        make_breaking(&first, &editor.access, &id).await;
        let event = subscriber.next(Duration::from_secs(5)).await.expect("the event crossed instances");
        assert_eq!(event["payload"]["data"]["articleBreaking"]["slug"], "grid-failure-darkens-the-capital");
        assert!(subscriber.next(Duration::from_millis(500)).await.is_none(), "and arrived once");
    }
}

crate::postgres_tests! {
    /// A subscriber on one instance hears of a publication made on another.
    async fn subscriptions_span_instances_postgres() {
        let first = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let mut subscriber =
            Subscriber::connect(&second, None, "subscription { articlePublished { slug } }", json!({})).await;
        let editor = first.sign_in_as("editor").await;
        publish_via_rest(&first, &editor.access, "Harbour pilots strike ends", "europe").await;
        let event = subscriber.next(Duration::from_secs(5)).await.expect("the event crossed instances");
        assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "harbour-pilots-strike-ends");
        assert!(subscriber.next(Duration::from_millis(500)).await.is_none(), "and arrived once");
    }
}

crate::postgres_tests! {
    /// A comment posted on one instance reaches a subscriber on another, once,
    /// and a refused comment (its transaction rolled back) reaches nobody.
    async fn comment_events_span_instances_postgres() {
        let first = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let slug = demo_slugs("published")[0].clone();
        let article_id =
            first.get_json(&format!("/api/v1/articles/{slug}")).await["id"].as_str().unwrap().to_owned();
        let mut subscriber = Subscriber::connect(
            &second,
            None,
            "subscription($a: ID!) { commentAdded(articleId: $a) { body } }",
            json!({"a": article_id}),
        )
        .await;
        let reader = first.sign_in_as("reader").await;
        let refused = first
            .post(
                &format!("/api/v1/articles/{slug}/comments"),
                Some(&reader.access),
                &json!({"body": "A reply to nothing", "parent_id": uuid::Uuid::now_v7().to_string()}),
            )
            .await;
        assert_eq!(refused.status(), 400);
        let posted = first
            .post(&format!("/api/v1/articles/{slug}/comments"), Some(&reader.access), &json!({"body": "Across"}))
            .await;
        assert_eq!(posted.status(), 201);
        let event = subscriber.next(Duration::from_secs(5)).await.expect("the event crossed instances");
        assert_eq!(event["payload"]["data"]["commentAdded"]["body"], "Across");
        assert!(subscriber.next(Duration::from_millis(500)).await.is_none(), "and arrived once");
    }
}
