//! The moderation queue and readers' reports, as GraphQL shows them.

use async_graphql::{ID, Object};

use super::comment::CommentObject;
use super::time::Timestamp;
use crate::domain::moderation::{QueueEntry, QueuedArticle, Report, ReportReason};

/// A report as filed.
pub struct ReportObject(pub Report);

#[Object(name = "Report")]
impl ReportObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn comment_id(&self) -> ID {
        self.0.comment_id.into()
    }
    async fn reason(&self) -> ReportReason {
        self.0.reason
    }
    /// What the reader added; null when nothing.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// The article a queued comment is under.
pub struct QueuedArticleObject(QueuedArticle);

#[Object(name = "QueuedArticle")]
impl QueuedArticleObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
}

/// A comment waiting for an editor: held for approval, reported, or both.
pub struct QueueEntryObject(pub QueueEntry);

#[Object(name = "QueueEntry")]
impl QueueEntryObject {
    async fn comment(&self) -> CommentObject {
        CommentObject(self.0.comment.clone())
    }
    async fn article(&self) -> QueuedArticleObject {
        QueuedArticleObject(self.0.article.clone())
    }
    /// Held for approval (a pre-moderated article): not public until approved.
    async fn held(&self) -> bool {
        self.0.held
    }
    /// Reported by readers (reports still open).
    async fn reported(&self) -> bool {
        self.0.reported()
    }
    /// Open reports.
    async fn report_count(&self) -> i32 {
        i32::try_from(self.0.report_count).unwrap_or(i32::MAX)
    }
    /// The open reports' reasons, each once.
    async fn reasons(&self) -> Vec<ReportReason> {
        self.0.reasons.clone()
    }
}
