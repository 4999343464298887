//! Articles: their lifecycle and the shape every API reads them in.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::text::CAPTION;
use super::{ArticleId, CategoryId, TagId, UserId};
use crate::error::FieldError;

/// Where an article stands in the newsroom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArticleStatus {
    Draft,
    InReview,
    Scheduled,
    Published,
    Archived,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 5] =
        [Self::Draft, Self::InReview, Self::Scheduled, Self::Published, Self::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }
}

impl FromStr for ArticleStatus {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw).ok_or(())
    }
}

impl fmt::Display for ArticleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A move through the lifecycle, as requested by a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The author hands a draft to the editors.
    Submit,
    /// Live now.
    Publish,
    /// Live at a set time.
    Schedule,
    /// Back to draft, off the site.
    Unpublish,
    /// Retired: off the feed, kept for the record.
    Archive,
}

impl Transition {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Publish => "publish",
            Self::Schedule => "schedule",
            Self::Unpublish => "unpublish",
            Self::Archive => "archive",
        }
    }

    /// The status this move leads to from `from`, or `None` if it is not a legal move.
    pub fn apply(self, from: ArticleStatus) -> Option<ArticleStatus> {
        use ArticleStatus::*;
        match (self, from) {
            (Self::Submit, Draft) => Some(InReview),
            (Self::Publish, Draft | InReview | Scheduled) => Some(Published),
            // Rescheduling a scheduled article moves its time.
            (Self::Schedule, Draft | InReview | Scheduled) => Some(Scheduled),
            (Self::Unpublish, InReview | Scheduled | Published | Archived) => Some(Draft),
            (Self::Archive, Draft | InReview | Published) => Some(Archived),
            _ => None,
        }
    }

    /// Only editors move articles past review; authors may only submit.
    pub fn needs_editor(self) -> bool {
        !matches!(self, Self::Submit)
    }
}

/// A reference to a section, as embedded in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRef {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

/// A tag, as embedded in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef {
    pub id: TagId,
    pub slug: String,
    pub name: String,
}

/// A person credited on an article or comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Byline {
    pub id: UserId,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverImage {
    pub url: String,
    pub caption: Option<String>,
}

impl CoverImage {
    /// An absolute http(s) URL of at most 2,000 characters, and a caption.
    pub fn parse(url: &str, caption: Option<&str>) -> Result<Self, FieldError> {
        let url = url.trim();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        let host_ok = url.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
        if !scheme_ok
            || !host_ok
            || url.len() > 2_000
            || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(FieldError::new("cover_image.url", "must be an absolute http(s) URL"));
        }
        let caption =
            caption.map(|c| CAPTION.check(c, "cover_image.caption")).transpose()?.filter(|c| !c.is_empty());
        Ok(Self { url: url.to_owned(), caption })
    }
}

/// The Markdown source and its sanitized HTML rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleBody {
    pub markdown: String,
    pub html: String,
}

/// An article as the APIs show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Present on single-article reads; lists leave it out to stay small.
    pub body: Option<ArticleBody>,
    pub cover_image: Option<CoverImage>,
    pub category: CategoryRef,
    pub tags: Vec<TagRef>,
    pub authors: Vec<Byline>,
    pub status: ArticleStatus,
    pub featured: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    pub reading_time_minutes: i32,
    pub comment_count: i32,
}

/// An earlier version of an article's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub editor: Byline,
    /// When this version was written.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::ArticleStatus::*;
    use super::*;

    #[test]
    fn cover_images_need_absolute_web_urls() {
        assert!(CoverImage::parse("https://img.example.org/a.jpg", Some(" Photo ")).is_ok());
        assert_eq!(CoverImage::parse("https://x.org/a.jpg", Some("  ")).unwrap().caption, None);
        for bad in [
            "javascript:alert(1)",
            "/relative.jpg",
            "https://",
            "ftp://x.org/a",
            "https://x.org/a b.jpg",
            "https:///a",
        ] {
            assert!(CoverImage::parse(bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_round_trip() {
        for status in ArticleStatus::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
        assert!("Published".parse::<ArticleStatus>().is_err());
    }

    #[test]
    fn lifecycle_allows_only_legal_moves() {
        assert_eq!(Transition::Submit.apply(Draft), Some(InReview));
        assert_eq!(Transition::Submit.apply(InReview), None);
        assert_eq!(Transition::Publish.apply(InReview), Some(Published));
        assert_eq!(Transition::Publish.apply(Draft), Some(Published));
        assert_eq!(Transition::Publish.apply(Published), None);
        assert_eq!(Transition::Publish.apply(Archived), None);
        assert_eq!(Transition::Schedule.apply(Published), None);
        assert_eq!(Transition::Schedule.apply(Scheduled), Some(Scheduled));
        assert_eq!(Transition::Unpublish.apply(Published), Some(Draft));
        assert_eq!(Transition::Unpublish.apply(Draft), None);
        assert_eq!(Transition::Archive.apply(Published), Some(Archived));
        assert_eq!(Transition::Archive.apply(Archived), None);
    }

    #[test]
    fn only_submitting_is_open_to_authors() {
        assert!(!Transition::Submit.needs_editor());
        for t in [Transition::Publish, Transition::Schedule, Transition::Unpublish, Transition::Archive] {
            assert!(t.needs_editor());
        }
    }
}
