//! Writes to articles, typed: each adapter builds them from its own body or
//! input, naming its own fields in refusals.

use crate::domain::article::CoverImage;
use crate::domain::field::Named;
use crate::domain::site::SeoChange;
use crate::domain::taxonomy::SectionKey;
use crate::domain::text::{Markdown, Summary, Title};
use crate::domain::timing::{BreakingUntil, ExpiryTime};
use crate::domain::{CommentsMode, MediaId, Slug, SlugChoice, UserId};

/// An article's cover: an image of the library, or one hosted elsewhere.
#[derive(Debug, Clone)]
pub enum CoverChoice {
    Media(Named<MediaId>),
    External(CoverImage),
}

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub title: Title,
    pub summary: Summary,
    pub body: Markdown,
    /// A derived slug takes a `-2`, `-3`… suffix when taken; a given one is refused.
    pub slug: SlugChoice,
    pub category: Named<SectionKey>,
    /// Tag slugs; each tag must exist.
    pub tags: Named<Vec<Slug>>,
    pub cover_image: Option<CoverChoice>,
    pub featured: bool,
    /// Breaking news until then, once published.
    pub breaking_until: Option<BreakingUntil>,
    /// When it leaves the site.
    pub expires_at: Option<ExpiryTime>,
    /// The byline; the caller's own when absent.
    pub authors: Option<Named<Vec<UserId>>>,
    /// Search and social overrides.
    pub seo: SeoChange,
    /// Whether comments are open (the default), closed or pre-moderated.
    pub comments_mode: CommentsMode,
}

/// Changes to an article; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ArticlePatch {
    pub title: Option<Title>,
    pub summary: Option<Summary>,
    pub body: Option<Markdown>,
    pub slug: Option<Slug>,
    pub category: Option<Named<SectionKey>>,
    /// Replaces the tags.
    pub tags: Option<Named<Vec<Slug>>>,
    /// `Some(None)` removes the cover image.
    pub cover_image: Option<Option<CoverChoice>>,
    pub featured: Option<bool>,
    /// `Some(None)` ends the breaking-news window.
    pub breaking_until: Option<Option<BreakingUntil>>,
    /// `Some(None)` keeps the article on the site for good.
    pub expires_at: Option<Option<ExpiryTime>>,
    /// Replaces the byline.
    pub authors: Option<Named<Vec<UserId>>>,
    /// Changes to the search and social overrides.
    pub seo: SeoChange,
    pub comments_mode: Option<CommentsMode>,
}

impl ArticlePatch {
    /// Asks for no change at all (`{}`): answered with the article as it is.
    pub fn is_empty(&self) -> bool {
        let Self {
            title,
            summary,
            body,
            slug,
            category,
            tags,
            cover_image,
            featured,
            breaking_until,
            expires_at,
            authors,
            seo,
            comments_mode,
        } = self;
        title.is_none()
            && summary.is_none()
            && body.is_none()
            && slug.is_none()
            && category.is_none()
            && tags.is_none()
            && cover_image.is_none()
            && featured.is_none()
            && breaking_until.is_none()
            && expires_at.is_none()
            && authors.is_none()
            && seo.is_empty()
            && comments_mode.is_none()
    }
}
