//! Ended sign-ins: an access token stops working the moment its sign-in
//! ends (signed out, the account disabled or given another role), on this
//! instance, on a sibling and after a restart, over REST, GraphQL and open
//! WebSockets.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use jsonwebtoken::{EncodingKey, Header, encode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::{PASSWORD, Session, TEST_JWT_SECRET, TestApp, assert_problem, eventually};
use crate::on_both_backends;

async fn me(app: &TestApp, session: &Session) -> u16 {
    app.get_as("/api/v1/me", &session.access).await.status().as_u16()
}

async fn ended_sign_ins_refuse_their_tokens_at_once(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let reader = app.sign_in_as("reader").await;
    let other_device = app.login(&reader.email, PASSWORD).await;

    // Signing out ends that sign-in, and only that one.
    let out = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": reader.refresh})).await;
    assert_eq!(out.status(), 204);
    assert_problem(app.get_as("/api/v1/me", &reader.access).await, 401, "UNAUTHENTICATED").await;
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let comment = app
        .post(
            &format!("/api/v1/articles/{slug}/comments"),
            Some(&reader.access),
            &json!({"body": "Still here?"}),
        )
        .await;
    assert_problem(comment, 401, "UNAUTHENTICATED").await;
    let (_, graphql) = app.gql(Some(&reader.access), "{ me { id } }", json!({})).await;
    assert_eq!(graphql["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{graphql}");
    assert_eq!(me(&app, &other_device).await, 200);

    // Disabling the account ends every sign-in it has.
    let disabled = app
        .patch(&format!("/api/v1/users/{}", reader.id), Some(&admin.access), None, &json!({"disabled": true}))
        .await;
    assert_eq!(disabled.status(), 200);
    assert_eq!(me(&app, &other_device).await, 401);

    // An instance started afterwards (a restart, another node) knows too.
    let restarted = TestApp::attach(&app).await;
    assert_eq!(me(&restarted, &reader).await, 401);
    assert_eq!(me(&restarted, &other_device).await, 401);
    assert_eq!(me(&restarted, &admin).await, 200);
}

/// A new role applies at once: tokens carrying the old one stop working,
/// and the next sign-in carries the new one.
async fn a_new_role_ends_the_old_roles_sign_ins(app: TestApp) {
    let admin = app.sign_in_as("admin").await;
    let editor = app.sign_in_as("editor").await;
    let demoted = app
        .patch(&format!("/api/v1/users/{}", editor.id), Some(&admin.access), None, &json!({"role": "author"}))
        .await;
    assert_eq!(demoted.status(), 200);
    assert_eq!(me(&app, &editor).await, 401);
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": editor.refresh})).await;
    assert_problem(refreshed, 401, "UNAUTHENTICATED").await;
    let again = app.login(&editor.email, PASSWORD).await;
    let me: Value = app.get_as("/api/v1/me", &again.access).await.json().await.unwrap();
    assert_eq!(me["role"], "author");
    // A change that is no change of role ends nothing.
    let renamed = app
        .patch(
            &format!("/api/v1/users/{}", editor.id),
            Some(&admin.access),
            None,
            &json!({"role": "author", "display_name": "Still Here"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(app.get_as("/api/v1/me", &again.access).await.status(), 200);
}

on_both_backends!(ended_sign_ins_refuse_their_tokens_at_once, a_new_role_ends_the_old_roles_sign_ins);

crate::postgres_tests! {
    /// A sibling instance hears of a sign-out on another as it hears of any
    /// write: its memory refuses the token with no query per request.
    async fn siblings_refuse_a_sign_in_ended_elsewhere() {
        let first = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        let second = TestApp::attach(&first).await;
        let reader = second.sign_in_as("reader").await;
        assert_eq!(me(&first, &reader).await, 200);
        let out = first.post("/api/v1/auth/logout", None, &json!({"refresh_token": reader.refresh})).await;
        assert_eq!(out.status(), 204);
        assert_eq!(me(&first, &reader).await, 401);
        eventually("the sibling to hear of the sign-out", || async { me(&second, &reader).await == 401 }).await;
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A graphql-transport-ws socket signed in with `token` and acknowledged.
async fn signed_in_socket(app: &TestApp, token: &str) -> Socket {
    let mut request =
        format!("{}/graphql/ws", app.base.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let init = json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    socket.send(Message::text(init.to_string())).await.unwrap();
    let ack = socket.next().await.unwrap().unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"), "{ack:?}");
    socket
}

/// The close code the server ends `socket` with (within ten seconds).
async fn closed_with(socket: &mut Socket) -> Option<CloseCode> {
    let wait = async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Close(frame) = message {
                return frame.map(|f| f.code);
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(10), wait).await.expect("the server closes the socket")
}

/// An open socket is closed with 4403 when its sign-in ends or its token
/// expires; until then it runs operations as its user.
async fn open_sockets_close_when_their_sign_in_ends(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let reader = app.sign_in_as("reader").await;
    let mut socket = signed_in_socket(&app, &reader.access).await;
    let query = json!({"id": "1", "type": "subscribe", "payload": {"query": "{ me { id } }"}});
    socket.send(Message::text(query.to_string())).await.unwrap();
    let answer = socket.next().await.unwrap().unwrap();
    assert!(answer.to_text().unwrap().contains(&reader.id), "{answer:?}");

    let disabled = app
        .patch(&format!("/api/v1/users/{}", reader.id), Some(&admin.access), None, &json!({"disabled": true}))
        .await;
    assert_eq!(disabled.status(), 200);
    assert_eq!(closed_with(&mut socket).await, Some(CloseCode::Library(4403)));

    // A token about to expire: the socket closes when it does.
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "sub": admin.id, "role": "admin", "iat": now, "exp": now + 3, "iss": "newsdesk",
        "aud": "newsdesk-api", "sid": uuid::Uuid::now_v7().to_string(),
    });
    let short =
        encode(&Header::default(), &claims, &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes())).unwrap();
    let mut expiring = signed_in_socket(&app, &short).await;
    assert_eq!(closed_with(&mut expiring).await, Some(CloseCode::Library(4403)));
}

on_both_backends!(open_sockets_close_when_their_sign_in_ends);
