//! graphql-transport-ws, message by message, as graphql-ws and Apollo
//! Client expect it: each misstep closes with the protocol's own code.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::demo_slugs;
use crate::helpers::TestApp;
use crate::on_both_backends;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(app: &TestApp) -> Socket {
    let mut request =
        format!("{}/graphql/ws", app.base.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(response.headers()["sec-websocket-protocol"], "graphql-transport-ws");
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::text(message.to_string())).await.unwrap();
}

/// The next protocol message, or the close frame's code and reason.
async fn receive(socket: &mut Socket) -> Result<Value, (u16, String)> {
    let wait = tokio::time::timeout(Duration::from_secs(10), socket.next()).await.expect("an answer");
    match wait {
        Some(Ok(Message::Text(text))) => Ok(serde_json::from_str(&text).unwrap()),
        Some(Ok(Message::Close(Some(frame)))) => Err((u16::from(frame.code), frame.reason.to_string())),
        other => panic!("expected a message or a close frame: {other:?}"),
    }
}

async fn acknowledged(app: &TestApp) -> Socket {
    let mut socket = open(app).await;
    send(&mut socket, json!({"type": "connection_init"})).await;
    assert_eq!(receive(&mut socket).await.unwrap(), json!({"type": "connection_ack"}));
    socket
}

async fn closes_with(socket: &mut Socket, code: u16) -> String {
    match receive(socket).await {
        Err((got, reason)) => {
            assert_eq!(got, code, "{reason}");
            reason
        }
        Ok(message) => panic!("expected a close with {code}, got {message}"),
    }
}

async fn every_misstep_closes_with_its_code(app: TestApp) {
    let subscribe = json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { articlePublished { slug } }"}});

    let mut early = open(&app).await;
    send(&mut early, subscribe.clone()).await;
    assert_eq!(closes_with(&mut early, 4401).await, "Unauthorized");

    let mut forged = open(&app).await;
    send(&mut forged, json!({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}}))
        .await;
    assert_eq!(closes_with(&mut forged, 4403).await, "Forbidden");

    let mut twice = acknowledged(&app).await;
    send(&mut twice, json!({"type": "connection_init"})).await;
    closes_with(&mut twice, 4429).await;

    let mut duplicate = acknowledged(&app).await;
    send(&mut duplicate, subscribe.clone()).await;
    send(&mut duplicate, subscribe.clone()).await;
    assert!(closes_with(&mut duplicate, 4409).await.contains("Subscriber for 1 already exists"));

    let mut unknown = acknowledged(&app).await;
    send(&mut unknown, json!({"type": "shout"})).await;
    closes_with(&mut unknown, 4400).await;

    let mut garbage = acknowledged(&app).await;
    garbage.send(Message::text("not json")).await.unwrap();
    closes_with(&mut garbage, 4400).await;

    // A socket that never says `connection_init` is let go.
    let mut silent = open(&app).await;
    assert_eq!(closes_with(&mut silent, 4408).await, "Connection initialisation timeout");
}

async fn operations_answer_next_error_and_complete_as_the_protocol_says(app: TestApp) {
    app.seed_demo();
    let mut socket = acknowledged(&app).await;

    // Ping is answered with pong.
    send(&mut socket, json!({"type": "ping"})).await;
    assert_eq!(receive(&mut socket).await.unwrap(), json!({"type": "pong"}));

    // An operation that fails validation is an `error`, not `next` + `complete`.
    send(&mut socket, json!({"id": "bad", "type": "subscribe", "payload": {"query": "subscription { commentAdded { body } }"}}))
        .await;
    let error = receive(&mut socket).await.unwrap();
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "bad");
    assert!(error["payload"][0]["message"].as_str().unwrap().contains("articleId"), "{error}");

    // A query is one `next`, then `complete`.
    send(&mut socket, json!({"id": "q", "type": "subscribe", "payload": {"query": "{ tags(first: 1) { nodes { slug } } }"}}))
        .await;
    let next = receive(&mut socket).await.unwrap();
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(next["id"], "q");
    assert!(next["payload"]["data"]["tags"]["nodes"].is_array());
    assert_eq!(receive(&mut socket).await.unwrap(), json!({"id": "q", "type": "complete"}));

    // Completed by the client: the server stops, and says nothing back.
    let slug = demo_slugs("published")[0].clone();
    let article = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let listening = app.services.subscribers();
    send(
        &mut socket,
        json!({"id": "live", "type": "subscribe", "payload": {
            "query": "subscription($a: ID!) { commentAdded(articleId: $a) { body } }",
            "variables": {"a": article["id"]}}}),
    )
    .await;
    crate::helpers::eventually("the subscription to start", || async {
        app.services.subscribers() > listening
    })
    .await;
    send(&mut socket, json!({"id": "live", "type": "complete"})).await;
    crate::helpers::eventually("the subscription to stop", || async {
        app.services.subscribers() == listening
    })
    .await;
    // The same id may be used again now; the next message is the pong, not a `complete` echo.
    send(&mut socket, json!({"type": "ping"})).await;
    assert_eq!(receive(&mut socket).await.unwrap(), json!({"type": "pong"}));
}

on_both_backends!(
    every_misstep_closes_with_its_code,
    operations_answer_next_error_and_complete_as_the_protocol_says,
);
