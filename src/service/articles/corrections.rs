//! Corrections and updates: editors append notes to published stories.

use super::read::find;
use crate::db::repo::articles::corrections::{self as repo, CorrectionRow};
use crate::domain::article::{ArticleKey, ArticleStatus};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::correction::{Correction, MAX_CORRECTIONS, NewCorrection};
use crate::domain::time::{now, to_db};
use crate::domain::{Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::audit::{Done, record};
use crate::service::freshness::article_changed;
use crate::service::webhooks::outbox;

fn not_published(status: ArticleStatus) -> AppError {
    AppError::Conflict {
        message: format!("corrections and updates go under published stories; this one is {status}"),
        current_status: Some(status.as_str()),
    }
}

impl Services {
    /// Appends a correction or an update to a published story: shown under
    /// it in order, never edited; the story's `updated_at` moves to the
    /// note's time and its version goes up. Editors and up.
    pub async fn add_correction(
        &self,
        viewer: Viewer,
        key: impl Into<ArticleKey>,
        note: NewCorrection,
    ) -> AppResult<Correction> {
        let me = policy::can_correct(viewer)?;
        let key = key.into();
        let site = self.shared_site();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let id = find(conn, &key)?.id;
                    // The row lock first: of two notes sent at once, the second
                    // waits here for the first, and is timed after it; and the
                    // story is read as it is under the lock, not as it was
                    // before a move that committed meanwhile.
                    let locked = repo::lock_published(conn, id)?;
                    let before = find(conn, &id.into())?;
                    if !locked {
                        return Err(not_published(before.status));
                    }
                    let at = to_db(now());
                    if repo::count(conn, before.id)? >= MAX_CORRECTIONS as i64 {
                        return Err(AppError::conflict(format!(
                            "a story carries at most {MAX_CORRECTIONS} corrections and updates"
                        )));
                    }
                    let correction = repo::append(
                        conn,
                        &CorrectionRow {
                            id: uuid::Uuid::now_v7().to_string(),
                            article_id: before.id,
                            kind: note.kind,
                            body: note.text.into_string(),
                            created_by: me.user_id,
                            created_at: at,
                        },
                    )?;
                    repo::mark_updated(conn, before.id, me.user_id, at)?;
                    let after = find(conn, &before.id.into())?;
                    conn.changes(article_changed(Some(&before), Some(&after)));
                    outbox::article_event(conn, &site, Some(&before), Some(&after))?;
                    // `before` was read under the lock, which took the version up by one.
                    let done = Done::to(AuditAction::CorrectionAdd, AuditTarget::Article, before.id);
                    record(
                        conn,
                        Some(me.user_id),
                        done.versions(Some(before.version - 1), Some(after.version)),
                    )?;
                    Ok(correction)
                })
            })
            .await
    }
}
