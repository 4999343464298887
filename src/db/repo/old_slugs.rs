//! Slugs articles and sections had before their current ones: an old link
//! keeps leading to its story. A retired slug stays its owner's: no other
//! article or section may take it, so an old link never changes story.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{article_slugs, category_slugs};
use crate::db::{DbConn, on_backend};
use crate::domain::{ArticleId, CategoryId};
use crate::error::AppResult;

/// Keeps `old` as a former slug of `article`, and gives up `current` if the
/// article had it before (it is its own again).
pub fn retire_article_slug(
    conn: &mut DbConn,
    article: ArticleId,
    old: &str,
    current: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    on_backend!(conn, |c| {
        diesel::delete(article_slugs::table.filter(article_slugs::slug.eq(current))).execute(c)?;
        diesel::delete(article_slugs::table.filter(article_slugs::slug.eq(old))).execute(c)?;
        diesel::insert_into(article_slugs::table)
            .values((
                article_slugs::slug.eq(old),
                article_slugs::article_id.eq(article),
                article_slugs::retired_at.eq(at),
            ))
            .execute(c)
    })?;
    Ok(())
}

/// The article that once had `slug`.
pub fn article_with_old_slug(conn: &mut DbConn, slug: &str) -> AppResult<Option<ArticleId>> {
    Ok(on_backend!(conn, |c| article_slugs::table
        .filter(article_slugs::slug.eq(slug))
        .select(article_slugs::article_id)
        .first(c)
        .optional())?)
}

/// Whether an article other than `except` once had `slug`.
pub fn article_slug_retired(conn: &mut DbConn, slug: &str, except: Option<ArticleId>) -> AppResult<bool> {
    Ok(article_with_old_slug(conn, slug)?.is_some_and(|owner| Some(owner) != except))
}

/// As [`retire_article_slug`], for a section.
pub fn retire_category_slug(
    conn: &mut DbConn,
    category: CategoryId,
    old: &str,
    current: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    on_backend!(conn, |c| {
        diesel::delete(category_slugs::table.filter(category_slugs::slug.eq(current))).execute(c)?;
        diesel::delete(category_slugs::table.filter(category_slugs::slug.eq(old))).execute(c)?;
        diesel::insert_into(category_slugs::table)
            .values((
                category_slugs::slug.eq(old),
                category_slugs::category_id.eq(category),
                category_slugs::retired_at.eq(at),
            ))
            .execute(c)
    })?;
    Ok(())
}

/// The section that once had `slug`.
pub fn category_with_old_slug(conn: &mut DbConn, slug: &str) -> AppResult<Option<CategoryId>> {
    Ok(on_backend!(conn, |c| category_slugs::table
        .filter(category_slugs::slug.eq(slug))
        .select(category_slugs::category_id)
        .first(c)
        .optional())?)
}
