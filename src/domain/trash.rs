//! The trash: where a deleted article waits, restorable, until its window
//! passes.

use chrono::{DateTime, Utc};

use super::ArticleId;
use super::article::{ArticleStatus, Byline};

/// How long a deleted article stays restorable unless configured otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

/// A deleted article, as the trash lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashedArticle {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    /// Its status when it was deleted, and again once restored.
    pub status: ArticleStatus,
    pub version: i64,
    /// Its comments, which come back with it.
    pub comment_count: i32,
    pub deleted_by: Byline,
    pub deleted_at: DateTime<Utc>,
    /// When it is purged for good: restoring is refused from then on.
    pub purge_at: DateTime<Utc>,
}
