//! Article inputs (the feed's filter, drafts and edits), and how each
//! becomes a typed service query or command, every refused field named as
//! GraphQL clients know it.

use async_graphql::{ID, InputObject, MaybeUndefined};

use super::inputs::page_size;
use super::seo::{SeoInput, seo_change};
use super::time::Timestamp;
use crate::domain::article::{CoverImage, byline_ids, tag_slugs};
use crate::domain::field::{AllValid, FieldError, Invalid, Named, optional};
use crate::domain::filters::{PublishedRange, SearchText};
use crate::domain::page::{ArticleCursor, ArticleOrder};
use crate::domain::taxonomy::SectionKey;
use crate::domain::text::{Markdown, Summary, Title};
use crate::domain::time::now;
use crate::domain::timing::{BreakingUntil, ExpiryTime};
use crate::domain::{ArticleStatus, CommentsMode, MediaId, Slug, SlugChoice, UserId};
use crate::service::articles::{ArticlePatch, ArticleQuery, CoverChoice, NewArticle};

/// Filters of the article feed.
#[derive(InputObject, Default)]
pub struct ArticleFilter {
    /// A section's slug; its sub-sections are included.
    pub category: Option<String>,
    /// A tag's slug.
    pub tag: Option<String>,
    /// An author's user id.
    pub author: Option<ID>,
    pub featured: Option<bool>,
    /// Only breaking news (or only stories that are not breaking) now:
    /// published, with `breakingUntil` still ahead.
    pub breaking: Option<bool>,
    /// Full-text search, every word required (the last also as a prefix,
    /// for search-as-you-type): the articles with every word in their
    /// headline first, then the others, each newest first, as deep as the
    /// matches go. Each result carries a `snippet`.
    pub search: Option<String>,
    pub published_after: Option<Timestamp>,
    pub published_before: Option<Timestamp>,
    /// Staff only: articles in this status instead of the public feed.
    pub status: Option<ArticleStatus>,
}

/// The article list a connection field asks for.
pub fn article_query(
    filter: ArticleFilter,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<ArticleQuery, Invalid> {
    let order = ArticleOrder::of(SearchText::is_given(filter.search.as_deref()), filter.status.is_some());
    let (category, tag, author, published, search, limit, after) = (
        optional(filter.category.as_deref(), |s| Slug::parse(s, "category")),
        optional(filter.tag.as_deref(), |s| Slug::parse(s, "tag")),
        optional(filter.author.as_deref().map(String::as_str), |id| UserId::parse_field(id, "author")),
        PublishedRange::new(
            filter.published_after.map(|t| t.0),
            filter.published_before.map(|t| t.0),
            "publishedAfter",
            "publishedBefore",
        ),
        filter.search.as_deref().map_or(Ok(None), |q| SearchText::parse(q, "search")),
        page_size(first),
        optional(after, |c| ArticleCursor::decode(c, order, "after")),
    )
        .all_valid()?;
    Ok(ArticleQuery {
        category,
        tag,
        author,
        featured: filter.featured,
        breaking: filter.breaking,
        published,
        search,
        status: filter.status,
        limit,
        after,
    })
}

#[derive(InputObject)]
pub struct CoverImageInput {
    /// An absolute http(s) URL.
    pub url: String,
    pub caption: Option<String>,
}

fn cover_image(input: CoverImageInput) -> Result<CoverImage, Invalid> {
    CoverImage::parse(&input.url, input.caption.as_deref(), "coverImage")
}

/// The cover an input asks for: a library image (`coverMediaId`) or an
/// external one (`coverImage`), not both.
fn cover_choice(
    media: Option<ID>,
    external: Option<CoverImageInput>,
) -> Result<Option<CoverChoice>, Invalid> {
    match (media, external) {
        (Some(_), Some(_)) => Err(both_covers()),
        (Some(id), None) => {
            let id = MediaId::parse_field(&id, "coverMediaId")?;
            Ok(Some(CoverChoice::Media(Named::new(id, "coverMediaId"))))
        }
        (None, Some(input)) => cover_image(input).map(|c| Some(CoverChoice::External(c))),
        (None, None) => Ok(None),
    }
}

fn both_covers() -> Invalid {
    FieldError::new("coverMediaId", "give either coverMediaId or coverImage, not both").into()
}

/// A change of cover: `Some(None)` when either is `null` and the other absent or `null`.
fn cover_change(
    media: Option<Option<ID>>,
    external: Option<Option<CoverImageInput>>,
) -> Result<Option<Option<CoverChoice>>, Invalid> {
    match (media, external) {
        (None, None) => Ok(None),
        (Some(Some(_)), Some(Some(_))) => Err(both_covers()),
        (media, external) => cover_choice(media.flatten(), external.flatten()).map(Some),
    }
}

fn authors(ids: Vec<ID>) -> Result<Vec<UserId>, FieldError> {
    let ids = ids.iter().map(|id| UserId::parse_field(id, "authors")).collect::<Result<Vec<_>, _>>()?;
    byline_ids(ids, "authors")
}

#[derive(InputObject)]
pub struct CreateArticleInput {
    pub title: String,
    pub summary: Option<String>,
    /// Markdown.
    pub body: Option<String>,
    /// Derived from the title when absent.
    pub slug: Option<String>,
    /// The section's slug or id.
    pub category: String,
    /// Tag slugs.
    #[graphql(default)]
    pub tags: Vec<String>,
    /// An image hosted elsewhere; or give `coverMediaId`.
    pub cover_image: Option<CoverImageInput>,
    /// A media library item as the cover; it needs alt text to publish.
    pub cover_media_id: Option<ID>,
    #[graphql(default)]
    pub featured: bool,
    /// Breaking news until then once published: in the future, within 168 hours.
    pub breaking_until: Option<Timestamp>,
    /// When it leaves the site (the scheduler archives it): in the future.
    pub expires_at: Option<Timestamp>,
    /// User ids of the byline; the caller by default.
    pub authors: Option<Vec<ID>>,
    /// Search and social overrides.
    pub seo: Option<SeoInput>,
    /// `OPEN` by default; `CLOSED`, or `PREMODERATED` (readers' new comments
    /// wait for an editor's approval).
    pub comments_mode: Option<CommentsMode>,
}

impl TryFrom<CreateArticleInput> for NewArticle {
    type Error = Invalid;

    fn try_from(i: CreateArticleInput) -> Result<Self, Invalid> {
        let (
            title,
            summary,
            body,
            slug,
            category,
            tags,
            cover_image,
            authors,
            seo,
            breaking_until,
            expires_at,
        ) = (
            Title::parse(&i.title, "title"),
            i.summary.as_deref().map_or(Ok(Summary::empty()), |s| Summary::parse(s, "summary")),
            Markdown::parse(i.body.as_deref().unwrap_or(""), "body"),
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            SectionKey::parse_field(&i.category, "category"),
            tag_slugs(i.tags.iter().map(String::as_str), "tags"),
            cover_choice(i.cover_media_id, i.cover_image),
            i.authors.map(authors).transpose(),
            seo_change(i.seo),
            BreakingUntil::given(i.breaking_until.map(|t| t.0), now(), "breakingUntil"),
            ExpiryTime::given(i.expires_at.map(|t| t.0), now(), "expiresAt"),
        )
            .all_valid()?;
        Ok(Self {
            seo,
            breaking_until,
            expires_at,
            slug: SlugChoice::new(slug, title.as_str(), "title")?,
            title,
            summary,
            body,
            category: Named::new(category, "category"),
            tags: Named::new(tags, "tags"),
            cover_image,
            featured: i.featured,
            authors: authors.map(|ids| Named::new(ids, "authors")),
            comments_mode: i.comments_mode.unwrap_or(CommentsMode::Open),
        })
    }
}

/// Changes to an article: fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateArticleInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub slug: Option<String>,
    pub category: Option<String>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    /// An external cover image; `null` removes the cover.
    pub cover_image: MaybeUndefined<CoverImageInput>,
    /// A media library item as the cover; `null` removes the cover.
    pub cover_media_id: MaybeUndefined<ID>,
    pub featured: Option<bool>,
    /// Breaking news until then (in the future, within 168 hours); `null`
    /// ends the window now.
    pub breaking_until: MaybeUndefined<Timestamp>,
    /// When it leaves the site (in the future); `null` keeps it on for good.
    pub expires_at: MaybeUndefined<Timestamp>,
    /// Replaces the byline.
    pub authors: Option<Vec<ID>>,
    /// Changes to the search and social overrides.
    pub seo: Option<SeoInput>,
    pub comments_mode: Option<CommentsMode>,
}

impl TryFrom<UpdateArticleInput> for ArticlePatch {
    type Error = Invalid;

    fn try_from(i: UpdateArticleInput) -> Result<Self, Invalid> {
        let cover: Option<Option<CoverImageInput>> = i.cover_image.into();
        let cover_media: Option<Option<ID>> = i.cover_media_id.into();
        let breaking: Option<Option<Timestamp>> = i.breaking_until.into();
        let expiry: Option<Option<Timestamp>> = i.expires_at.into();
        let (
            title,
            summary,
            body,
            slug,
            category,
            tags,
            cover_image,
            authors,
            seo,
            breaking_until,
            expires_at,
        ) = (
            optional(i.title.as_deref(), |t| Title::parse(t, "title")),
            optional(i.summary.as_deref(), |s| Summary::parse(s, "summary")),
            optional(i.body.as_deref(), |t| Markdown::parse(t, "body")),
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(i.category.as_deref(), |c| SectionKey::parse_field(c, "category")),
            i.tags.map(|tags| tag_slugs(tags.iter().map(String::as_str), "tags")).transpose(),
            cover_change(cover_media, cover),
            i.authors.map(authors).transpose(),
            seo_change(i.seo),
            breaking.map(|at| BreakingUntil::given(at.map(|t| t.0), now(), "breakingUntil")).transpose(),
            expiry.map(|at| ExpiryTime::given(at.map(|t| t.0), now(), "expiresAt")).transpose(),
        )
            .all_valid()?;
        Ok(Self {
            seo,
            breaking_until,
            expires_at,
            title,
            summary,
            body,
            slug,
            category: category.map(|c| Named::new(c, "category")),
            tags: tags.map(|t| Named::new(t, "tags")),
            cover_image,
            featured: i.featured,
            authors: authors.map(|ids| Named::new(ids, "authors")),
            comments_mode: i.comments_mode,
        })
    }
}
