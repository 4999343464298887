//! The article clocks, as the scheduler reads them: scheduled publication,
//! expiry, and the end of breaking-news windows.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Timestamp};

use crate::db::schema::articles;
use crate::db::sql::{Bind, Statement};
use crate::db::{DbConn, on_backend};
use crate::domain::{ArticleId, ArticleStatus};
use crate::error::AppResult;

/// How many articles one round moves at most, the earliest first.
const ROUND: i64 = 500;

/// Scheduled articles whose time has come, with their versions.
pub fn due(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<(ArticleId, i64)>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::status.eq(ArticleStatus::Scheduled))
        .filter(articles::scheduled_at.le(now))
        .select((articles::id, articles::version))
        .order(articles::scheduled_at)
        .limit(ROUND)
        .load(c))?)
}

/// Published articles whose expiry has come, with their versions.
pub fn expiring(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<(ArticleId, i64)>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::status.eq(ArticleStatus::Published))
        .filter(articles::expires_at.le(now))
        .select((articles::id, articles::version))
        .order(articles::expires_at)
        .limit(ROUND)
        .load(c))?)
}

/// Articles whose breaking-news window has passed, with their versions.
pub fn breaking_ended(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<(ArticleId, i64)>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::breaking_until.le(now))
        .select((articles::id, articles::version))
        .order(articles::breaking_until)
        .limit(ROUND)
        .load(c))?)
}

#[derive(QueryableByName)]
struct Next {
    #[diesel(sql_type = Nullable<Timestamp>)]
    due: Option<NaiveDateTime>,
}

/// When the scheduler next has something to do, if ever: the earliest of
/// the scheduled publications, the expiries of live articles and the ends of
/// breaking-news windows. One statement: the loop asks after every write.
pub fn next_due(conn: &mut DbConn) -> AppResult<Option<NaiveDateTime>> {
    let mut st = Statement::new(conn);
    let scheduled = st.push(Bind::Status(ArticleStatus::Scheduled));
    let published = st.push(Bind::Status(ArticleStatus::Published));
    st.sql = format!(
        "SELECT MIN(t) AS due FROM ( \
           SELECT MIN(scheduled_at) AS t FROM articles WHERE status = {scheduled} \
           UNION ALL SELECT MIN(expires_at) FROM articles WHERE status = {published} AND expires_at IS NOT NULL \
           UNION ALL SELECT MIN(breaking_until) FROM articles WHERE breaking_until IS NOT NULL \
         ) clocks"
    );
    let rows: Vec<Next> = st.load(conn)?;
    Ok(rows.into_iter().next().and_then(|r| r.due))
}
