//! Delivering the outbox: due deliveries are claimed (one instance each,
//! however many run), sent signed, and their attempts logged; a failure is
//! tried again on the Standard Webhooks schedule, and an endpoint that
//! fails every delivery for that long is disabled.

use chrono::{DateTime, NaiveDateTime, Utc};
use futures_util::future::join_all;

use crate::db::repo::webhooks::{
    self as repo, AttemptRow, DeliveryRow, EventRow, WebhookChanges, WebhookRow,
};
use crate::domain::time::{now, to_db};
use crate::domain::webhook::{DeliveryStatus, retry_after};
use crate::error::AppResult;
use crate::service::Services;
use crate::webhooks::Attempt;

/// How many deliveries one round takes at most.
const ROUND: i64 = 32;
/// How long a claimed delivery is this instance's: longer than an attempt
/// may take, after which another instance may try it (this one having died).
const LEASE: chrono::Duration = chrono::Duration::seconds(120);

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryRound {
    pub attempted: usize,
    pub succeeded: usize,
}

impl Services {
    /// Delivers every pending delivery due by `due_by` (the background
    /// worker passes the time; tests pass a later one to bring retries
    /// forward). Attempts are made and logged at the real time.
    pub async fn deliver_webhooks(&self, due_by: DateTime<Utc>) -> AppResult<DeliveryRound> {
        let lease_until = to_db(now() + LEASE);
        let claimed = self
            .db()
            .run(move |conn| {
                let ids = repo::claim_due(conn, to_db(due_by), lease_until, ROUND)?;
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                repo::claimed(conn, &ids)
            })
            .await?;
        let attempts = join_all(
            claimed
                .into_iter()
                .map(|(delivery, hook, event)| self.attempt(delivery, hook, event, lease_until)),
        )
        .await;
        let mut round = DeliveryRound::default();
        for result in attempts {
            round.attempted += 1;
            round.succeeded += usize::from(result?);
        }
        Ok(round)
    }

    /// One attempt, logged; `true` if it succeeded.
    async fn attempt(
        &self,
        delivery: DeliveryRow,
        hook: WebhookRow,
        event: EventRow,
        lease: NaiveDateTime,
    ) -> AppResult<bool> {
        let msg_id = format!("msg_{}", event.id.uuid().simple());
        let sent = self
            .webhook_sender
            .send(&hook.url, &hook.secret, &msg_id, now().timestamp(), &event.payload)
            .await;
        let succeeded = sent.succeeded();
        self.db()
            .run(move |conn| conn.transaction(|conn| record(conn, &delivery, &hook, &sent, lease)))
            .await?;
        Ok(succeeded)
    }

    /// When the next pending delivery is due, if any.
    pub(crate) async fn next_delivery_due(&self) -> AppResult<Option<chrono::NaiveDateTime>> {
        self.db().run(repo::next_due).await
    }
}

/// Logs an attempt and settles its delivery: done, tried again later, or
/// failed for good, which disables an endpoint that has not answered well
/// since the delivery began.
fn record(
    conn: &mut crate::db::DbConn,
    delivery: &DeliveryRow,
    hook: &WebhookRow,
    sent: &Attempt,
    lease: NaiveDateTime,
) -> AppResult<()> {
    // Delivery bookkeeping changes nothing any read shows.
    conn.changes([]);
    let at = to_db(now());
    repo::insert_attempt(
        conn,
        &AttemptRow {
            id: uuid::Uuid::now_v7().to_string(),
            delivery_id: delivery.id,
            attempted_at: at,
            status_code: sent.status.map(i32::from),
            latency_ms: i32::try_from(sent.latency.as_millis()).unwrap_or(i32::MAX),
            response_excerpt: sent.excerpt.clone(),
            error: sent.error.clone(),
        },
    )?;
    // The claim read the count; no one else moves it while the lease holds.
    let attempts = delivery.attempts + 1;
    let (status, next) = match retry_after(attempts) {
        _ if sent.succeeded() => (DeliveryStatus::Succeeded, None),
        Some(wait) => (DeliveryStatus::Pending, Some(to_db(now() + wait))),
        None => (DeliveryStatus::Failed, None),
    };
    if !repo::settle(conn, delivery.id, lease, status, next, at)? {
        // The lease ran out mid-attempt and another instance has it now.
        return Ok(());
    }
    if status == DeliveryStatus::Failed && !repo::succeeded_since(conn, hook.id, delivery.created_at)? {
        let why = match (&sent.status, &sent.error) {
            (Some(status), _) => format!("answered {status}"),
            (None, Some(error)) => error.clone(),
            (None, None) => "did not answer".to_owned(),
        };
        let reason = format!("every delivery failed for a day (last: {why})");
        tracing::warn!(webhook = %hook.id, %reason, "webhook disabled");
        repo::update(
            conn,
            hook.id,
            &WebhookChanges {
                enabled: Some(false),
                disabled_reason: Some(Some(reason)),
                ..WebhookChanges::default()
            },
        )?;
    }
    Ok(())
}
