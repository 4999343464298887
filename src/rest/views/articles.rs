//! Articles as the REST API shows them: cards in lists, whole articles,
//! and what they embed (section, tags, authors, search fields).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::article;
use crate::domain::correction::CorrectionKind;
use crate::domain::site::Site;
use crate::domain::time::now;
use crate::domain::{ArticleStatus, CategoryId, CommentsMode, facets};
use crate::rest::media::views::{CoverImage, cover_image};

/// The section an article belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: Uuid,
    #[schema(example = "europe")]
    pub slug: String,
    #[schema(example = "Europe")]
    pub name: String,
    /// The section's page on the public site.
    #[schema(example = "https://news.example.org/europe")]
    pub url: String,
}

impl CategoryRef {
    fn new(id: CategoryId, slug: String, name: String, site: &Site) -> Self {
        Self { id: id.uuid(), url: site.section_url(id, &slug), slug, name }
    }
}

/// A tag on an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagRef {
    #[schema(example = "energy")]
    pub slug: String,
    #[schema(example = "Energy")]
    pub name: String,
    /// The tag's page on the public site.
    #[schema(example = "https://news.example.org/tags/energy")]
    pub url: String,
}

/// An author credited on an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorRef {
    pub id: Uuid,
    #[schema(example = "Ines Carvalho")]
    pub display_name: String,
    /// The author's page on the public site.
    #[schema(example = "https://news.example.org/authors/0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")]
    pub url: String,
}

/// An article as lists show it: every field of `Article` except `body` and
/// `body_html`, which only single-article reads carry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleCard {
    pub id: Uuid,
    /// Unique, URL-safe; derived from the title unless set.
    #[schema(example = "ministers-agree-winter-energy-price-cap")]
    pub slug: String,
    #[schema(example = "Ministers agree winter energy price cap")]
    pub title: String,
    /// The one-line standfirst.
    #[schema(example = "The cap holds household bills at last year's level until March.")]
    pub summary: String,
    /// The article's canonical page on the public site.
    #[schema(example = "https://news.example.org/europe/ministers-agree-winter-energy-price-cap")]
    pub url: String,
    pub cover_image: Option<CoverImage>,
    pub seo: Seo,
    pub category: CategoryRef,
    pub tags: Vec<TagRef>,
    pub authors: Vec<AuthorRef>,
    /// Corrections and updates an editor appended, oldest first. Each moves
    /// `updated_at` to its time.
    pub corrections: Vec<Correction>,
    pub status: ArticleStatus,
    /// Featured by the editors (a home page's lead stories).
    pub featured: bool,
    /// Breaking news now: published, with `breaking_until` still ahead.
    pub breaking: bool,
    /// When the breaking-news window ends; null when none is set (a window
    /// that has passed is cleared).
    pub breaking_until: Option<DateTime<Utc>>,
    /// When the article leaves the site: the scheduler archives it then.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it went (or goes) live; null until then.
    pub published_at: Option<DateTime<Utc>>,
    /// When a scheduled article goes live; null unless scheduled.
    pub scheduled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Increases with every change; send it back in `If-Match` to edit.
    #[schema(example = 3)]
    pub version: i64,
    /// Words / 200, rounded up, at least 1.
    #[schema(example = 4)]
    pub reading_time_minutes: i32,
    /// Visible comments.
    #[schema(example = 12)]
    pub comment_count: i32,
    /// Whether readers may comment: `open`, `closed`, or `premoderated`
    /// (their comments show once an editor approves them).
    pub comments_mode: CommentsMode,
    /// In search results only (`q`): a passage of the standfirst or body
    /// where the words were found, HTML-escaped, each matching word in
    /// `<mark>`: safe to insert into a page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "…EU <mark>energy</mark> ministers agreed a joint gas purchasing plan…")]
    pub snippet: Option<String>,
}

/// A correction or update under a story, as readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Correction {
    pub id: Uuid,
    pub kind: CorrectionKind,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

impl From<crate::domain::correction::Correction> for Correction {
    fn from(c: crate::domain::correction::Correction) -> Self {
        Self { id: c.id, kind: c.kind, text: c.text, created_at: c.created_at }
    }
}

/// What a page's `<head>` says of an article: each override an editor set,
/// or its fallback.
#[derive(Debug, Serialize, ToSchema)]
pub struct Seo {
    /// The SEO title, or the headline.
    pub title: String,
    /// The meta description, or the summary.
    pub description: String,
    /// The social (Open Graph) image, or the cover (1200 wide from the
    /// library); null without either.
    pub image_url: Option<String>,
    /// The canonical override, or the article's own `url`.
    pub canonical_url: String,
}

impl From<crate::domain::site::Seo> for Seo {
    fn from(s: crate::domain::site::Seo) -> Self {
        Self {
            title: s.title,
            description: s.description,
            image_url: s.image_url,
            canonical_url: s.canonical_url,
        }
    }
}

/// A whole article.
#[derive(Debug, Serialize, ToSchema)]
pub struct Article {
    #[serde(flatten)]
    pub card: ArticleCard,
    /// The Markdown source.
    pub body: String,
    /// The body rendered to HTML and sanitized: safe to insert into a page.
    pub body_html: String,
    /// The article as a schema.org `NewsArticle` in JSON-LD, for a
    /// `<script type="application/ld+json">` in its page.
    #[schema(value_type = Object)]
    pub structured_data: serde_json::Value,
}

impl ArticleCard {
    pub fn new(a: article::Article, site: &Site) -> Self {
        let cover = cover_image(&a);
        let breaking = a.is_breaking(now());
        Self {
            id: a.id.uuid(),
            url: site.article_url(&a),
            seo: site.seo(&a).into(),
            slug: a.slug,
            title: a.title,
            summary: a.summary,
            cover_image: cover,
            category: CategoryRef::new(a.category.id, a.category.slug, a.category.name, site),
            tags: a
                .tags
                .into_iter()
                .map(|t| TagRef { url: site.tag_url(t.id, &t.slug), slug: t.slug, name: t.name })
                .collect(),
            authors: a
                .authors
                .into_iter()
                .map(|b| AuthorRef {
                    id: b.id.uuid(),
                    url: site.author_url(b.id),
                    display_name: b.display_name,
                })
                .collect(),
            corrections: a.corrections.into_iter().map(Correction::from).collect(),
            breaking,
            status: a.status,
            featured: a.featured,
            breaking_until: a.breaking_until,
            expires_at: a.expires_at,
            published_at: a.published_at,
            scheduled_at: a.scheduled_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
            reading_time_minutes: a.reading_time_minutes,
            comment_count: a.comment_count,
            comments_mode: a.comments_mode,
            snippet: a.snippet,
        }
    }
}

impl Article {
    pub fn new(mut a: article::Article, site: &Site) -> Self {
        let body = a
            .body
            .take()
            .unwrap_or_else(|| article::ArticleBody { markdown: String::new(), html: String::new() });
        let structured_data = site.structured_data(&a);
        Self { card: ArticleCard::new(a, site), body: body.markdown, body_html: body.html, structured_data }
    }
}

/// A page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleList {
    pub data: Vec<ArticleCard>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// With `facets=true` only: what the whole list matches, by section and
    /// by month.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub facets: Option<ArticleFacets>,
}

/// How many articles a list matches (every page of it), by section and by
/// month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleFacets {
    /// Most matches first; each article under its own section (filtering by
    /// a parent section includes its sub-sections).
    pub sections: Vec<SectionFacet>,
    /// Newest month first.
    pub months: Vec<MonthFacet>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionFacet {
    pub section: CategoryRef,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthFacet {
    /// `YYYY-MM` in UTC: the month of publication (of creation, in a staff
    /// list of unpublished work).
    #[schema(example = "2026-11")]
    pub month: String,
    pub count: u64,
}

impl ArticleFacets {
    pub fn new(f: facets::Facets, site: &Site) -> Self {
        Self {
            sections: f
                .sections
                .into_iter()
                .map(|s| SectionFacet {
                    section: CategoryRef::new(s.section.id, s.section.slug, s.section.name, site),
                    count: s.count,
                })
                .collect(),
            months: f.months.into_iter().map(|m| MonthFacet { month: m.month, count: m.count }).collect(),
        }
    }
}
