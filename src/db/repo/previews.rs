//! Preview links: one row per token, kept as its digest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::article_previews;
use crate::db::{DbConn, on_backend};
use crate::domain::{ArticleId, UserId};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = article_previews, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct PreviewRow {
    pub id: String,
    pub article_id: ArticleId,
    pub token_hash: String,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &PreviewRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(article_previews::table).values(row).execute(c))?;
    Ok(())
}

/// The article a token opens at `at`: none once it expired or was revoked.
pub fn live_article(conn: &mut DbConn, digest: &str, at: NaiveDateTime) -> AppResult<Option<ArticleId>> {
    Ok(on_backend!(conn, |c| article_previews::table
        .select(article_previews::article_id)
        .filter(article_previews::token_hash.eq(digest))
        .filter(article_previews::revoked_at.is_null())
        .filter(article_previews::expires_at.gt(at))
        .first(c)
        .optional())?)
}

/// Ends a live token; `false` when it was not live (revoked meanwhile).
pub fn revoke(conn: &mut DbConn, digest: &str, at: NaiveDateTime) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| diesel::update(
        article_previews::table
            .filter(article_previews::token_hash.eq(digest))
            .filter(article_previews::revoked_at.is_null())
            .filter(article_previews::expires_at.gt(at))
    )
    .set(article_previews::revoked_at.eq(Some(at)))
    .execute(c))?;
    Ok(updated == 1)
}

/// Forgets tokens that expired before `before`: they open nothing.
pub fn delete_expired(conn: &mut DbConn, before: NaiveDateTime) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::delete(
        article_previews::table.filter(article_previews::expires_at.lt(before))
    )
    .execute(c))?)
}
