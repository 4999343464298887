//! Rows to domain values: the edge where stored text becomes typed data.

use crate::db::models::{
    ArticleCardRow, ArticleRow, BylineJson, CategoryRow, CommentRow, RevisionRow, TagJson, TagRow, UserRow,
};
use crate::db::repo::articles::CategoryRefRow;
use crate::domain::article::{Article, ArticleBody, Byline, CategoryRef, CoverImage, Revision, TagRef};
use crate::domain::comment::Comment;
use crate::domain::taxonomy::{Category, Tag};
use crate::domain::time::from_db;
use crate::domain::{ArticleId, ArticleStatus, CategoryId, CommentId, CommentStatus, TagId, UserId};
use crate::error::{AppError, AppResult};

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("unexpected {what} in database: {value:?}"))
}

fn status(raw: &str) -> AppResult<ArticleStatus> {
    raw.parse().map_err(|()| corrupt("article status", raw))
}

fn cover(url: Option<String>, caption: Option<String>) -> Option<CoverImage> {
    url.map(|url| CoverImage { url, caption })
}

fn category_ref(row: CategoryRefRow) -> AppResult<CategoryRef> {
    Ok(CategoryRef { id: CategoryId::from_db(&row.id)?, slug: row.slug, name: row.name })
}

fn tags(json: &str) -> AppResult<Vec<TagRef>> {
    let tags: Vec<TagJson> = serde_json::from_str(json).map_err(|_| corrupt("tags_json", json))?;
    tags.into_iter().map(|t| Ok(TagRef { id: TagId::from_db(&t.id)?, slug: t.slug, name: t.name })).collect()
}

fn bylines(json: &str) -> AppResult<Vec<Byline>> {
    let authors: Vec<BylineJson> = serde_json::from_str(json).map_err(|_| corrupt("authors_json", json))?;
    authors
        .into_iter()
        .map(|a| Ok(Byline { id: UserId::from_db(&a.id)?, display_name: a.display_name }))
        .collect()
}

pub fn card(row: ArticleCardRow, category: CategoryRefRow) -> AppResult<Article> {
    Ok(Article {
        id: ArticleId::from_db(&row.id)?,
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        body: None,
        cover_image: cover(row.cover_image_url, row.cover_image_caption),
        category: category_ref(category)?,
        tags: tags(&row.tags_json)?,
        authors: bylines(&row.authors_json)?,
        status: status(&row.status)?,
        featured: row.featured,
        published_at: row.published_at.map(from_db),
        scheduled_at: row.scheduled_at.map(from_db),
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
        version: row.version,
        reading_time_minutes: row.reading_time_minutes,
        comment_count: row.comment_count,
    })
}

pub fn full(row: ArticleRow, category: CategoryRefRow) -> AppResult<Article> {
    Ok(Article {
        id: ArticleId::from_db(&row.id)?,
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        body: Some(ArticleBody { markdown: row.body, html: row.body_html }),
        cover_image: cover(row.cover_image_url, row.cover_image_caption),
        category: category_ref(category)?,
        tags: tags(&row.tags_json)?,
        authors: bylines(&row.authors_json)?,
        status: status(&row.status)?,
        featured: row.featured,
        published_at: row.published_at.map(from_db),
        scheduled_at: row.scheduled_at.map(from_db),
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
        version: row.version,
        reading_time_minutes: row.reading_time_minutes,
        comment_count: row.comment_count,
    })
}

pub fn category(row: CategoryRow) -> AppResult<Category> {
    Ok(Category {
        id: CategoryId::from_db(&row.id)?,
        slug: row.slug,
        name: row.name,
        description: row.description,
        parent_id: row.parent_id.as_deref().map(CategoryId::from_db).transpose()?,
        position: row.position,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

pub fn tag(row: TagRow) -> AppResult<Tag> {
    Ok(Tag {
        id: TagId::from_db(&row.id)?,
        slug: row.slug,
        name: row.name,
        created_at: from_db(row.created_at),
    })
}

pub fn comment(row: CommentRow, author_name: String) -> AppResult<Comment> {
    let status: CommentStatus = row.status.parse().map_err(|()| corrupt("comment status", &row.status))?;
    let deleted = status == CommentStatus::Deleted;
    Ok(Comment {
        id: CommentId::from_db(&row.id)?,
        article_id: ArticleId::from_db(&row.article_id)?,
        parent_id: row.parent_id.as_deref().map(CommentId::from_db).transpose()?,
        author: if deleted {
            None
        } else {
            Some(Byline { id: UserId::from_db(&row.author_id)?, display_name: author_name })
        },
        body: if deleted { None } else { row.body },
        status,
        reply_count: row.reply_count,
        created_at: from_db(row.created_at),
        edited_at: row.edited_at.map(from_db),
    })
}

pub fn revision(row: RevisionRow, editor_name: String) -> AppResult<Revision> {
    Ok(Revision {
        version: row.version,
        title: row.title,
        summary: row.summary,
        body: row.body,
        editor: Byline { id: UserId::from_db(&row.editor_id)?, display_name: editor_name },
        created_at: from_db(row.created_at),
    })
}

pub fn user(row: UserRow) -> AppResult<crate::domain::user::User> {
    Ok(crate::domain::user::User {
        id: UserId::from_db(&row.id)?,
        email: crate::domain::Email::parse(&row.email, "email").map_err(|_| corrupt("email", &row.email))?,
        display_name: row.display_name,
        bio: row.bio,
        role: row.role.parse().map_err(|()| corrupt("role", &row.role))?,
        disabled: row.disabled,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}
