//! The shared state behind the abuse limits: per limited key, when its
//! allowance is next whole again (see `service::limits`).

use diesel::QueryableByName;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};

use crate::db::schema::rate_limits;
use crate::db::sql::{Bind, Statement};
use crate::db::{DbConn, on_backend};
use crate::error::{AppError, AppResult};

/// One attempt, as the limit sees it: a cell rate (an allowance of
/// `burst_ms / interval_ms + 1` attempts at once, one more every
/// `interval_ms`).
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    /// Now, in milliseconds since the epoch.
    pub at_ms: i64,
    /// Milliseconds each attempt uses up.
    pub interval_ms: i64,
    /// How far ahead of now the key may have used its allowance.
    pub burst_ms: i64,
}

/// A key's state after an attempt.
#[derive(Debug, QueryableByName)]
pub struct Counted {
    /// When the key's allowance is whole again, in milliseconds since the epoch.
    #[diesel(sql_type = BigInt)]
    pub tat_ms: i64,
    /// Whether this attempt was let through.
    #[diesel(sql_type = Bool)]
    pub allowed: bool,
}

/// Counts one attempt on `bucket` in one statement, so instances counting at
/// the same moment never lose one: let through (and the allowance used up
/// by one interval) unless the key is more than the burst ahead of now.
pub fn attempt(conn: &mut DbConn, bucket: &str, attempt: Attempt) -> AppResult<Counted> {
    let Attempt { at_ms, interval_ms, burst_ms } = attempt;
    let mut sql = Statement::new(conn);
    let bucket = sql.push(Bind::Text(bucket.to_owned()));
    let fresh = sql.push(Bind::Int(at_ms + interval_ms));
    let within = sql.push(Bind::Int(at_ms + burst_ms));
    let now = sql.push(Bind::Int(at_ms));
    let within_again = sql.push(Bind::Int(at_ms + burst_ms));
    let interval = sql.push(Bind::Int(interval_ms));
    sql.sql = format!(
        "INSERT INTO rate_limits (bucket, tat_ms, allowed) VALUES ({bucket}, {fresh}, TRUE) \
         ON CONFLICT (bucket) DO UPDATE SET \
         allowed = rate_limits.tat_ms <= {within}, \
         tat_ms = CASE WHEN rate_limits.tat_ms <= {now} THEN excluded.tat_ms \
                       WHEN rate_limits.tat_ms <= {within_again} THEN rate_limits.tat_ms + {interval} \
                       ELSE rate_limits.tat_ms END \
         RETURNING tat_ms, allowed"
    );
    sql.load::<Counted>(conn)?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("counting an attempt returned no row")))
}

/// Forgets the keys whose allowance was whole again before `before_ms`: a
/// missing row means the same.
pub fn forget_whole(conn: &mut DbConn, before_ms: i64) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::delete(rate_limits::table.filter(rate_limits::tat_ms.lt(before_ms)))
        .execute(c))?)
}
