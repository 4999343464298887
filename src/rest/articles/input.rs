//! What `/articles` routes accept, and how each becomes a typed service
//! query or command, every refused field named at once.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::domain::article::{CoverImage, byline_ids, tag_slugs};
use crate::domain::field::{AllValid, FieldError, Invalid, Named, optional};
use crate::domain::filters::{PublishedRange, SearchText};
use crate::domain::page::{ArticleCursor, ArticleOrder};
use crate::domain::site::SeoChange;
use crate::domain::taxonomy::SectionKey;
use crate::domain::text::{Markdown, Summary, Title};
use crate::domain::time::now;
use crate::domain::timing::{BreakingUntil, ExpiryTime};
use crate::domain::{ArticleStatus, CommentsMode, MediaId, Slug, SlugChoice, UserId, Vocabulary};
use crate::rest::params;
use crate::rest::patch::double_option;
use crate::service::articles::{ArticlePatch, ArticleQuery, CoverChoice, NewArticle};

/// Filters and paging of the article list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// A section's slug; its sub-sections are included.
    #[param(example = "world")]
    category: Option<String>,
    /// A tag's slug.
    #[param(example = "energy")]
    tag: Option<String>,
    /// An author's user id.
    #[param(value_type = Option<uuid::Uuid>)]
    author: Option<String>,
    /// Only featured (or only non-featured) articles.
    #[param(value_type = Option<bool>)]
    featured: Option<String>,
    /// Only breaking news (or only stories that are not breaking) now:
    /// published, with `breaking_until` still ahead.
    #[param(value_type = Option<bool>)]
    breaking: Option<String>,
    /// Full-text search over title, summary and body, every word required
    /// (the last also as a prefix, for search-as-you-type): the articles
    /// with every word in their headline first, then the others, each
    /// newest first, as deep as the matches go. Each result carries a
    /// `snippet`.
    #[param(example = "energy prices")]
    q: Option<String>,
    /// Published at or after this time (RFC 3339).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    from: Option<String>,
    /// Published at or before this time (RFC 3339).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    to: Option<String>,
    /// Staff only (needs a bearer token; authors see their own articles):
    /// list articles in this status, newest created first, instead of the feed.
    #[param(value_type = Option<ArticleStatus>)]
    status: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Also count what the whole list matches by section and by month
    /// (`facets` in the answer): for a search's "refine by" links. Costs a
    /// second query over every match, so it is asked for, not given.
    #[param(value_type = Option<bool>, default = false)]
    facets: Option<String>,
}

/// An article list as asked for: the query, and whether to count its facets.
#[derive(Debug)]
pub struct ArticleListRequest {
    pub query: ArticleQuery,
    pub facets: bool,
}

impl TryFrom<ArticleListParams> for ArticleListRequest {
    type Error = Invalid;

    fn try_from(p: ArticleListParams) -> Result<Self, Invalid> {
        let order = ArticleOrder::of(SearchText::is_given(p.q.as_deref()), p.status.is_some());
        let published = (params::time(p.from.as_deref(), "from"), params::time(p.to.as_deref(), "to"))
            .all_valid()
            .and_then(|(from, to)| Ok(PublishedRange::new(from, to, "from", "to")?));
        let (category, tag, author, featured, breaking, published, search, status, limit, after, facets) = (
            optional(p.category.as_deref(), |s| Slug::parse(s, "category")),
            optional(p.tag.as_deref(), |s| Slug::parse(s, "tag")),
            optional(p.author.as_deref(), |s| UserId::parse_field(s, "author")),
            params::flag(p.featured.as_deref(), "featured"),
            params::flag(p.breaking.as_deref(), "breaking"),
            published,
            p.q.as_deref().map_or(Ok(None), |q| SearchText::parse(q, "q")),
            optional(p.status.as_deref(), |s| ArticleStatus::parse_field(s, "status")),
            params::limit(p.limit.as_deref(), "limit"),
            optional(p.cursor.as_deref(), |c| ArticleCursor::decode(c, order, "cursor")),
            params::flag(p.facets.as_deref(), "facets"),
        )
            .all_valid()?;
        let query = ArticleQuery {
            category,
            tag,
            author,
            featured,
            breaking,
            published,
            search,
            status,
            limit,
            after,
        };
        Ok(Self { query, facets: facets.unwrap_or(false) })
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverImageBody {
    /// An absolute http(s) URL.
    #[schema(example = "https://images.example.org/newsdesk/summit.jpg")]
    pub url: String,
    pub caption: Option<String>,
}

fn cover_image(body: CoverImageBody) -> Result<CoverImage, Invalid> {
    CoverImage::parse(&body.url, body.caption.as_deref(), "cover_image")
}

/// The cover a body asks for: a library image (`cover_media_id`) or an
/// external one (`cover_image`), not both.
fn cover_choice(
    media: Option<uuid::Uuid>,
    external: Option<CoverImageBody>,
) -> Result<Option<CoverChoice>, Invalid> {
    match (media, external) {
        (Some(_), Some(_)) => Err(both_covers()),
        (Some(id), None) => Ok(Some(CoverChoice::Media(Named::new(MediaId::from(id), "cover_media_id")))),
        (None, Some(body)) => cover_image(body).map(|c| Some(CoverChoice::External(c))),
        (None, None) => Ok(None),
    }
}

fn both_covers() -> Invalid {
    FieldError::new("cover_media_id", "give either cover_media_id or cover_image, not both").into()
}

/// A change of cover: `Some(None)` when either member is `null` and the other absent or `null`.
fn cover_change(
    media: Option<Option<uuid::Uuid>>,
    external: Option<Option<CoverImageBody>>,
) -> Result<Option<Option<CoverChoice>>, Invalid> {
    match (media, external) {
        (None, None) => Ok(None),
        (Some(Some(_)), Some(Some(_))) => Err(both_covers()),
        (media, external) => cover_choice(media.flatten(), external.flatten()).map(Some),
    }
}

/// What search engines and social cards show instead of the article's own
/// title, summary, cover and address. In an edit, a member left out stays
/// as it is; `null` or `""` clears it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeoBody {
    /// Up to 200 characters; the title when unset.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    /// Up to 500 characters; the summary when unset.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// An absolute http(s) URL of the social (Open Graph) image; the cover when unset.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub image_url: Option<Option<String>>,
    /// An absolute http(s) URL where the story first ran; the article's own `url` when unset.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub canonical_url: Option<Option<String>>,
}

fn seo_change(body: Option<SeoBody>) -> Result<SeoChange, Invalid> {
    let body = body.unwrap_or_default();
    SeoChange::parse(
        body.title.as_ref().map(Option::as_deref),
        body.description.as_ref().map(Option::as_deref),
        body.image_url.as_ref().map(Option::as_deref),
        body.canonical_url.as_ref().map(Option::as_deref),
        ["seo.title", "seo.description", "seo.image_url", "seo.canonical_url"],
    )
}

/// A new draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArticleBody {
    /// 1 to 200 characters.
    #[schema(example = "Ministers agree winter energy price cap")]
    pub title: String,
    /// The one-line standfirst, up to 500 characters.
    pub summary: Option<String>,
    /// Markdown, up to 200,000 characters.
    pub body: Option<String>,
    /// Derived from the title when absent (with `-2`, `-3`… if taken); an
    /// explicit slug that is taken is a 409.
    pub slug: Option<String>,
    /// The section's slug or id.
    #[schema(example = "europe")]
    pub category: String,
    /// Tag slugs (at most 20); each tag must exist.
    #[serde(default)]
    pub tags: Vec<String>,
    /// An image hosted elsewhere (agency photos); or give `cover_media_id`.
    pub cover_image: Option<CoverImageBody>,
    /// A media library item as the cover; it needs alt text to publish.
    pub cover_media_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub featured: bool,
    /// Breaking news until then once published: in the future, within 168 hours.
    pub breaking_until: Option<DateTime<Utc>>,
    /// When it leaves the site (the scheduler archives it): in the future.
    pub expires_at: Option<DateTime<Utc>>,
    /// User ids of the byline; the caller by default. Authors must include themselves.
    pub authors: Option<Vec<uuid::Uuid>>,
    /// Search and social overrides.
    pub seo: Option<SeoBody>,
    /// `open` (the default), `closed`, or `premoderated` (readers' new
    /// comments wait for an editor's approval).
    #[schema(value_type = Option<CommentsMode>)]
    pub comments_mode: Option<String>,
}

impl TryFrom<CreateArticleBody> for NewArticle {
    type Error = Invalid;

    fn try_from(b: CreateArticleBody) -> Result<Self, Invalid> {
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
            comments_mode,
        ) = (
            Title::parse(&b.title, "title"),
            b.summary.as_deref().map_or(Ok(Summary::empty()), |s| Summary::parse(s, "summary")),
            Markdown::parse(b.body.as_deref().unwrap_or(""), "body"),
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            SectionKey::parse_field(&b.category, "category"),
            tag_slugs(b.tags.iter().map(String::as_str), "tags"),
            cover_choice(b.cover_media_id, b.cover_image),
            b.authors.map(|ids| byline_ids(ids.into_iter().map(UserId::from), "authors")).transpose(),
            seo_change(b.seo),
            BreakingUntil::given(b.breaking_until, now(), "breaking_until"),
            ExpiryTime::given(b.expires_at, now(), "expires_at"),
            optional(b.comments_mode.as_deref(), |m| CommentsMode::parse_field(m, "comments_mode")),
        )
            .all_valid()?;
        Ok(Self {
            comments_mode: comments_mode.unwrap_or(CommentsMode::Open),
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
            featured: b.featured,
            authors: authors.map(|ids| Named::new(ids, "authors")),
        })
    }
}

/// Changes to an article: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleBody {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub slug: Option<String>,
    /// The section's slug or id.
    pub category: Option<String>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    /// An external cover image; `null` removes the cover.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<CoverImageBody>)]
    pub cover_image: Option<Option<CoverImageBody>>,
    /// A media library item as the cover; `null` removes the cover.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub cover_media_id: Option<Option<uuid::Uuid>>,
    pub featured: Option<bool>,
    /// Breaking news until then (in the future, within 168 hours); `null`
    /// ends the window now.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub breaking_until: Option<Option<DateTime<Utc>>>,
    /// When it leaves the site (in the future); `null` keeps it on for good.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// Replaces the byline.
    pub authors: Option<Vec<uuid::Uuid>>,
    /// Changes to the search and social overrides.
    pub seo: Option<SeoBody>,
    /// `open`, `closed` or `premoderated`.
    #[schema(value_type = Option<CommentsMode>)]
    pub comments_mode: Option<String>,
}

impl TryFrom<UpdateArticleBody> for ArticlePatch {
    type Error = Invalid;

    fn try_from(b: UpdateArticleBody) -> Result<Self, Invalid> {
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
            comments_mode,
        ) = (
            optional(b.title.as_deref(), |t| Title::parse(t, "title")),
            optional(b.summary.as_deref(), |s| Summary::parse(s, "summary")),
            optional(b.body.as_deref(), |t| Markdown::parse(t, "body")),
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(b.category.as_deref(), |c| SectionKey::parse_field(c, "category")),
            b.tags.map(|tags| tag_slugs(tags.iter().map(String::as_str), "tags")).transpose(),
            cover_change(b.cover_media_id, b.cover_image),
            b.authors.map(|ids| byline_ids(ids.into_iter().map(UserId::from), "authors")).transpose(),
            seo_change(b.seo),
            b.breaking_until.map(|at| BreakingUntil::given(at, now(), "breaking_until")).transpose(),
            b.expires_at.map(|at| ExpiryTime::given(at, now(), "expires_at")).transpose(),
            optional(b.comments_mode.as_deref(), |m| CommentsMode::parse_field(m, "comments_mode")),
        )
            .all_valid()?;
        Ok(Self {
            comments_mode,
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
            featured: b.featured,
            authors: authors.map(|ids| Named::new(ids, "authors")),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// When the article goes live: in the future, within a year.
    pub at: DateTime<Utc>,
}
