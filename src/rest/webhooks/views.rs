//! The JSON shapes of webhooks and their delivery log.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::service::webhooks::{AttemptLog, Delivery as DomainDelivery, Webhook as DomainWebhook};

/// A webhook endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: Uuid,
    #[schema(example = "https://hooks.example.com/newsdesk")]
    pub url: String,
    /// The events it hears of.
    #[schema(example = json!(["article.published", "article.updated"]))]
    pub events: Vec<String>,
    pub enabled: bool,
    /// Why it was disabled without an admin asking: every delivery failed
    /// for a day. Enabling it again clears this.
    pub disabled_reason: Option<String>,
    /// The signing secret (`whsec_` and base64, as Standard Webhooks
    /// defines): in the answer that creates the webhook only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Webhook {
    pub fn new(w: DomainWebhook, secret: Option<String>) -> Self {
        Self {
            id: w.id.uuid(),
            url: w.url,
            events: w.events.iter().map(|e| e.as_str().to_owned()).collect(),
            enabled: w.enabled,
            disabled_reason: w.disabled_reason,
            secret,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// Every webhook, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub data: Vec<Webhook>,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    pub attempted_at: DateTime<Utc>,
    /// The endpoint's HTTP status; null when it did not answer.
    pub status_code: Option<i32>,
    /// How long the attempt took.
    pub latency_ms: i32,
    /// The start of the endpoint's answer (up to 1,000 bytes).
    pub response_excerpt: String,
    /// Why there was no answer (a timeout, a refused address…).
    pub error: Option<String>,
}

impl From<AttemptLog> for Attempt {
    fn from(a: AttemptLog) -> Self {
        Self {
            attempted_at: a.attempted_at,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response_excerpt: a.response_excerpt,
            error: a.error,
        }
    }
}

/// One event's delivery to the endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: Uuid,
    /// The event: its `webhook-id` header is `msg_` and this id without hyphens.
    pub event_id: Uuid,
    #[schema(example = "article.published")]
    pub event_type: String,
    /// `pending`, `succeeded` or `failed`.
    #[schema(example = "succeeded")]
    pub status: String,
    /// When the next attempt is made, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every attempt, oldest first.
    pub attempts: Vec<Attempt>,
}

impl From<DomainDelivery> for Delivery {
    fn from(d: DomainDelivery) -> Self {
        Self {
            id: d.id.uuid(),
            event_id: d.event_id.uuid(),
            event_type: d.event_type.as_str().to_owned(),
            status: d.status.as_str().to_owned(),
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            updated_at: d.updated_at,
            attempts: d.attempts.into_iter().map(Attempt::from).collect(),
        }
    }
}

/// A page of an endpoint's deliveries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub data: Vec<Delivery>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}
