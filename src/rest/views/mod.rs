//! The JSON shapes of the REST API, documented for OpenAPI. Field docs here
//! become the descriptions web clients are generated with.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::article::{self, Byline as DomainByline};
use crate::domain::site::Site;
use crate::domain::taxonomy;
use crate::domain::{CommentStatus, Role, comment};

mod account;
mod articles;
mod moderation;

pub use account::{AccountExport, OwnComment, PasswordReset};
pub use articles::{
    Article, ArticleCard, ArticleFacets, ArticleList, AuthorRef, CategoryRef, Correction, MonthFacet,
    SectionFacet, Seo, TagRef,
};
pub use moderation::{ModerationQueue, QueueEntry, QueuedArticle, Report};

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
    /// The section's page on the public site.
    #[schema(example = "https://news.example.org/europe")]
    pub url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Category {
    pub fn new(c: taxonomy::Category, site: &Site) -> Self {
        Self {
            id: c.id.uuid(),
            url: site.section_url(c.id, &c.slug),
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
    /// The tag's page on the public site.
    #[schema(example = "https://news.example.org/tags/energy")]
    pub url: String,
    pub created_at: DateTime<Utc>,
}

impl Tag {
    pub fn new(t: taxonomy::Tag, site: &Site) -> Self {
        Self {
            id: t.id.uuid(),
            url: site.tag_url(t.id, &t.slug),
            slug: t.slug,
            name: t.name,
            created_at: t.created_at,
        }
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
    /// Trusted by the editors: comments skip pre-moderation.
    pub trusted: bool,
    /// The author page on the public site (bylined staff have one).
    #[schema(example = "https://news.example.org/authors/0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")]
    pub url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    pub fn new(u: crate::domain::user::User, site: &Site) -> Self {
        Self {
            id: u.id.uuid(),
            url: site.author_url(u.id),
            email: u.email.as_str().to_owned(),
            display_name: u.display_name,
            bio: u.bio,
            role: u.role,
            disabled: u.disabled,
            trusted: u.trusted,
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

impl Session {
    pub fn new(pair: crate::service::sessions::TokenPair, site: &Site) -> Self {
        Self {
            access_token: pair.access_token,
            token_type: "Bearer",
            expires_in: pair.expires_in_secs,
            refresh_token: pair.refresh_token,
            user: User::new(pair.user, site),
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
