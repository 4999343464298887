//! The JSON shapes of the REST API, documented for OpenAPI. Field docs here
//! become the descriptions web clients are generated with.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::article::{self, Byline as DomainByline};
use crate::domain::{ArticleStatus, CommentStatus, Role, comment};
use crate::domain::{facets, taxonomy};
use crate::rest::media::views::{CoverImage, cover_image};

/// The section an article belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: Uuid,
    #[schema(example = "europe")]
    pub slug: String,
    #[schema(example = "Europe")]
    pub name: String,
}

/// A tag on an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagRef {
    #[schema(example = "energy")]
    pub slug: String,
    #[schema(example = "Energy")]
    pub name: String,
}

/// A person credited on an article or comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Byline {
    pub id: Uuid,
    #[schema(example = "Ines Carvalho")]
    pub display_name: String,
}

impl From<DomainByline> for Byline {
    fn from(b: DomainByline) -> Self {
        Self { id: b.id.uuid(), display_name: b.display_name }
    }
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
    pub cover_image: Option<CoverImage>,
    pub category: CategoryRef,
    pub tags: Vec<TagRef>,
    pub authors: Vec<Byline>,
    pub status: ArticleStatus,
    /// Featured / breaking news.
    pub featured: bool,
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
    /// In search results only (`q`): a passage of the standfirst or body
    /// where the words were found, HTML-escaped, each matching word in
    /// `<mark>`: safe to insert into a page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "…EU <mark>energy</mark> ministers agreed a joint gas purchasing plan…")]
    pub snippet: Option<String>,
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
}

impl From<article::Article> for ArticleCard {
    fn from(a: article::Article) -> Self {
        let cover = cover_image(&a);
        Self {
            id: a.id.uuid(),
            slug: a.slug,
            title: a.title,
            summary: a.summary,
            cover_image: cover,
            category: CategoryRef { id: a.category.id.uuid(), slug: a.category.slug, name: a.category.name },
            tags: a.tags.into_iter().map(|t| TagRef { slug: t.slug, name: t.name }).collect(),
            authors: a.authors.into_iter().map(Byline::from).collect(),
            status: a.status,
            featured: a.featured,
            published_at: a.published_at,
            scheduled_at: a.scheduled_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
            reading_time_minutes: a.reading_time_minutes,
            comment_count: a.comment_count,
            snippet: a.snippet,
        }
    }
}

impl From<article::Article> for Article {
    fn from(mut a: article::Article) -> Self {
        let body = a
            .body
            .take()
            .unwrap_or_else(|| article::ArticleBody { markdown: String::new(), html: String::new() });
        Self { card: a.into(), body: body.markdown, body_html: body.html }
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

impl From<facets::Facets> for ArticleFacets {
    fn from(f: facets::Facets) -> Self {
        Self {
            sections: f
                .sections
                .into_iter()
                .map(|s| SectionFacet { section: CategoryRef::from(s.section), count: s.count })
                .collect(),
            months: f.months.into_iter().map(|m| MonthFacet { month: m.month, count: m.count }).collect(),
        }
    }
}

impl From<taxonomy::Category> for CategoryRef {
    fn from(c: taxonomy::Category) -> Self {
        Self { id: c.id.uuid(), slug: c.slug, name: c.name }
    }
}

/// A section. Sections form a tree (World › Europe).
#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    pub id: Uuid,
    #[schema(example = "europe")]
    pub slug: String,
    #[schema(example = "Europe")]
    pub name: String,
    pub description: String,
    /// The parent section; null at the top level.
    pub parent_id: Option<Uuid>,
    /// Order among its siblings.
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<taxonomy::Category> for Category {
    fn from(c: taxonomy::Category) -> Self {
        Self {
            id: c.id.uuid(),
            slug: c.slug,
            name: c.name,
            description: c.description,
            parent_id: c.parent_id.map(|p| p.uuid()),
            position: c.position,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Every section, parents before their children.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub data: Vec<Category>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Tag {
    pub id: Uuid,
    #[schema(example = "energy")]
    pub slug: String,
    #[schema(example = "Energy")]
    pub name: String,
    pub created_at: DateTime<Utc>,
}

impl From<taxonomy::Tag> for Tag {
    fn from(t: taxonomy::Tag) -> Self {
        Self { id: t.id.uuid(), slug: t.slug, name: t.name, created_at: t.created_at }
    }
}

/// A page of tags, in slug order.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagList {
    pub data: Vec<Tag>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A reader comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: Uuid,
    pub article_id: Uuid,
    /// The comment this replies to; null at the top level.
    pub parent_id: Option<Uuid>,
    /// Null on a deleted comment.
    pub author: Option<Byline>,
    /// Plain text, never markup. Null on a deleted comment.
    pub body: Option<String>,
    pub status: CommentStatus,
    /// Replies in public view (visible ones and tombstones).
    pub reply_count: i32,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

impl From<comment::Comment> for Comment {
    fn from(c: comment::Comment) -> Self {
        Self {
            id: c.id.uuid(),
            article_id: c.article_id.uuid(),
            parent_id: c.parent_id.map(|p| p.uuid()),
            author: c.author.map(Byline::from),
            body: c.body,
            status: c.status,
            reply_count: c.reply_count,
            created_at: c.created_at,
            edited_at: c.edited_at,
        }
    }
}

/// A page of one level of a comment thread, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub data: Vec<Comment>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// An account, as its owner and admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    #[schema(example = "ana@example.org")]
    pub email: String,
    #[schema(example = "Ana Ruiz")]
    pub display_name: String,
    pub bio: String,
    pub role: Role,
    /// A disabled account cannot sign in or refresh its tokens.
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<crate::domain::user::User> for User {
    fn from(u: crate::domain::user::User) -> Self {
        Self {
            id: u.id.uuid(),
            email: u.email.as_str().to_owned(),
            display_name: u.display_name,
            bio: u.bio,
            role: u.role,
            disabled: u.disabled,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A page of accounts, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub data: Vec<User>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A sign-up taken: the same whether the address was new or had an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registration {
    /// The address, as accounts store it (trimmed, lower-case).
    #[schema(example = "ana@example.org")]
    pub email: String,
    #[schema(example = "If this address had no account, it has one now: sign in with it.")]
    pub message: &'static str,
}

impl From<crate::domain::Email> for Registration {
    fn from(email: crate::domain::Email) -> Self {
        Self { email: email.as_str().to_owned(), message: crate::service::sessions::REGISTERED }
    }
}

/// Tokens for a signed-in session.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 600)]
    pub expires_in: u64,
    /// Exchange at `/api/v1/auth/refresh` for a new pair; works once.
    pub refresh_token: String,
    pub user: User,
}

impl From<crate::service::sessions::TokenPair> for Session {
    fn from(pair: crate::service::sessions::TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            token_type: "Bearer",
            expires_in: pair.expires_in_secs,
            refresh_token: pair.refresh_token,
            user: pair.user.into(),
        }
    }
}

/// An earlier version of an article's text.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revision {
    /// The article version this text belonged to.
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// Who wrote this version.
    pub editor: Byline,
    /// When this version was written.
    pub created_at: DateTime<Utc>,
}

impl From<article::Revision> for Revision {
    fn from(r: article::Revision) -> Self {
        Self {
            version: r.version,
            title: r.title,
            summary: r.summary,
            body: r.body,
            editor: r.editor.into(),
            created_at: r.created_at,
        }
    }
}

/// Every earlier version of an article, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionList {
    pub data: Vec<Revision>,
}
