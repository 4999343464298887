//! The audit log: every staff action is written with it, in the same
//! transaction, so the log and the change land together or not at all.

use super::Services;
use crate::db::DbConn;
use crate::db::repo::audit::{self as repo, AuditRow, Narrowing};
use crate::domain::audit::{AuditAction, AuditEntry, AuditQuery, AuditTarget};
use crate::domain::page::{CursorKind, Page, TimeCursor};
use crate::domain::time::{now, to_db};
use crate::domain::{AuditEntryId, UserId, Viewer, policy};
use crate::error::AppResult;

/// What one action did to one thing.
#[derive(Debug, Clone)]
pub struct Done {
    pub action: AuditAction,
    pub target: AuditTarget,
    pub target_id: String,
    pub before_version: Option<i64>,
    pub after_version: Option<i64>,
}

impl Done {
    /// An action on something without versions.
    pub fn to(action: AuditAction, target: AuditTarget, id: impl ToString) -> Self {
        Self { action, target, target_id: id.to_string(), before_version: None, after_version: None }
    }

    /// The target's versions before and after.
    pub fn versions(mut self, before: Option<i64>, after: Option<i64>) -> Self {
        self.before_version = before;
        self.after_version = after;
        self
    }
}

/// Writes an entry, by `actor` (`None`: the scheduler), in the caller's transaction.
pub(crate) fn record(conn: &mut DbConn, actor: Option<UserId>, done: Done) -> AppResult<()> {
    repo::append(
        conn,
        &AuditRow {
            id: AuditEntryId::generate(),
            at: to_db(now()),
            actor_id: actor,
            action: done.action,
            target_kind: done.target,
            target_id: done.target_id,
            before_version: done.before_version,
            after_version: done.after_version,
        },
    )
}

impl Services {
    /// The log, newest first, narrowed by the query's filters. Admins.
    pub async fn audit_log(&self, viewer: Viewer, query: AuditQuery) -> AppResult<Page<AuditEntry>> {
        policy::can_read_audit(viewer)?;
        let narrowing = Narrowing {
            actor: query.actor,
            action: query.action,
            target: query.target,
            from: query.from.map(to_db),
            to: query.to.map(to_db),
            after: query.after.map(|c| (to_db(c.at), c.id)),
        };
        let limit = query.limit;
        let entries = self.db().run(move |conn| repo::page(conn, narrowing, limit.probe())).await?;
        Ok(Page::from_probe(entries, limit, |e: &AuditEntry| {
            TimeCursor { at: e.at, id: e.id }.encode(CursorKind::Audit)
        }))
    }
}
