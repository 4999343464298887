//! Webhooks: admins register endpoints that hear of published stories and
//! comments; events leave through a transactional outbox and are delivered,
//! signed, by a background worker (see `delivery`).

mod delivery;
pub mod outbox;

use chrono::{DateTime, Utc};

use crate::db::repo::webhooks::{self as repo, DeliveryRow, WebhookChanges, WebhookRow};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{DeliveryId, EventId, WebhookId};
use crate::domain::page::{CursorKind, Limit, Page, TimeCursor};
use crate::domain::time::{from_db, now, to_db};
use crate::domain::webhook::{DeliveryStatus, MAX_WEBHOOKS, WebhookEvent, WebhookUrl, new_secret};
use crate::domain::{Viewer, Vocabulary, policy};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::audit::{Done, record};

pub use delivery::DeliveryRound;

/// A registered endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub enabled: bool,
    /// Why it was disabled for persistent failure.
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new endpoint and its secret, shown this once.
#[derive(Debug, Clone)]
pub struct CreatedWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

/// A new endpoint, as asked for.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: WebhookUrl,
    /// At least one event, each once.
    pub events: Vec<WebhookEvent>,
    pub enabled: bool,
}

/// Changes to an endpoint; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct WebhookPatch {
    pub url: Option<WebhookUrl>,
    pub events: Option<Vec<WebhookEvent>>,
    /// Enabling again clears why it was disabled.
    pub enabled: Option<bool>,
}

/// One attempt at a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptLog {
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    pub response_excerpt: String,
    pub error: Option<String>,
}

/// One event's delivery to one endpoint, with its attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub event_id: EventId,
    pub event_type: WebhookEvent,
    pub status: DeliveryStatus,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub attempts: Vec<AttemptLog>,
}

fn webhook(row: WebhookRow) -> AppResult<Webhook> {
    let names: Vec<String> = serde_json::from_str(&row.events).map_err(AppError::internal)?;
    Ok(Webhook {
        id: row.id,
        url: row.url,
        events: names.iter().filter_map(|n| WebhookEvent::parse(n)).collect(),
        enabled: row.enabled,
        disabled_reason: row.disabled_reason,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

fn events_json(events: &[WebhookEvent]) -> String {
    serde_json::Value::from(events.iter().map(|e| e.as_str()).collect::<Vec<_>>()).to_string()
}

fn webhook_id(raw: &str) -> AppResult<WebhookId> {
    WebhookId::parse_field(raw, "id").map_err(|_| AppError::NotFound("webhook"))
}

impl Services {
    fn wake_webhook_worker(&self) {
        self.webhook_wake.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether deliveries may have become due without a write (and forgets it).
    pub(crate) fn webhook_worker_woken(&self) -> bool {
        self.webhook_wake.swap(false, std::sync::atomic::Ordering::Relaxed)
    }

    /// The address deliveries to `url` go to, if they may.
    fn destination(&self, url: &WebhookUrl) -> AppResult<String> {
        self.webhook_sender.destination(url).map_err(|why| AppError::invalid("url", why))
    }

    /// Registers an endpoint; its secret is in the answer and nowhere else.
    pub async fn create_webhook(&self, viewer: Viewer, new: NewWebhook) -> AppResult<CreatedWebhook> {
        let me = policy::can_manage_webhooks(viewer)?;
        let url = self.destination(&new.url)?;
        let secret = new_secret();
        let at = to_db(now());
        let row = WebhookRow {
            id: WebhookId::generate(),
            url,
            secret: secret.clone(),
            events: events_json(&new.events),
            enabled: new.enabled,
            disabled_reason: None,
            created_at: at,
            updated_at: at,
        };
        let stored = row.clone();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    if repo::count(conn)? >= MAX_WEBHOOKS {
                        return Err(AppError::conflict(format!("at most {MAX_WEBHOOKS} webhooks")));
                    }
                    repo::insert(conn, &stored)?;
                    let done = Done::to(AuditAction::WebhookCreate, AuditTarget::Webhook, stored.id);
                    record(conn, Some(me.user_id), done)
                })
            })
            .await?;
        Ok(CreatedWebhook { webhook: webhook(row)?, secret })
    }

    /// Every endpoint, oldest first.
    pub async fn list_webhooks(&self, viewer: Viewer) -> AppResult<Vec<Webhook>> {
        policy::can_manage_webhooks(viewer)?;
        self.db().run(repo::all).await?.into_iter().map(webhook).collect()
    }

    pub async fn get_webhook(&self, viewer: Viewer, id: &str) -> AppResult<Webhook> {
        policy::can_manage_webhooks(viewer)?;
        let id = webhook_id(id)?;
        let row = self.db().run(move |conn| repo::by_id(conn, id)).await?;
        webhook(row.ok_or(AppError::NotFound("webhook"))?)
    }

    pub async fn update_webhook(&self, viewer: Viewer, id: &str, patch: WebhookPatch) -> AppResult<Webhook> {
        let me = policy::can_manage_webhooks(viewer)?;
        let id = webhook_id(id)?;
        let url = patch.url.as_ref().map(|u| self.destination(u)).transpose()?;
        let changes = WebhookChanges {
            url,
            events: patch.events.as_deref().map(events_json),
            enabled: patch.enabled,
            disabled_reason: patch.enabled.filter(|e| *e).map(|_| None),
            updated_at: Some(to_db(now())),
        };
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    repo::by_id(conn, id)?.ok_or(AppError::NotFound("webhook"))?;
                    repo::update(conn, id, &changes)?;
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::WebhookUpdate, AuditTarget::Webhook, id),
                    )
                })
            })
            .await?;
        // Enabled again, its waiting deliveries are due.
        self.wake_webhook_worker();
        self.get_webhook(viewer, &id.to_string()).await
    }

    /// Removes an endpoint with its deliveries and their log.
    pub async fn delete_webhook(&self, viewer: Viewer, id: &str) -> AppResult<()> {
        let me = policy::can_manage_webhooks(viewer)?;
        let id = webhook_id(id)?;
        let deleted = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    let deleted = repo::delete(conn, id)?;
                    if deleted {
                        let done = Done::to(AuditAction::WebhookDelete, AuditTarget::Webhook, id);
                        record(conn, Some(me.user_id), done)?;
                    }
                    Ok(deleted)
                })
            })
            .await?;
        if deleted { Ok(()) } else { Err(AppError::NotFound("webhook")) }
    }

    /// An endpoint's deliveries, newest first, each with its attempts.
    pub async fn webhook_deliveries(
        &self,
        viewer: Viewer,
        id: &str,
        limit: Limit,
        after: Option<TimeCursor<DeliveryId>>,
    ) -> AppResult<Page<Delivery>> {
        self.get_webhook(viewer, id).await?;
        let id = webhook_id(id)?;
        let before = after.map(|c| (to_db(c.at), c.id));
        let rows = self
            .db()
            .run(move |conn| {
                let rows = repo::deliveries(conn, id, before, limit.probe())?;
                let ids: Vec<DeliveryId> = rows.iter().map(|(d, _)| d.id).collect();
                let attempts = repo::attempts(conn, &ids)?;
                Ok(rows.into_iter().map(|(d, kind)| delivery(d, kind, &attempts)).collect::<Vec<_>>())
            })
            .await?;
        Ok(Page::from_probe(rows, limit, |d: &Delivery| {
            TimeCursor { at: d.created_at, id: d.id }.encode(CursorKind::Deliveries)
        }))
    }

    /// Sends an event to an endpoint again: a new delivery, due now, with
    /// an attempt log of its own. The endpoint must be enabled.
    pub async fn redeliver(&self, viewer: Viewer, id: &str, delivery_id: &str) -> AppResult<Delivery> {
        let me = policy::can_manage_webhooks(viewer)?;
        let hook = self.get_webhook(viewer, id).await?;
        if !hook.enabled {
            return Err(AppError::conflict("the webhook is disabled; enable it to redeliver"));
        }
        let delivery_id = DeliveryId::parse_field(delivery_id, "delivery_id")
            .map_err(|_| AppError::NotFound("delivery"))?;
        let fresh = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    let (old, kind) =
                        repo::delivery(conn, hook.id, delivery_id)?.ok_or(AppError::NotFound("delivery"))?;
                    let at = to_db(now());
                    let row = DeliveryRow {
                        id: DeliveryId::generate(),
                        webhook_id: hook.id,
                        event_id: old.event_id,
                        status: DeliveryStatus::Pending,
                        attempts: 0,
                        next_attempt_at: Some(at),
                        created_at: at,
                        updated_at: at,
                    };
                    repo::insert_deliveries(conn, std::slice::from_ref(&row))?;
                    let done = Done::to(AuditAction::WebhookRedeliver, AuditTarget::Webhook, hook.id);
                    record(conn, Some(me.user_id), done)?;
                    Ok(delivery(row, kind, &[]))
                })
            })
            .await?;
        self.wake_webhook_worker();
        Ok(fresh)
    }
}

fn delivery(row: DeliveryRow, kind: WebhookEvent, attempts: &[repo::AttemptRow]) -> Delivery {
    Delivery {
        id: row.id,
        event_id: row.event_id,
        event_type: kind,
        status: row.status,
        next_attempt_at: row.next_attempt_at.filter(|_| row.status == DeliveryStatus::Pending).map(from_db),
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
        attempts: attempts
            .iter()
            .filter(|a| a.delivery_id == row.id)
            .map(|a| AttemptLog {
                attempted_at: from_db(a.attempted_at),
                status_code: a.status_code,
                latency_ms: a.latency_ms,
                response_excerpt: a.response_excerpt.clone(),
                error: a.error.clone(),
            })
            .collect(),
    }
}
