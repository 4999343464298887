//! The moderation queue and readers' reports, as REST shows them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Comment;
use crate::domain::moderation::{self, ReportReason};

/// A report as filed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Report {
    pub id: Uuid,
    pub comment_id: Uuid,
    pub reason: ReportReason,
    /// What the reader added; null when nothing.
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<moderation::Report> for Report {
    fn from(r: moderation::Report) -> Self {
        Self {
            id: r.id.uuid(),
            comment_id: r.comment_id.uuid(),
            reason: r.reason,
            note: r.note,
            created_at: r.created_at,
        }
    }
}

/// The article a queued comment is under.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedArticle {
    pub id: Uuid,
    #[schema(example = "ministers-agree-winter-energy-price-cap")]
    pub slug: String,
    #[schema(example = "Ministers agree winter energy price cap")]
    pub title: String,
}

/// A comment waiting for an editor.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueEntry {
    pub comment: Comment,
    pub article: QueuedArticle,
    /// Held for approval (a pre-moderated article): not public until approved.
    pub held: bool,
    /// Reported by readers (reports still open).
    pub reported: bool,
    /// Open reports.
    #[schema(example = 2)]
    pub report_count: i64,
    /// The open reports' reasons, each once.
    pub reasons: Vec<ReportReason>,
}

impl From<moderation::QueueEntry> for QueueEntry {
    fn from(e: moderation::QueueEntry) -> Self {
        Self {
            held: e.held,
            reported: e.reported(),
            report_count: e.report_count,
            reasons: e.reasons,
            comment: Comment::from(e.comment),
            article: QueuedArticle { id: e.article.id.uuid(), slug: e.article.slug, title: e.article.title },
        }
    }
}

/// A page of the moderation queue, oldest comment first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModerationQueue {
    pub data: Vec<QueueEntry>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}
