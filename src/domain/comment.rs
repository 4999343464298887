//! Reader comments.

use chrono::{DateTime, Utc};

use super::article::Byline;
use super::vocabulary::vocabulary;
use super::{ArticleId, CommentId};

vocabulary! {
    /// Whether a comment shows in its thread.
    pub enum CommentStatus {
        Visible = "visible",
        /// Removed by a moderator; only editors see it.
        Hidden = "hidden",
        /// Removed by its author: a tombstone with no text or author.
        Deleted = "deleted",
        /// Awaiting an editor's approval (pre-moderated): only editors see it.
        Held = "held",
    }
}

impl CommentStatus {
    /// Shown in public threads: visible comments and tombstones.
    pub fn is_public(self) -> bool {
        matches!(self, Self::Visible | Self::Deleted)
    }
}

vocabulary! {
    /// Who may comment on an article, and whether comments wait for approval.
    pub enum CommentsMode {
        /// Signed-in users comment; their comments show at once.
        Open = "open",
        /// Nobody comments; the comments already there stay.
        Closed = "closed",
        /// Readers' comments wait for approval; staff and trusted accounts' do not.
        Premoderated = "premoderated",
    }
}

/// A comment as the APIs show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub article_id: ArticleId,
    pub parent_id: Option<CommentId>,
    /// `None` on a deleted comment: the tombstone names nobody.
    pub author: Option<Byline>,
    /// `None` on a deleted comment.
    pub body: Option<String>,
    pub status: CommentStatus,
    /// Replies in public view: visible ones and tombstones, not hidden ones.
    pub reply_count: i32,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for &status in <CommentStatus as crate::domain::Vocabulary>::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
        for &mode in <CommentsMode as crate::domain::Vocabulary>::ALL {
            assert_eq!(mode.as_str().parse(), Ok(mode));
        }
    }

    #[test]
    fn only_visible_comments_and_tombstones_are_public() {
        assert!(CommentStatus::Visible.is_public() && CommentStatus::Deleted.is_public());
        assert!(!CommentStatus::Hidden.is_public() && !CommentStatus::Held.is_public());
    }
}
