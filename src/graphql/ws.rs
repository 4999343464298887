//! Subscriptions over WebSocket at `GET /graphql/ws`, speaking the
//! graphql-transport-ws protocol to the letter (the one graphql-ws, Apollo
//! Client and GraphiQL use): `connection_init` within a few seconds, then
//! `subscribe`/`next`/`error`/`complete`, `ping`/`pong`, and the protocol's
//! own close codes for each misstep.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, Session};
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::context::RequestContext;
use super::errors::ensure_code;
use super::{Schemas, document, loaders, nulls};
use crate::domain::Viewer;
use crate::http::extract::ClientIp;
use crate::service::Services;

/// The one subprotocol spoken here.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// How long a client may take to send `connection_init` (graphql-ws's default).
const INIT_TIMEOUT: Duration = Duration::from_secs(3);

/// What a client may send.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<serde_json::Value>,
    },
    Ping {},
    Pong {},
    Subscribe {
        id: String,
        payload: Box<Request>,
    },
    Complete {
        id: String,
    },
}

/// `GET /graphql/ws`. The bearer token comes in the `connection_init`
/// payload, as `{"Authorization": "Bearer <token>"}` (or `authToken`);
/// without one the subscriber is anonymous.
pub async fn websocket(
    schemas: Data<Schemas>,
    services: Data<Services>,
    req: HttpRequest,
    ip: ClientIp,
    body: Payload,
) -> actix_web::Result<HttpResponse> {
    let (response, session, messages) = actix_ws::handle_with_protocols(&req, body, &[PROTOCOL])?;
    let offered = req
        .headers()
        .get_all("sec-websocket-protocol")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == PROTOCOL);
    let connection = Connection {
        schemas,
        services: services.get_ref().clone(),
        ip: ip.0,
        session,
        viewer: None,
        initialised: false,
        subscriptions: HashMap::new(),
    };
    actix_web::rt::spawn(connection.run(messages, offered));
    Ok(response)
}

/// One client's socket.
struct Connection {
    schemas: Data<Schemas>,
    services: Services,
    ip: IpAddr,
    session: Session,
    /// Set by an acknowledged `connection_init`.
    viewer: Option<Viewer>,
    initialised: bool,
    /// Running operations by the client's id.
    subscriptions: HashMap<String, AbortHandle>,
}

/// Why a connection ends, with the protocol's close code.
struct Close(u16, String);

impl Connection {
    async fn run(mut self, mut messages: MessageStream, offered: bool) {
        let close = if offered {
            self.serve(&mut messages).await
        } else {
            Close(4406, "Subprotocol not acceptable".into())
        };
        for (_, task) in self.subscriptions.drain() {
            task.abort();
        }
        let reason = CloseReason { code: CloseCode::Other(close.0), description: Some(close.1) };
        // The client may be gone already: nothing to tell it then.
        let _ = self.session.close(Some(reason)).await;
    }

    async fn serve(&mut self, messages: &mut MessageStream) -> Close {
        let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
        tokio::pin!(init_deadline);
        let (finished_tx, mut finished) = mpsc::unbounded_channel::<String>();
        loop {
            tokio::select! {
                () = &mut init_deadline, if !self.initialised => {
                    return Close(4408, "Connection initialisation timeout".into());
                }
                Some(id) = finished.recv() => {
                    self.subscriptions.remove(&id);
                }
                message = messages.recv() => {
                    let text = match message {
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(Message::Ping(bytes))) => {
                            if self.session.pong(&bytes).await.is_err() {
                                return Close(1000, "gone".into());
                            }
                            continue;
                        }
                        Some(Ok(Message::Pong(_) | Message::Nop)) => continue,
                        Some(Ok(Message::Close(_))) | None => return Close(1000, "Normal Closure".into()),
                        Some(Ok(Message::Binary(_) | Message::Continuation(_))) => {
                            return Close(4400, "Invalid message received: text frames only".into());
                        }
                        Some(Err(error)) => return Close(4400, format!("Invalid message received: {error}")),
                    };
                    let message = match serde_json::from_str::<ClientMessage>(&text) {
                        Ok(message) => message,
                        Err(error) => return Close(4400, format!("Invalid message received: {error}")),
                    };
                    if let Err(close) = self.handle(message, &finished_tx).await {
                        return close;
                    }
                }
            }
        }
    }

    async fn handle(
        &mut self,
        message: ClientMessage,
        finished: &mpsc::UnboundedSender<String>,
    ) -> Result<(), Close> {
        match message {
            ClientMessage::ConnectionInit { payload } => {
                if self.initialised {
                    return Err(Close(4429, "Too many initialisation requests".into()));
                }
                self.initialised = true;
                let viewer =
                    self.authenticate(payload.as_ref()).ok_or_else(|| Close(4403, "Forbidden".into()))?;
                self.viewer = Some(viewer);
                self.send(json!({"type": "connection_ack"})).await
            }
            ClientMessage::Ping {} => self.send(json!({"type": "pong"})).await,
            ClientMessage::Pong {} => Ok(()),
            ClientMessage::Subscribe { id, payload } => {
                let Some(viewer) = self.viewer else {
                    return Err(Close(4401, "Unauthorized".into()));
                };
                if self.subscriptions.contains_key(&id) {
                    return Err(Close(4409, format!("Subscriber for {id} already exists")));
                }
                let task = self.start(id.clone(), *payload, viewer, finished.clone());
                self.subscriptions.insert(id, task);
                Ok(())
            }
            ClientMessage::Complete { id } => {
                // Stopped at the client's word: no `complete` goes back.
                if let Some(task) = self.subscriptions.remove(&id) {
                    task.abort();
                }
                Ok(())
            }
        }
    }

    /// The viewer a `connection_init` payload proves; `None` for a bad token.
    fn authenticate(&self, payload: Option<&serde_json::Value>) -> Option<Viewer> {
        let token = payload.and_then(|init| {
            init.get("Authorization")
                .or_else(|| init.get("authorization"))
                .and_then(serde_json::Value::as_str)
                .map(|h| h.trim().trim_start_matches("Bearer ").trim_start_matches("bearer ").to_owned())
                .or_else(|| init.get("authToken").and_then(serde_json::Value::as_str).map(str::to_owned))
        });
        match token {
            None => Some(Viewer::Anonymous),
            Some(token) => self.services.authenticate(token.trim()).map(Viewer::User).ok(),
        }
    }

    async fn send(&mut self, message: serde_json::Value) -> Result<(), Close> {
        self.session.text(message.to_string()).await.map_err(|_| Close(1000, "gone".into()))
    }

    /// Runs one operation on its own task: `next` for each result, then
    /// `complete`; or one `error` if the operation is refused before it runs.
    fn start(
        &self,
        id: String,
        mut request: Request,
        viewer: Viewer,
        finished: mpsc::UnboundedSender<String>,
    ) -> AbortHandle {
        let mut session = self.session.clone();
        let schemas = self.schemas.clone();
        let (query, operation_name) = (request.query.clone(), request.operation_name.clone());
        request = request.data(RequestContext::new(viewer, self.ip));
        loaders::install(&mut request.data, &self.services, viewer);
        let task = actix_web::rt::spawn(async move {
            let kind = document::read(&query, operation_name.as_deref()).ok().and_then(|o| o.kind);
            let root = match kind {
                Some(OperationType::Subscription) => "Subscription",
                Some(OperationType::Mutation) => "Mutation",
                _ => "Query",
            };
            let mut results = schemas.data.execute_stream(request);
            let mut first = true;
            while let Some(mut response) = results.next().await {
                for error in &mut response.errors {
                    ensure_code(&mut error.extensions);
                }
                let message = if first && refused(&response) {
                    json!({"id": id, "type": "error", "payload": response.errors})
                } else {
                    nulls::propagate(
                        &mut response.data,
                        &response.errors,
                        &query,
                        operation_name.as_deref(),
                        root,
                        &schemas.field_types,
                    );
                    json!({"id": id, "type": "next", "payload": response})
                };
                let is_error = message["type"] == "error";
                if session.text(message.to_string()).await.is_err() || is_error {
                    let _ = finished.send(id);
                    return;
                }
                first = false;
            }
            let _ = session.text(json!({"id": id, "type": "complete"}).to_string()).await;
            let _ = finished.send(id);
        });
        task.abort_handle()
    }
}

/// An operation refused before it ran (it does not parse, or fails
/// validation): no data, and errors that belong to no field.
fn refused(response: &Response) -> bool {
    !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty())
}
