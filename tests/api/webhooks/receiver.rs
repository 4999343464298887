//! A webhook endpoint for tests: it records what it receives and answers
//! with the statuses it is told to, in turn.

use std::collections::VecDeque;
use std::sync::Mutex;

use actix_web::web::{Bytes, Data};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> String {
        self.headers[name].to_str().unwrap().to_owned()
    }
}

#[derive(Default)]
struct State {
    received: Mutex<Vec<Received>>,
    /// Statuses to answer with, in turn; 200 once they run out.
    answers: Mutex<VecDeque<u16>>,
}

pub struct Receiver {
    pub url: String,
    pub port: u16,
    state: Data<State>,
}

async fn receive(req: HttpRequest, body: Bytes, state: Data<State>) -> HttpResponse {
    let mut headers = HeaderMap::new();
    for (name, value) in req.headers() {
        headers.append(
            HeaderName::from_bytes(name.as_str().as_bytes()).unwrap(),
            HeaderValue::from_bytes(value.as_bytes()).unwrap(),
        );
    }
    state.received.lock().unwrap().push(Received { headers, body });
    let status = state.answers.lock().unwrap().pop_front().unwrap_or(200);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
        .body(format!("answered {status}"))
}

impl Receiver {
    /// Listening on loopback, answering `answers` in turn, then 200.
    pub fn start(answers: &[u16]) -> Receiver {
        let state = Data::new(State::default());
        state.answers.lock().unwrap().extend(answers);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = state.clone();
        let server = HttpServer::new(move || {
            App::new().app_data(shared.clone()).default_service(actix_web::web::to(receive))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Receiver { url: format!("http://127.0.0.1:{port}/hooks"), port, state }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// Answer every request from now on with `status`.
    pub fn always(&self, status: u16) {
        let mut answers = self.state.answers.lock().unwrap();
        answers.clear();
        answers.extend(std::iter::repeat_n(status, 1_000));
    }
}
