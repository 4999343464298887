//! Webhook endpoints, the outbox of events, and the log of deliveries and
//! their attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::schema::{webhook_attempts, webhook_deliveries, webhook_events, webhooks};
use crate::db::sql::{Bind, Statement};
use crate::db::{Backend, DbConn, on_backend};
use crate::domain::ids::{DeliveryId, EventId, WebhookId};
use crate::domain::webhook::{DeliveryStatus, WebhookEvent};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct WebhookRow {
    pub id: WebhookId,
    pub url: String,
    pub secret: String,
    /// A JSON array of event names.
    pub events: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = webhooks)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub events: Option<String>,
    pub enabled: Option<bool>,
    pub disabled_reason: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct EventRow {
    pub id: EventId,
    pub event_type: WebhookEvent,
    pub payload: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct DeliveryRow {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event_id: EventId,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_attempts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct AttemptRow {
    pub id: String,
    pub delivery_id: DeliveryId,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    pub response_excerpt: String,
    pub error: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &WebhookRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(webhooks::table).values(row).execute(c))?;
    Ok(())
}

pub fn count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(on_backend!(conn, |c| webhooks::table.count().get_result(c))?)
}

pub fn all(conn: &mut DbConn) -> AppResult<Vec<WebhookRow>> {
    Ok(on_backend!(conn, |c| webhooks::table
        .select(WebhookRow::as_select())
        .order((webhooks::created_at, webhooks::id))
        .load(c))?)
}

pub fn by_id(conn: &mut DbConn, id: WebhookId) -> AppResult<Option<WebhookRow>> {
    Ok(on_backend!(conn, |c| webhooks::table.find(id).select(WebhookRow::as_select()).first(c).optional())?)
}

pub fn update(conn: &mut DbConn, id: WebhookId, changes: &WebhookChanges) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(webhooks::table.find(id)).set(changes).execute(c))?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: WebhookId) -> AppResult<bool> {
    Ok(on_backend!(conn, |c| diesel::delete(webhooks::table.find(id)).execute(c))? == 1)
}

/// Enabled endpoints with their event lists.
pub fn enabled(conn: &mut DbConn) -> AppResult<Vec<(WebhookId, String)>> {
    Ok(on_backend!(conn, |c| webhooks::table
        .filter(webhooks::enabled.eq(true))
        .select((webhooks::id, webhooks::events))
        .load(c))?)
}

pub fn insert_event(conn: &mut DbConn, row: &EventRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(webhook_events::table).values(row).execute(c))?;
    Ok(())
}

pub fn insert_deliveries(conn: &mut DbConn, rows: &[DeliveryRow]) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(webhook_deliveries::table).values(rows).execute(c))?;
    Ok(())
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Text)]
    id: DeliveryId,
}

/// Takes up to `limit` pending deliveries due at `now` for this instance:
/// their next attempt moves to `lease_until`, so no other instance takes
/// them meanwhile. One statement; on PostgreSQL rows another instance is
/// claiming are skipped, not waited for. A disabled endpoint's deliveries
/// wait until it is enabled again.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<DeliveryId>> {
    let mut st = Statement::new(conn);
    let lease = st.push(Bind::Time(lease_until));
    let pending = st.push(Bind::Text(DeliveryStatus::Pending.as_str().to_owned()));
    let due = st.push(Bind::Time(now));
    let enabled = st.push(Bind::Bool(true));
    let limit = st.push(Bind::Int(limit));
    let skip = match st.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    st.sql = format!(
        "UPDATE webhook_deliveries SET next_attempt_at = {lease} WHERE id IN ( \
           SELECT id FROM webhook_deliveries WHERE status = {pending} AND next_attempt_at <= {due} \
           AND webhook_id IN (SELECT id FROM webhooks WHERE enabled = {enabled}) \
           ORDER BY next_attempt_at LIMIT {limit}{skip} \
         ) RETURNING id"
    );
    Ok(st.load::<Claimed>(conn)?.into_iter().map(|c| c.id).collect())
}

/// What a claimed delivery needs: itself, its endpoint and its event.
pub fn claimed(conn: &mut DbConn, ids: &[DeliveryId]) -> AppResult<Vec<(DeliveryRow, WebhookRow, EventRow)>> {
    Ok(on_backend!(conn, |c| webhook_deliveries::table
        .inner_join(webhooks::table)
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::id.eq_any(ids))
        .select((DeliveryRow::as_select(), WebhookRow::as_select(), EventRow::as_select()))
        .load(c))?)
}

pub fn insert_attempt(conn: &mut DbConn, row: &AttemptRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(webhook_attempts::table).values(row).execute(c))?;
    Ok(())
}

/// Records where a delivery claimed until `lease` stands after one more
/// attempt; `false` (nothing written) when it is no longer this claim's:
/// the lease ran out and another instance took it.
pub fn settle(
    conn: &mut DbConn,
    id: DeliveryId,
    lease: NaiveDateTime,
    status: DeliveryStatus,
    next_attempt_at: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| diesel::update(
        webhook_deliveries::table
            .find(id)
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
            .filter(webhook_deliveries::next_attempt_at.eq(lease))
    )
    .set((
        webhook_deliveries::status.eq(status),
        webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
        webhook_deliveries::next_attempt_at.eq(next_attempt_at),
        webhook_deliveries::updated_at.eq(at),
    ))
    .execute(c))?;
    Ok(updated == 1)
}

/// Whether any delivery to `webhook` succeeded at or after `since`.
pub fn succeeded_since(conn: &mut DbConn, webhook: WebhookId, since: NaiveDateTime) -> AppResult<bool> {
    let count: i64 = on_backend!(conn, |c| webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook))
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Succeeded))
        .filter(webhook_deliveries::updated_at.ge(since))
        .count()
        .get_result(c))?;
    Ok(count > 0)
}

/// An endpoint's deliveries, newest first, before `before` if given.
pub fn deliveries(
    conn: &mut DbConn,
    webhook: WebhookId,
    before: Option<(NaiveDateTime, DeliveryId)>,
    probe: i64,
) -> AppResult<Vec<(DeliveryRow, WebhookEvent)>> {
    Ok(on_backend!(conn, |c| {
        let mut query = webhook_deliveries::table
            .inner_join(webhook_events::table)
            .filter(webhook_deliveries::webhook_id.eq(webhook))
            .select((DeliveryRow::as_select(), webhook_events::event_type))
            .into_boxed();
        if let Some((at, id)) = before {
            query = query.filter(
                webhook_deliveries::created_at
                    .lt(at)
                    .or(webhook_deliveries::created_at.eq(at).and(webhook_deliveries::id.lt(id))),
            );
        }
        query
            .order((webhook_deliveries::created_at.desc(), webhook_deliveries::id.desc()))
            .limit(probe)
            .load(c)
    })?)
}

/// The attempts of some deliveries, oldest first.
pub fn attempts(conn: &mut DbConn, deliveries: &[DeliveryId]) -> AppResult<Vec<AttemptRow>> {
    Ok(on_backend!(conn, |c| webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(deliveries))
        .select(AttemptRow::as_select())
        .order(webhook_attempts::attempted_at)
        .load(c))?)
}

pub fn delivery(
    conn: &mut DbConn,
    webhook: WebhookId,
    id: DeliveryId,
) -> AppResult<Option<(DeliveryRow, WebhookEvent)>> {
    Ok(on_backend!(conn, |c| webhook_deliveries::table
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::webhook_id.eq(webhook))
        .filter(webhook_deliveries::id.eq(id))
        .select((DeliveryRow::as_select(), webhook_events::event_type))
        .first(c)
        .optional())?)
}

/// When the next pending delivery to an enabled endpoint is due, if any.
pub fn next_due(conn: &mut DbConn) -> AppResult<Option<NaiveDateTime>> {
    Ok(on_backend!(conn, |c| webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhooks::enabled.eq(true))
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
        .select(diesel::dsl::min(webhook_deliveries::next_attempt_at))
        .first::<Option<NaiveDateTime>>(c))?)
}
