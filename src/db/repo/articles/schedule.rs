//! The publication schedule, as the scheduler reads it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::articles;
use crate::db::{DbConn, on_backend};
use crate::domain::{ArticleId, ArticleStatus};
use crate::error::AppResult;

/// Scheduled articles whose time has come, with their versions: at most 500,
/// the earliest first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<(ArticleId, i64)>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::status.eq(ArticleStatus::Scheduled))
        .filter(articles::scheduled_at.le(now))
        .select((articles::id, articles::version))
        .order(articles::scheduled_at)
        .limit(500)
        .load(c))?)
}

/// When the next scheduled article is due, if any is scheduled.
pub fn next_due(conn: &mut DbConn) -> AppResult<Option<NaiveDateTime>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::status.eq(ArticleStatus::Scheduled))
        .select(diesel::dsl::min(articles::scheduled_at))
        .first::<Option<NaiveDateTime>>(c))?)
}
