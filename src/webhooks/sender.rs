//! One attempt at delivering an event to an endpoint.

use std::sync::Arc;
use std::time::{Duration, Instant};

use std::net::IpAddr;

use standardwebhooks::Webhook;

use super::guard::GuardedResolver;
use crate::domain::webhook::{WebhookUrl, is_public};

/// How long a delivery may take to connect, and in all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(15);
/// How much of an endpoint's answer the delivery log keeps.
const EXCERPT_BYTES: usize = 1_000;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    pub latency: Duration,
    /// The start of its answer.
    pub excerpt: String,
    /// Why there was no answer, or why it was refused.
    pub error: Option<String>,
}

impl Attempt {
    /// A 2xx answer.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn failed(error: impl Into<String>, latency: Duration) -> Self {
        Self { status: None, latency, excerpt: String::new(), error: Some(printable(&error.into())) }
    }
}

/// Sends deliveries.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    pub fn new(allow_private: bool) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would resolve the endpoint itself,
            // past the address check.
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .user_agent(concat!("Newsdesk-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, allow_private })
    }

    /// The address deliveries to `url` go to, as the HTTP client reads it
    /// (`http://2130706433/` is `http://127.0.0.1/`), if they may go there: a
    /// host written as an IP address must be public unless private ones are
    /// allowed (names are checked when resolved, at each delivery).
    pub fn destination(&self, url: &WebhookUrl) -> Result<String, &'static str> {
        let parsed = reqwest::Url::parse(url.as_str()).map_err(|_| "must be a valid http(s) URL")?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("must be a valid http(s) URL");
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err("must not hold credentials");
        }
        // The host as the client will use it: IPv4 in dotted form whatever
        // its spelling, IPv6 in brackets.
        let host = parsed.host_str().ok_or("must be a valid http(s) URL")?;
        let ip: Option<IpAddr> = host.trim_start_matches('[').trim_end_matches(']').parse().ok();
        if !self.allow_private && ip.is_some_and(|ip| !is_public(ip)) {
            return Err("must not be a private, loopback or link-local address");
        }
        Ok(parsed.to_string())
    }

    /// Posts `payload` to `url`, signed with `secret` as message `msg_id`
    /// at `timestamp` (Unix seconds): `webhook-id`, `webhook-timestamp`,
    /// `webhook-signature`.
    pub async fn send(
        &self,
        url: &str,
        secret: &str,
        msg_id: &str,
        timestamp: i64,
        payload: &str,
    ) -> Attempt {
        let started = Instant::now();
        let destination = WebhookUrl::parse(url, "url")
            .map_err(|_| "must be a valid http(s) URL")
            .and_then(|u| self.destination(&u));
        let url = match destination {
            Ok(url) => url,
            Err(why) => return Attempt::failed(format!("the endpoint's URL {why}"), started.elapsed()),
        };
        let signature = match Webhook::new(secret)
            .map_err(|e| e.to_string())
            .and_then(|hook| hook.sign(msg_id, timestamp, payload.as_bytes()).map_err(|e| e.to_string()))
        {
            Ok(signature) => signature,
            Err(error) => return Attempt::failed(format!("cannot sign: {error}"), started.elapsed()),
        };
        let sent = self
            .client
            .post(&url)
            .header("content-type", "application/json")
            .header("webhook-id", msg_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(payload.to_owned())
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => return Attempt::failed(describe(&error), started.elapsed()),
        };
        let status = response.status().as_u16();
        let mut excerpt = Vec::new();
        let mut response = response;
        while excerpt.len() < EXCERPT_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
                _ => break,
            }
        }
        excerpt.truncate(EXCERPT_BYTES);
        Attempt {
            status: Some(status),
            latency: started.elapsed(),
            excerpt: printable(&String::from_utf8_lossy(&excerpt)),
            error: None,
        }
    }
}

/// Text as the delivery log keeps it: without control characters (a NUL
/// in a binary answer is refused by PostgreSQL's text), lines and tabs kept.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect()
}

/// A failed request in a sentence, with its cause (a refused address, a timeout).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() { "timed out".to_owned() } else { error.to_string() };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
