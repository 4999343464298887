//! Comment moderation: readers' reports, and the queue editors work through.

use chrono::{DateTime, Utc};

use super::ArticleId;
use super::comment::Comment;
use super::vocabulary::vocabulary;

vocabulary! {
    /// Why a reader reports a comment.
    pub enum ReportReason {
        /// Advertising, links, repeated posts.
        Spam = "spam",
        /// Insults, harassment, hate.
        Abuse = "abuse",
        /// Nothing to do with the article.
        OffTopic = "off_topic",
        /// Anything else; the note says what.
        Other = "other",
    }
}

/// A report as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: super::ids::ReportId,
    pub comment_id: super::CommentId,
    pub reason: ReportReason,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The article a queued comment is under, as the queue names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedArticle {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
}

/// One comment waiting for an editor: held for approval, reported by
/// readers, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub comment: Comment,
    pub article: QueuedArticle,
    /// Held for approval (a pre-moderated article).
    pub held: bool,
    /// Open reports against it.
    pub report_count: i64,
    /// The reasons those reports give, each once, in the vocabulary's order.
    pub reasons: Vec<ReportReason>,
}

impl QueueEntry {
    /// Whether readers reported it (reports still open).
    pub fn reported(&self) -> bool {
        self.report_count > 0
    }
}

/// The distinct reasons among `given`, in the vocabulary's order.
pub fn distinct_reasons(given: impl IntoIterator<Item = ReportReason>) -> Vec<ReportReason> {
    let given: Vec<ReportReason> = given.into_iter().collect();
    <ReportReason as super::Vocabulary>::ALL.iter().copied().filter(|r| given.contains(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Vocabulary;

    #[test]
    fn reasons_round_trip_and_refuse_others() {
        for &reason in ReportReason::ALL {
            assert_eq!(reason.as_str().parse(), Ok(reason));
        }
        assert_eq!(ReportReason::parse_field("rude", "reason").unwrap_err().field, "reason");
        assert_eq!(ReportReason::parse("off_topic"), Some(ReportReason::OffTopic));
    }

    #[test]
    fn reasons_are_listed_once_in_order() {
        use ReportReason::*;
        assert_eq!(distinct_reasons([Other, Spam, Other, Abuse]), vec![Spam, Abuse, Other]);
        assert!(distinct_reasons([]).is_empty());
    }
}
