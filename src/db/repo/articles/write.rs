//! Writing articles: inserts, versioned updates, deletes, counters.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::links::{links, refresh_relations};
use crate::db::models::{ArticleAuthorRow, ArticleRow, ArticleTagRow};
use crate::db::schema::{article_authors, article_tags, articles};
use crate::db::{DbConn, on_backend};
use crate::domain::{ArticleId, ArticleStatus, CategoryId, CommentsMode, MediaId, TagId, UserId};
use crate::error::AppResult;

/// Inserts an article with its tags and authors.
pub fn insert(
    conn: &mut DbConn,
    article: &ArticleRow,
    tag_ids: &[TagId],
    author_ids: &[UserId],
) -> AppResult<()> {
    insert_many(conn, std::slice::from_ref(article), &links(article.id, tag_ids, author_ids))?;
    refresh_relations(conn, &[article.id])
}

/// Inserts many articles at once (the seeder), in statements small enough
/// for either engine's limit on bound parameters.
pub fn insert_many(
    conn: &mut DbConn,
    article_rows: &[ArticleRow],
    (tag_rows, author_rows): &(Vec<ArticleTagRow>, Vec<ArticleAuthorRow>),
) -> AppResult<()> {
    on_backend!(conn, |c| {
        for chunk in article_rows.chunks(500) {
            diesel::insert_into(articles::table).values(chunk).execute(c)?;
        }
        for chunk in tag_rows.chunks(5_000) {
            diesel::insert_into(article_tags::table).values(chunk).execute(c)?;
        }
        for chunk in author_rows.chunks(5_000) {
            diesel::insert_into(article_authors::table).values(chunk).execute(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

/// The columns an edit or a lifecycle move may change; `None` leaves a
/// column as it is, `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub body_html: Option<String>,
    pub cover_image_url: Option<Option<String>>,
    pub cover_image_caption: Option<Option<String>>,
    pub cover_media_id: Option<Option<MediaId>>,
    pub cover_media_json: Option<Option<String>>,
    pub category_id: Option<CategoryId>,
    pub status: Option<ArticleStatus>,
    pub featured: Option<bool>,
    pub published_at: Option<Option<NaiveDateTime>>,
    pub scheduled_at: Option<Option<NaiveDateTime>>,
    pub expires_at: Option<Option<NaiveDateTime>>,
    pub breaking_until: Option<Option<NaiveDateTime>>,
    pub reading_time_minutes: Option<i32>,
    pub updated_by: Option<UserId>,
    pub updated_at: Option<NaiveDateTime>,
    pub seo_title: Option<Option<String>>,
    pub seo_description: Option<Option<String>>,
    pub seo_image_url: Option<Option<String>>,
    pub canonical_url: Option<Option<String>>,
    pub comments_mode: Option<CommentsMode>,
}

/// Replaces an article's rendered body, as derived from its unchanged
/// Markdown (the images it shows changed): no new version.
pub fn set_body_html(conn: &mut DbConn, id: ArticleId, html: &str) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(articles::table.find(id))
        .set(articles::body_html.eq(html))
        .execute(c))?;
    Ok(())
}

/// Applies `changes` and bumps the version, only if the article is still at
/// `expected_version`: `false` means someone else changed it first.
pub fn update_versioned(
    conn: &mut DbConn,
    id: ArticleId,
    expected_version: i64,
    changes: &ArticleChanges,
) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| diesel::update(
        articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(expected_version))
    )
    .set((changes, articles::version.eq(expected_version + 1)))
    .execute(c))?;
    Ok(updated == 1)
}

/// Whether another article already has `slug`.
pub fn slug_taken(conn: &mut DbConn, slug: &str, except: Option<ArticleId>) -> AppResult<bool> {
    let count: i64 = on_backend!(conn, |c| {
        let mut query = articles::table.filter(articles::slug.eq(slug)).into_boxed();
        if let Some(id) = except {
            query = query.filter(articles::id.ne(id));
        }
        query.count().get_result(c)
    })?;
    Ok(count > 0)
}

/// Locks an article's row against every other write until the transaction
/// ends, rows that refer to it included (a comment's insert waits, then
/// finds the article gone): what a delete snapshots is all it removes.
/// SQLite's write transactions already run one at a time.
pub fn lock_for_delete(conn: &mut DbConn, id: ArticleId) -> AppResult<()> {
    if let crate::db::Engine::Postgres(c) = conn.engine() {
        articles::table.find(id).select(articles::id).for_update().first::<ArticleId>(c).optional()?;
    }
    Ok(())
}

/// Deletes an article with its tags, bylines, revisions and comments.
pub fn delete(conn: &mut DbConn, id: ArticleId) -> AppResult<bool> {
    // Foreign keys cascade to everything that belongs to the article.
    let deleted = on_backend!(conn, |c| diesel::delete(articles::table.find(id)).execute(c))?;
    Ok(deleted == 1)
}

/// Adds `delta` to an article's visible-comment count, atomically.
pub fn bump_comment_count(conn: &mut DbConn, id: ArticleId, delta: i32) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(articles::table.find(id))
        .set(articles::comment_count.eq(articles::comment_count + delta))
        .execute(c))?;
    Ok(())
}

/// How many articles are filed under a section.
pub fn count_in_category(conn: &mut DbConn, category: CategoryId) -> AppResult<i64> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::category_id.eq(category))
        .count()
        .get_result(c))?)
}
