//! Shutting down: SIGTERM closes open WebSockets with 1001 Going Away and
//! the process exits once its requests are done, well within the shutdown
//! timeout, instead of holding the drain open for the whole of it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// `newsdesk serve` on a fresh SQLite file and a free port, ready.
async fn serve(dir: &tempfile::TempDir) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--shutdown-timeout", "30"])
        .args(["--database-url", &format!("sqlite://{}", dir.path().join("newsdesk.db").display())])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    crate::helpers::eventually("the service to answer", || async {
        client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200)
    })
    .await;
    (child, base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_websockets_with_going_away_and_exits_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base) = serve(&dir).await;
    let mut request =
        format!("{}/graphql/ws", base.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    socket.send(Message::text(json!({"type": "connection_init"}).to_string())).await.unwrap();
    let ack = socket.next().await.unwrap().unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"));

    let asked = Instant::now();
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Close(frame) = message {
                return frame.map(|f| f.code);
            }
        }
        None
    })
    .await
    .expect("a close frame within ten seconds");
    assert_eq!(closed, Some(CloseCode::Away));
    drop(socket);
    let exited = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    assert!(exited.success(), "{exited:?}");
    assert!(asked.elapsed() < Duration::from_secs(10), "exited {:?} after SIGTERM", asked.elapsed());
}
