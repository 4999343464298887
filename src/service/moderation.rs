//! Comment moderation: readers' reports, the queue editors work through
//! (held comments and reported ones, across all articles), and an editor's
//! decisions: approve (show a held comment, dismiss reports) or hide.

use super::Services;
use super::articles::find_article;
use super::comments::{comment_id, move_comment, thread_of};
use super::freshness::Key;
use super::webhooks::outbox::{self, CommentFacts};
use crate::db::models::{CommentRow, ReportRow};
use crate::db::repo::comments as comment_repo;
use crate::db::repo::{reports, users};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::comment::Comment;
use crate::domain::ids::ReportId;
use crate::domain::moderation::{QueueEntry, Report, ReportReason, distinct_reasons};
use crate::domain::page::{CursorKind, Limit, Page, TimeCursor};
use crate::domain::text::ReportNote;
use crate::domain::time::{from_db, now, to_db};
use crate::domain::webhook::WebhookEvent;
use crate::domain::{CommentId, CommentStatus, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::audit::{Done, record};

/// A reader's report of a comment.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub reason: ReportReason,
    /// What the reader adds; `None` when empty.
    pub note: Option<ReportNote>,
}

impl Services {
    /// Reports a comment the caller can see. Any signed-in user, once per
    /// comment: a second report of the same comment is a conflict.
    pub async fn report_comment(&self, viewer: Viewer, id: &str, report: NewReport) -> AppResult<Report> {
        let me = policy::can_report(viewer)?;
        let id = comment_id(id)?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    users::commenter(conn, me.user_id)?
                        .ok_or_else(|| AppError::Unauthenticated("no such account".into()))?;
                    let row = comment_repo::find(conn, id)?.ok_or(AppError::NotFound("comment"))?;
                    let article = find_article(conn, &row.article_id.into())?;
                    // Only what shows in a public thread as written can be reported:
                    // anything else is, to a reader, not there.
                    if row.status != CommentStatus::Visible || !policy::can_read(viewer, &article, now()) {
                        return Err(AppError::NotFound("comment"));
                    }
                    if reports::has_reported(conn, id, me.user_id)? {
                        return Err(reports::already_reported());
                    }
                    let filed = ReportRow {
                        id: ReportId::generate(),
                        comment_id: id,
                        reporter_id: me.user_id,
                        reason: report.reason,
                        note: report.note.map(String::from),
                        created_at: to_db(now()),
                        closed_at: None,
                    };
                    reports::insert(conn, &filed)?;
                    conn.changes([Key::Moderation]);
                    Ok(Report::from(filed))
                })
            })
            .await
    }

    /// The moderation queue, oldest comment first: comments held for
    /// approval and visible ones with open reports, on every article, each
    /// with its article, why it waits, and its reports' count and reasons.
    /// Editors and up.
    pub async fn moderation_queue(
        &self,
        viewer: Viewer,
        limit: Limit,
        after: Option<TimeCursor<CommentId>>,
    ) -> AppResult<Page<QueueEntry>> {
        policy::can_moderate(viewer)?;
        let entries = self
            .db()
            .read(move |conn, shown| {
                shown.push(Key::Moderation);
                let rows = reports::queue_page(conn, after.map(|c| (to_db(c.at), c.id)), limit.probe())?;
                let ids: Vec<CommentId> = rows.iter().map(|(row, ..)| row.id).collect();
                let reasons = reports::open_reasons(conn, &ids)?;
                Ok(rows
                    .into_iter()
                    .map(|(row, author, article)| {
                        shown.extend(thread_of(article.id));
                        let given: Vec<ReportReason> =
                            reasons.iter().filter(|(c, _)| *c == row.id).map(|(_, r)| *r).collect();
                        QueueEntry {
                            held: row.status == CommentStatus::Held,
                            report_count: i64::try_from(given.len()).unwrap_or(i64::MAX),
                            reasons: distinct_reasons(given),
                            comment: row.into_comment(author),
                            article,
                        }
                    })
                    .collect::<Vec<_>>())
            })
            .await?;
        Ok(Page::from_probe(entries, limit, |e: &QueueEntry| {
            TimeCursor { at: e.comment.created_at, id: e.comment.id }.encode(CursorKind::Queue)
        }))
    }

    /// Approves a comment: a held one becomes visible (and counted); a
    /// reported one has its open reports dismissed. Either way it leaves
    /// the queue. Editors and up.
    pub async fn approve_comment(&self, viewer: Viewer, id: &str) -> AppResult<Comment> {
        let me = policy::can_moderate(viewer)?;
        let id = comment_id(id)?;
        let notice = self.comment_notice(id);
        let site = self.shared_site();
        let shown = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = comment_repo::find(conn, id)?.ok_or(AppError::NotFound("comment"))?;
                    let dismissed = reports::close_open(conn, row.id, to_db(now()))?;
                    let shown = match row.status {
                        CommentStatus::Held => {
                            move_comment(conn, &row, CommentStatus::Visible)?;
                            // Public from now: announced as a new comment.
                            if let Some(notice) = &notice {
                                conn.notify_event(notice)?;
                            }
                            let article = find_article(conn, &row.article_id.into())?;
                            let facts = facts(&row, CommentStatus::Visible);
                            outbox::comment_event(
                                conn,
                                &site,
                                WebhookEvent::CommentCreated,
                                facts,
                                &article,
                            )?;
                            Ok(true)
                        }
                        CommentStatus::Visible if dismissed > 0 => {
                            conn.changes([Key::Moderation]);
                            Ok(false)
                        }
                        status => Err(not_waiting(status)),
                    }?;
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::CommentApprove, AuditTarget::Comment, id),
                    )?;
                    Ok(shown)
                })
            })
            .await?;
        let comment = self.comment(viewer, id).await?;
        if shown {
            self.announce_comment(comment.clone());
        }
        Ok(comment)
    }

    /// Hides (`hidden = true`) or restores a comment. Editors and up. Hiding
    /// a held comment rejects it; hiding upholds the comment's open reports
    /// (closes them), so either way it leaves the moderation queue.
    pub async fn moderate_comment(&self, viewer: Viewer, id: &str, hidden: bool) -> AppResult<Comment> {
        let me = policy::can_moderate(viewer)?;
        let id = comment_id(id)?;
        let site = self.shared_site();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = comment_repo::find(conn, id)?.ok_or(AppError::NotFound("comment"))?;
                    let (from, to) = match (hidden, row.status) {
                        (true, CommentStatus::Held) => (CommentStatus::Held, CommentStatus::Hidden),
                        (true, _) => (CommentStatus::Visible, CommentStatus::Hidden),
                        (false, _) => (CommentStatus::Hidden, CommentStatus::Visible),
                    };
                    if row.status != from {
                        return Err(AppError::Conflict {
                            message: format!(
                                "cannot {} a {} comment",
                                if hidden { "hide" } else { "unhide" },
                                row.status
                            ),
                            current_status: Some(row.status.as_str()),
                        });
                    }
                    move_comment(conn, &row, to)?;
                    if hidden {
                        reports::close_open(conn, row.id, to_db(now()))?;
                    }
                    // The outside world never saw a held comment: nothing to take back.
                    if hidden && from == CommentStatus::Visible {
                        let article = find_article(conn, &row.article_id.into())?;
                        let facts = facts(&row, to);
                        outbox::comment_event(conn, &site, WebhookEvent::CommentHidden, facts, &article)?;
                    }
                    let action = if hidden { AuditAction::CommentHide } else { AuditAction::CommentUnhide };
                    record(conn, Some(me.user_id), Done::to(action, AuditTarget::Comment, id))
                })
            })
            .await?;
        self.comment(viewer, id).await
    }
}

/// What a webhook says of `row` once it is in `status`.
fn facts(row: &CommentRow, status: CommentStatus) -> CommentFacts {
    CommentFacts { id: row.id, parent_id: row.parent_id, status, created_at: from_db(row.created_at) }
}

/// The refusal to approve a comment that is not waiting for an editor.
fn not_waiting(status: CommentStatus) -> AppError {
    let message = match status {
        CommentStatus::Visible => "the comment is visible and has no open reports: nothing to approve".into(),
        other => format!("a {other} comment cannot be approved"),
    };
    AppError::Conflict { message, current_status: Some(status.as_str()) }
}
