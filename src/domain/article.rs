//! Articles: their lifecycle and the shape every API reads them in.

use chrono::{DateTime, Utc};

use super::field::{AllValid, FieldError, Invalid, optional};
use super::text::Caption;
use super::vocabulary::vocabulary;
use super::{ArticleId, CategoryId, Slug, TagId, UserId};

vocabulary! {
    /// Where an article stands in the newsroom.
    pub enum ArticleStatus {
        Draft = "draft",
        InReview = "in_review",
        Scheduled = "scheduled",
        Published = "published",
        Archived = "archived",
    }
}

/// When a scheduled article goes live: in the future, within a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishTime(DateTime<Utc>);

impl PublishTime {
    /// How far ahead an article may be scheduled.
    pub const MAX_DAYS: i64 = 366;

    /// `at`, if it lies after `now` and within [`PublishTime::MAX_DAYS`].
    pub fn parse(at: DateTime<Utc>, now: DateTime<Utc>, field: &str) -> Result<Self, FieldError> {
        if at <= now {
            return Err(FieldError::new(field, "must be in the future"));
        }
        if at > now + chrono::Duration::days(Self::MAX_DAYS) {
            return Err(FieldError::new(field, format!("must be within {} days", Self::MAX_DAYS)));
        }
        Ok(Self(at))
    }

    pub fn at(self) -> DateTime<Utc> {
        self.0
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
    Schedule(PublishTime),
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
            Self::Schedule(_) => "schedule",
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
            (Self::Schedule(_), Draft | InReview | Scheduled) => Some(Scheduled),
            (Self::Unpublish, InReview | Scheduled | Published | Archived) => Some(Draft),
            (Self::Archive, Draft | InReview | Published) => Some(Archived),
            _ => None,
        }
    }
}

/// The most tags an article may carry.
pub const MAX_TAGS: usize = 20;
/// The most authors a byline may credit.
pub const MAX_AUTHORS: usize = 10;

/// An article's tags as asked for: slugs, each once, at most [`MAX_TAGS`].
pub fn tag_slugs<'a>(raw: impl IntoIterator<Item = &'a str>, field: &str) -> Result<Vec<Slug>, FieldError> {
    let mut slugs: Vec<Slug> = Vec::new();
    for tag in raw {
        let slug = Slug::parse(tag, field)?;
        if !slugs.contains(&slug) {
            slugs.push(slug);
        }
    }
    if slugs.len() > MAX_TAGS {
        return Err(FieldError::new(field, format!("at most {MAX_TAGS} tags")));
    }
    Ok(slugs)
}

/// A byline as asked for: user ids, each once, 1 to [`MAX_AUTHORS`].
pub fn byline_ids(ids: impl IntoIterator<Item = UserId>, field: &str) -> Result<Vec<UserId>, FieldError> {
    let mut unique: Vec<UserId> = Vec::new();
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    if unique.is_empty() || unique.len() > MAX_AUTHORS {
        return Err(FieldError::new(field, format!("must name 1-{MAX_AUTHORS} authors")));
    }
    Ok(unique)
}

/// How a caller names an article: by id, or by text that may be its id or
/// its slug (a path segment, a GraphQL argument).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleKey {
    Id(ArticleId),
    IdOrSlug(String),
}

impl ArticleKey {
    /// The text to look up: trimmed and lower-cased, as slugs and ids are
    /// stored; `None` when no article could have it (slugs and ids are
    /// short and printable: a control character, NUL included, is in none).
    pub fn normalized(raw: &str) -> Option<String> {
        let key = raw.trim().to_lowercase();
        (!key.is_empty() && key.len() <= 200 && !key.chars().any(char::is_control)).then_some(key)
    }
}

impl From<ArticleId> for ArticleKey {
    fn from(id: ArticleId) -> Self {
        Self::Id(id)
    }
}

impl From<String> for ArticleKey {
    fn from(raw: String) -> Self {
        Self::IdOrSlug(raw)
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TagRef {
    pub id: TagId,
    pub slug: String,
    pub name: String,
}

/// A person credited on an article or comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// An absolute http(s) URL of at most 2,000 characters, and a caption;
    /// refusals name `{field}.url` and `{field}.caption`.
    pub fn parse(url: &str, caption: Option<&str>, field: &str) -> Result<Self, Invalid> {
        let url = web_url(url, &format!("{field}.url"));
        let caption = optional(caption, |c| Caption::parse(c, &format!("{field}.caption")));
        let (url, caption) = (url, caption).all_valid()?;
        let caption = caption.map(String::from).filter(|c| !c.is_empty());
        Ok(Self { url, caption })
    }
}

/// An absolute http(s) URL of at most 2,000 characters, without spaces.
pub fn web_url(url: &str, field: &str) -> Result<String, FieldError> {
    let url = url.trim();
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    let host_ok = url.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if !scheme_ok || !host_ok || url.len() > 2_000 || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(FieldError::new(field, "must be an absolute http(s) URL"));
    }
    Ok(url.to_owned())
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
    /// An external cover image (agency photos hosted elsewhere)…
    pub cover_image: Option<CoverImage>,
    /// …or one from the media library; never both. (Boxed: most articles
    /// have none, and every list holds many.)
    pub cover_media: Option<Box<super::media::MediaItem>>,
    /// What search engines and social cards show instead of its own title,
    /// summary, cover and address, where set.
    pub seo: super::site::SeoFields,
    pub category: CategoryRef,
    pub tags: Vec<TagRef>,
    pub authors: Vec<Byline>,
    /// Corrections and updates under it, oldest first.
    pub corrections: Vec<super::correction::Correction>,
    /// Who started it; with the bylined authors, who may work on it.
    pub created_by: UserId,
    /// Who changed it last.
    pub updated_by: UserId,
    pub status: ArticleStatus,
    pub featured: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// When it leaves the site: the scheduler archives it then.
    pub expires_at: Option<DateTime<Utc>>,
    /// The end of its breaking-news window, while one is set.
    pub breaking_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    pub reading_time_minutes: i32,
    pub comment_count: i32,
    /// Whether comments are open, closed or held for approval.
    pub comments_mode: super::CommentsMode,
    /// In search results: where the text matches, HTML-escaped, each
    /// matching word in `<mark>`.
    pub snippet: Option<String>,
}

impl Article {
    /// Whether it is breaking news at `now`: public, inside its window.
    pub fn is_breaking(&self, now: DateTime<Utc>) -> bool {
        super::timing::is_breaking(self.status, self.breaking_until, now)
    }
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
impl Article {
    /// A published article for tests of pure rules.
    pub fn example(slug: &str, section: &str, published_at: DateTime<Utc>) -> Self {
        let author = UserId::generate();
        Self {
            id: ArticleId::generate(),
            slug: slug.into(),
            title: "Rates rise".into(),
            summary: "The bank moves.".into(),
            body: None,
            cover_image: None,
            cover_media: None,
            seo: super::site::SeoFields::default(),
            category: CategoryRef { id: CategoryId::generate(), slug: section.into(), name: section.into() },
            tags: Vec::new(),
            authors: vec![Byline { id: author, display_name: "Ines Carvalho".into() }],
            corrections: Vec::new(),
            created_by: author,
            updated_by: author,
            status: ArticleStatus::Published,
            featured: false,
            published_at: Some(published_at),
            scheduled_at: None,
            expires_at: None,
            breaking_until: None,
            created_at: published_at,
            updated_at: published_at,
            version: 1,
            reading_time_minutes: 1,
            comment_count: 0,
            comments_mode: super::CommentsMode::Open,
            snippet: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ArticleStatus::*;
    use super::*;

    #[test]
    fn cover_images_need_absolute_web_urls() {
        assert!(CoverImage::parse("https://img.example.org/a.jpg", Some(" Photo "), "cover").is_ok());
        assert_eq!(CoverImage::parse("https://x.org/a.jpg", Some("  "), "cover").unwrap().caption, None);
        for bad in [
            "javascript:alert(1)",
            "/relative.jpg",
            "https://",
            "ftp://x.org/a",
            "https://x.org/a b.jpg",
            "https:///a",
        ] {
            assert!(CoverImage::parse(bad, None, "cover").is_err(), "{bad}");
        }
        let Err(Invalid(errors)) = CoverImage::parse("/a.jpg", Some("a\u{7}"), "coverImage") else {
            panic!()
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["coverImage.url", "coverImage.caption"]);
    }

    #[test]
    fn tags_and_bylines_are_deduplicated_and_bounded() {
        let tags = tag_slugs(["energy", "energy", "rates"], "tags").unwrap();
        assert_eq!(tags.len(), 2);
        let many: Vec<String> = (0..=MAX_TAGS).map(|n| format!("t{n}")).collect();
        assert_eq!(tag_slugs(many.iter().map(String::as_str), "tags").unwrap_err().field, "tags");
        assert_eq!(tag_slugs(["Bad Slug"], "tagSlugs").unwrap_err().field, "tagSlugs");
        let me = UserId::generate();
        assert_eq!(byline_ids([me, me], "authors").unwrap(), vec![me]);
        assert!(byline_ids([], "authors").is_err());
        assert!(byline_ids((0..=MAX_AUTHORS).map(|_| UserId::generate()), "authors").is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for &status in <ArticleStatus as crate::domain::Vocabulary>::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
        assert!("Published".parse::<ArticleStatus>().is_err());
    }

    #[test]
    fn publish_times_lie_ahead_within_a_year() {
        let now = Utc::now();
        assert_eq!(PublishTime::parse(now, now, "at").unwrap_err().message, "must be in the future");
        assert!(PublishTime::parse(now + chrono::Duration::days(400), now, "at").is_err());
        assert!(PublishTime::parse(now + chrono::Duration::days(3), now, "at").is_ok());
    }

    #[test]
    fn lifecycle_allows_only_legal_moves() {
        assert_eq!(Transition::Submit.apply(Draft), Some(InReview));
        assert_eq!(Transition::Submit.apply(InReview), None);
        assert_eq!(Transition::Publish.apply(InReview), Some(Published));
        assert_eq!(Transition::Publish.apply(Draft), Some(Published));
        assert_eq!(Transition::Publish.apply(Published), None);
        assert_eq!(Transition::Publish.apply(Archived), None);
        let later = PublishTime::parse(Utc::now() + chrono::Duration::hours(1), Utc::now(), "at").unwrap();
        assert_eq!(Transition::Schedule(later).apply(Published), None);
        assert_eq!(Transition::Schedule(later).apply(Scheduled), Some(Scheduled));
        assert_eq!(Transition::Unpublish.apply(Published), Some(Draft));
        assert_eq!(Transition::Unpublish.apply(Draft), None);
        assert_eq!(Transition::Archive.apply(Published), Some(Archived));
        assert_eq!(Transition::Archive.apply(Archived), None);
    }
}
