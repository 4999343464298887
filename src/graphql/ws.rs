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
use crate::auth::jwt::Verified;
use crate::domain::Viewer;
use crate::domain::time::now;
use crate::http::extract::ClientIp;
use crate::service::Services;
use crate::service::budget::{Budget, CALLS_PER_REQUEST, within};

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

/// Sockets one client address may hold open at once.
const SOCKETS_PER_CLIENT: usize = 64;
/// Sockets the instance holds open at once.
const SOCKETS: usize = 10_000;

/// Open sockets, in all and by client address: a client cannot hold
/// thousands of idle sockets, nor all clients together exhaust memory.
#[derive(Default)]
pub struct OpenSockets {
    open: std::sync::Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

/// One counted socket; uncounted when dropped.
struct Counted {
    sockets: Data<OpenSockets>,
    ip: IpAddr,
}

impl OpenSockets {
    fn open(sockets: &Data<OpenSockets>, ip: IpAddr) -> Option<Counted> {
        let mut open = sockets.open.lock().ok()?;
        let mine = open.by_client.get(&ip).copied().unwrap_or(0);
        if mine >= SOCKETS_PER_CLIENT || open.total >= SOCKETS {
            return None;
        }
        open.by_client.insert(ip, mine + 1);
        open.total += 1;
        Some(Counted { sockets: sockets.clone(), ip })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        if let Ok(mut open) = self.sockets.open.lock() {
            open.total = open.total.saturating_sub(1);
            if let Some(count) = open.by_client.get_mut(&self.ip) {
                *count -= 1;
                if *count == 0 {
                    open.by_client.remove(&self.ip);
                }
            }
        }
    }
}

/// `GET /graphql/ws`. The bearer token comes in the `connection_init`
/// payload, as `{"Authorization": "Bearer <token>"}` (or `authToken`);
/// without one the subscriber is anonymous.
pub async fn websocket(
    schemas: Data<Schemas>,
    services: Data<Services>,
    sockets: Data<OpenSockets>,
    req: HttpRequest,
    ip: ClientIp,
    body: Payload,
) -> actix_web::Result<HttpResponse> {
    let Some(counted) = OpenSockets::open(&sockets, ip.0) else {
        let refusal = crate::error::AppError::RateLimited { retry_after_secs: 5 };
        return Err(refusal.into());
    };
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
        token: None,
        initialised: false,
        subscriptions: HashMap::new(),
        _counted: counted,
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
    /// The access token it was signed in with: checked again before every
    /// operation, and the socket closes when it expires or its sign-in ends.
    token: Option<Verified>,
    initialised: bool,
    /// Running operations by the client's id.
    subscriptions: HashMap<String, AbortHandle>,
    /// Its place among the open sockets, given up when it closes.
    _counted: Counted,
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
        // Set once a token is accepted: when it expires, the socket closes.
        let token_expiry = tokio::time::sleep(Duration::from_secs(365 * 86_400));
        tokio::pin!(token_expiry);
        let mut expiry_set = false;
        let mut revocations = self.services.revocations();
        let mut stopping = self.services.stopping();
        if *stopping.borrow_and_update() {
            return Close(1001, "Going Away: the server is shutting down".into());
        }
        let (finished_tx, mut finished) = mpsc::unbounded_channel::<String>();
        loop {
            tokio::select! {
                () = &mut init_deadline, if !self.initialised => {
                    return Close(4408, "Connection initialisation timeout".into());
                }
                Ok(()) = stopping.changed() => {
                    return Close(1001, "Going Away: the server is shutting down".into());
                }
                () = &mut token_expiry, if self.token.is_some() => {
                    return Close(4403, "Forbidden: the access token expired".into());
                }
                Ok(()) = revocations.changed(), if self.token.is_some() => {
                    if let Err(close) = self.still_signed_in() {
                        return close;
                    }
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
                    if !expiry_set && let Some(token) = &self.token {
                        token_expiry.as_mut().reset(expiry_instant(token));
                        expiry_set = true;
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
                let (viewer, token) =
                    self.authenticate(payload.as_ref()).ok_or_else(|| Close(4403, "Forbidden".into()))?;
                self.viewer = Some(viewer);
                self.token = token;
                self.send(json!({"type": "connection_ack"})).await
            }
            ClientMessage::Ping {} => self.send(json!({"type": "pong"})).await,
            ClientMessage::Pong {} => Ok(()),
            ClientMessage::Subscribe { id, payload } => {
                let Some(viewer) = self.viewer else {
                    return Err(Close(4401, "Unauthorized".into()));
                };
                self.still_signed_in()?;
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

    /// Whether the token the socket signed in with still stands (anonymous
    /// sockets always do); a 4403 close if it has expired or its sign-in
    /// has ended (signed out, the account disabled or given another role).
    fn still_signed_in(&self) -> Result<(), Close> {
        match &self.token {
            Some(token) if !self.services.still_valid(token) => {
                Err(Close(4403, "Forbidden: the sign-in has ended or expired".into()))
            }
            _ => Ok(()),
        }
    }

    /// The viewer a `connection_init` payload proves, with its token;
    /// `None` for a bad token.
    fn authenticate(&self, payload: Option<&serde_json::Value>) -> Option<(Viewer, Option<Verified>)> {
        let token = payload.and_then(|init| {
            init.get("Authorization")
                .or_else(|| init.get("authorization"))
                .and_then(serde_json::Value::as_str)
                .map(|h| h.trim().trim_start_matches("Bearer ").trim_start_matches("bearer ").to_owned())
                .or_else(|| init.get("authToken").and_then(serde_json::Value::as_str).map(str::to_owned))
        });
        match token {
            None => Some((Viewer::Anonymous, None)),
            Some(token) => {
                let verified = self.services.verify_token(token.trim()).ok()?;
                Some((Viewer::User(verified.principal), Some(verified)))
            }
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
        request = request.data(
            RequestContext::new(viewer, self.ip).signed_in_as(self.token.as_ref().and_then(|t| t.session)),
        );
        loaders::install(&mut request.data, &self.services, viewer);
        let task = actix_web::rt::spawn(async move {
            let kind = document::read(&query, operation_name.as_deref()).ok().and_then(|o| o.kind);
            let root = match kind {
                Some(OperationType::Subscription) => "Subscription",
                Some(OperationType::Mutation) => "Mutation",
                _ => "Query",
            };
            // Queries and mutations within a request's budget of database
            // calls; a subscription's events each run as their own work.
            let budget = (kind != Some(OperationType::Subscription)).then(|| Budget::new(CALLS_PER_REQUEST));
            let mut results = schemas.data.execute_stream(request);
            let mut first = true;
            loop {
                let next = match &budget {
                    Some(budget) => within(budget.clone(), results.next()).await,
                    None => results.next().await,
                };
                let Some(mut response) = next else { break };
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

/// When `token` expires, on the runtime's clock.
fn expiry_instant(token: &Verified) -> tokio::time::Instant {
    let left = token.expires_at.saturating_sub(now().timestamp()).max(0);
    tokio::time::Instant::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0))
}

/// An operation refused before it ran (it does not parse, or fails
/// validation): no data, and errors that belong to no field.
fn refused(response: &Response) -> bool {
    !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty())
}
