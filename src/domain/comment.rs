//! Reader comments.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::article::Byline;
use super::{ArticleId, CommentId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentStatus {
    Visible,
    /// Removed by a moderator: shown only to editors.
    Hidden,
    /// Removed by its author: keeps its place in the thread, without text.
    Deleted,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 3] = [Self::Visible, Self::Hidden, Self::Deleted];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visible => "visible",
            Self::Hidden => "hidden",
            Self::Deleted => "deleted",
        }
    }
}

impl FromStr for CommentStatus {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw).ok_or(())
    }
}

impl fmt::Display for CommentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
        for status in CommentStatus::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
    }
}
