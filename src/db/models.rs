//! Rows as diesel reads and writes them, typed: ids, statuses, roles and
//! emails cross the boundary as their domain types (see `sql_types`), and
//! each row becomes its domain value here, in one place.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::*;
use crate::db::repo::media::MediaRow;
use crate::domain::article::{Article, ArticleBody, Byline, CategoryRef, CoverImage, Revision, TagRef};
use crate::domain::comment::Comment;
use crate::domain::correction::Correction;
use crate::domain::ids::ReportId;
use crate::domain::moderation::{Report, ReportReason};
use crate::domain::site::SeoFields;
use crate::domain::taxonomy::{Category, Tag};
use crate::domain::time::from_db;
use crate::domain::user::User;
use crate::domain::{
    ArticleId, ArticleStatus, CategoryId, CommentId, CommentStatus, CommentsMode, Email, MediaId, RevisionId,
    Role, TagId, UserId,
};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct UserRow {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub bio: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub trusted: bool,
    /// Set when the account was deleted: the row stays, erased.
    pub deleted_at: Option<NaiveDateTime>,
}

/// What a new account is made of.
pub struct NewUserRow {
    pub email: Email,
    pub display_name: String,
    pub bio: String,
    pub role: Role,
    pub password_hash: String,
}

impl UserRow {
    /// A new account made at `at`: enabled, not trusted.
    pub fn new(new: NewUserRow, at: NaiveDateTime) -> Self {
        let NewUserRow { email, display_name, bio, role, password_hash } = new;
        Self {
            id: UserId::generate(),
            email,
            display_name,
            bio,
            role,
            password_hash,
            disabled: false,
            trusted: false,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        }
    }
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            bio: row.bio,
            role: row.role,
            disabled: row.disabled,
            trusted: row.trusted,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CategoryRow {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<CategoryId>,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<CategoryRow> for Category {
    fn from(row: CategoryRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            parent_id: row.parent_id,
            position: row.position,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tags, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct TagRow {
    pub id: TagId,
    pub slug: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

impl From<TagRow> for Tag {
    fn from(row: TagRow) -> Self {
        Self { id: row.id, slug: row.slug, name: row.name, created_at: from_db(row.created_at) }
    }
}

/// A new article, every column (also what the trash keeps of a deleted one).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = articles, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleRow {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub cover_image_url: Option<String>,
    pub cover_image_caption: Option<String>,
    pub category_id: CategoryId,
    pub status: ArticleStatus,
    pub featured: bool,
    pub published_at: Option<NaiveDateTime>,
    pub scheduled_at: Option<NaiveDateTime>,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_by: UserId,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub reading_time_minutes: i32,
    pub comment_count: i32,
    /// The article's tags as JSON ([`TagRef`]s), kept in step with `article_tags`.
    pub tags_json: String,
    /// The article's bylines as JSON ([`Byline`]s), kept in step with `article_authors`.
    pub authors_json: String,
    /// The notes under the article as JSON ([`Correction`]s), kept in step with `article_corrections`.
    pub corrections_json: String,
    pub body: String,
    pub body_html: String,
    /// A cover from the media library…
    pub cover_media_id: Option<MediaId>,
    /// …and its fields as the article shows them ([`MediaRow`] as JSON).
    pub cover_media_json: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub seo_image_url: Option<String>,
    pub canonical_url: Option<String>,
    pub expires_at: Option<NaiveDateTime>,
    pub breaking_until: Option<NaiveDateTime>,
    pub comments_mode: CommentsMode,
}

/// An article without its body: what lists read, to keep rows small.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleCardRow {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub cover_image_url: Option<String>,
    pub cover_image_caption: Option<String>,
    pub status: ArticleStatus,
    pub featured: bool,
    pub published_at: Option<NaiveDateTime>,
    pub scheduled_at: Option<NaiveDateTime>,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_by: UserId,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub reading_time_minutes: i32,
    pub comment_count: i32,
    pub tags_json: String,
    pub authors_json: String,
    pub corrections_json: String,
    pub cover_media_json: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub seo_image_url: Option<String>,
    pub canonical_url: Option<String>,
    pub expires_at: Option<NaiveDateTime>,
    pub breaking_until: Option<NaiveDateTime>,
    pub comments_mode: CommentsMode,
}

/// An article's body: what single-article reads add to a card.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleBodyRow {
    pub body: String,
    pub body_html: String,
}

/// The section columns embedded in every article.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CategoryRefRow {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("unexpected {what} in the database: {value:?}"))
}

impl ArticleCardRow {
    /// The article, with its section and, on single-article reads, its body:
    /// the one way every article is assembled.
    pub fn into_article(self, category: CategoryRefRow, body: Option<ArticleBodyRow>) -> AppResult<Article> {
        let tags: Vec<TagRef> =
            serde_json::from_str(&self.tags_json).map_err(|_| corrupt("tags_json", &self.tags_json))?;
        let authors: Vec<Byline> = serde_json::from_str(&self.authors_json)
            .map_err(|_| corrupt("authors_json", &self.authors_json))?;
        let corrections: Vec<Correction> = serde_json::from_str(&self.corrections_json)
            .map_err(|_| corrupt("corrections_json", &self.corrections_json))?;
        Ok(Article {
            id: self.id,
            slug: self.slug,
            title: self.title,
            summary: self.summary,
            body: body.map(|b| ArticleBody { markdown: b.body, html: b.body_html }),
            cover_image: self
                .cover_image_url
                .map(|url| CoverImage { url, caption: self.cover_image_caption }),
            cover_media: self.cover_media_json.as_deref().map(MediaRow::from_json).transpose()?.map(Box::new),
            seo: SeoFields {
                title: self.seo_title,
                description: self.seo_description,
                image_url: self.seo_image_url,
                canonical_url: self.canonical_url,
            },
            category: CategoryRef { id: category.id, slug: category.slug, name: category.name },
            tags,
            authors,
            corrections,
            created_by: self.created_by,
            updated_by: self.updated_by,
            status: self.status,
            featured: self.featured,
            published_at: self.published_at.map(from_db),
            scheduled_at: self.scheduled_at.map(from_db),
            expires_at: self.expires_at.map(from_db),
            breaking_until: self.breaking_until.map(from_db),
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
            version: self.version,
            reading_time_minutes: self.reading_time_minutes,
            comment_count: self.comment_count,
            comments_mode: self.comments_mode,
            snippet: None,
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = article_tags, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleTagRow {
    pub article_id: ArticleId,
    pub tag_id: TagId,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = article_authors, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleAuthorRow {
    pub article_id: ArticleId,
    pub user_id: UserId,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = revisions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RevisionRow {
    pub id: RevisionId,
    pub article_id: ArticleId,
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub editor_id: UserId,
    pub created_at: NaiveDateTime,
}

impl RevisionRow {
    pub fn into_revision(self, editor_name: String) -> Revision {
        Revision {
            version: self.version,
            title: self.title,
            summary: self.summary,
            body: self.body,
            editor: Byline { id: self.editor_id, display_name: editor_name },
            created_at: from_db(self.created_at),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = comments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CommentRow {
    pub id: CommentId,
    pub article_id: ArticleId,
    pub author_id: UserId,
    pub parent_id: Option<CommentId>,
    pub body: Option<String>,
    pub status: CommentStatus,
    pub reply_count: i32,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
}

impl CommentRow {
    /// The comment as its thread shows it: a deleted one names nobody and says nothing.
    pub fn into_comment(self, author_name: String) -> Comment {
        let deleted = self.status == CommentStatus::Deleted;
        Comment {
            id: self.id,
            article_id: self.article_id,
            parent_id: self.parent_id,
            author: (!deleted).then_some(Byline { id: self.author_id, display_name: author_name }),
            body: if deleted { None } else { self.body },
            status: self.status,
            reply_count: self.reply_count,
            created_at: from_db(self.created_at),
            edited_at: self.edited_at.map(from_db),
        }
    }
}

/// A reader's report of a comment; open while `closed_at` is unset.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = comment_reports, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ReportRow {
    pub id: ReportId,
    pub comment_id: CommentId,
    pub reporter_id: UserId,
    pub reason: ReportReason,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

impl From<ReportRow> for Report {
    fn from(row: ReportRow) -> Self {
        Self {
            id: row.id,
            comment_id: row.comment_id,
            reason: row.reason,
            note: row.note,
            created_at: from_db(row.created_at),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: UserId,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}
