//! The audit log: appended in the transaction of the action it records,
//! read newest first.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{audit_log, users};
use crate::db::{DbConn, on_backend};
use crate::domain::article::Byline;
use crate::domain::audit::{AuditAction, AuditEntry, AuditTarget};
use crate::domain::time::from_db;
use crate::domain::{AuditEntryId, UserId};
use crate::error::AppResult;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct AuditRow {
    pub id: AuditEntryId,
    pub at: NaiveDateTime,
    pub actor_id: Option<UserId>,
    pub action: AuditAction,
    pub target_kind: AuditTarget,
    pub target_id: String,
    pub before_version: Option<i64>,
    pub after_version: Option<i64>,
}

type Read = (
    AuditEntryId,
    NaiveDateTime,
    Option<UserId>,
    Option<String>,
    AuditAction,
    AuditTarget,
    String,
    Option<i64>,
    Option<i64>,
);

/// Which entries a page holds, in the database's terms.
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    pub actor: Option<UserId>,
    pub action: Option<AuditAction>,
    pub target: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// After this `(at, id)`, going back in time.
    pub after: Option<(NaiveDateTime, AuditEntryId)>,
}

pub fn append(conn: &mut DbConn, row: &AuditRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(audit_log::table).values(row).execute(c))?;
    Ok(())
}

/// Entries newest first.
pub fn page(conn: &mut DbConn, n: Narrowing, limit: i64) -> AppResult<Vec<AuditEntry>> {
    let rows: Vec<Read> = on_backend!(conn, |c| {
        let mut query = audit_log::table.left_join(users::table).into_boxed();
        if let Some(actor) = n.actor {
            query = query.filter(audit_log::actor_id.eq(actor));
        }
        if let Some(action) = n.action {
            query = query.filter(audit_log::action.eq(action));
        }
        if let Some(target) = &n.target {
            query = query.filter(audit_log::target_id.eq(target));
        }
        if let Some(from) = n.from {
            query = query.filter(audit_log::at.ge(from));
        }
        if let Some(to) = n.to {
            query = query.filter(audit_log::at.lt(to));
        }
        if let Some((at, id)) = n.after {
            query = query.filter(audit_log::at.lt(at).or(audit_log::at.eq(at).and(audit_log::id.lt(id))));
        }
        query
            .order((audit_log::at.desc(), audit_log::id.desc()))
            .limit(limit)
            .select((
                audit_log::id,
                audit_log::at,
                audit_log::actor_id,
                users::display_name.nullable(),
                audit_log::action,
                audit_log::target_kind,
                audit_log::target_id,
                audit_log::before_version,
                audit_log::after_version,
            ))
            .load(c)
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, at, actor, name, action, target, target_id, before_version, after_version)| AuditEntry {
            id,
            at: from_db(at),
            actor: actor.map(|id| Byline { id, display_name: name.unwrap_or_default() }),
            action,
            target,
            target_id,
            before_version,
            after_version,
        })
        .collect())
}
