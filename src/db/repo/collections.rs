//! Collections and their ordered articles.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{articles, collection_items, collections};
use crate::db::{DbConn, on_backend};
use crate::domain::collection::CollectionInfo;
use crate::domain::time::from_db;
use crate::domain::{ArticleId, CollectionId, UserId};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = collections, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CollectionRow {
    pub id: CollectionId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub max_items: i32,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_by: UserId,
    pub updated_at: NaiveDateTime,
}

impl From<CollectionRow> for CollectionInfo {
    fn from(row: CollectionRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            max_items: row.max_items,
            version: row.version,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

/// The fields an edit changes; `None` leaves one as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = collections)]
pub struct CollectionChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub max_items: Option<i32>,
    pub updated_by: Option<UserId>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Every collection, in slug order (compared byte by byte, as SQLite does;
/// PostgreSQL's collation would skip the hyphens).
pub fn all(conn: &mut DbConn) -> AppResult<Vec<CollectionRow>> {
    let mut rows: Vec<CollectionRow> =
        on_backend!(conn, |c| collections::table.select(CollectionRow::as_select()).load(c))?;
    rows.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(rows)
}

pub fn by_slug(conn: &mut DbConn, slug: &str) -> AppResult<Option<CollectionRow>> {
    Ok(on_backend!(conn, |c| collections::table
        .select(CollectionRow::as_select())
        .filter(collections::slug.eq(slug))
        .first(c)
        .optional())?)
}

pub fn by_id(conn: &mut DbConn, id: CollectionId) -> AppResult<Option<CollectionRow>> {
    Ok(on_backend!(conn, |c| collections::table
        .select(CollectionRow::as_select())
        .find(id)
        .first(c)
        .optional())?)
}

pub fn insert(conn: &mut DbConn, row: &CollectionRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(collections::table).values(row).execute(c))?;
    Ok(())
}

/// Applies `changes` and bumps the version, only if the collection is still
/// at `expected_version`: `false` means someone else changed it first. The
/// row lock it takes orders racing writers.
pub fn update_versioned(
    conn: &mut DbConn,
    id: CollectionId,
    expected_version: i64,
    changes: &CollectionChanges,
) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| diesel::update(
        collections::table.filter(collections::id.eq(id)).filter(collections::version.eq(expected_version))
    )
    .set((changes, collections::version.eq(expected_version + 1)))
    .execute(c))?;
    Ok(updated == 1)
}

/// Deletes a collection, only if it is still at `version`.
pub fn delete_versioned(conn: &mut DbConn, id: CollectionId, version: i64) -> AppResult<bool> {
    let deleted = on_backend!(conn, |c| diesel::delete(
        collections::table.filter(collections::id.eq(id)).filter(collections::version.eq(version))
    )
    .execute(c))?;
    Ok(deleted == 1)
}

/// A collection's article ids, in order.
pub fn items(conn: &mut DbConn, id: CollectionId) -> AppResult<Vec<ArticleId>> {
    Ok(on_backend!(conn, |c| collection_items::table
        .filter(collection_items::collection_id.eq(id))
        .order(collection_items::position)
        .select(collection_items::article_id)
        .load(c))?)
}

/// Every collection's article ids, in order, keyed by collection.
pub fn all_items(conn: &mut DbConn) -> AppResult<Vec<(CollectionId, ArticleId)>> {
    Ok(on_backend!(conn, |c| collection_items::table
        .order((collection_items::collection_id, collection_items::position))
        .select((collection_items::collection_id, collection_items::article_id))
        .load(c))?)
}

/// Replaces a collection's articles with `ids`, in that order.
pub fn replace_items(conn: &mut DbConn, id: CollectionId, ids: &[ArticleId]) -> AppResult<()> {
    let rows: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(position, article)| {
            (
                collection_items::collection_id.eq(id),
                collection_items::position.eq(position as i32),
                collection_items::article_id.eq(*article),
            )
        })
        .collect();
    on_backend!(conn, |c| diesel::delete(
        collection_items::table.filter(collection_items::collection_id.eq(id))
    )
    .execute(c))?;
    if !rows.is_empty() {
        on_backend!(conn, |c| diesel::insert_into(collection_items::table).values(&rows).execute(c))?;
    }
    Ok(())
}

/// Which of `ids` name an article.
pub fn existing_articles(conn: &mut DbConn, ids: &[ArticleId]) -> AppResult<Vec<ArticleId>> {
    Ok(on_backend!(conn, |c| articles::table.filter(articles::id.eq_any(ids)).select(articles::id).load(c))?)
}
