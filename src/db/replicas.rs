//! Read replicas (PostgreSQL streaming replicas, `--database-replica-url`).
//!
//! A read that says what it shows ([`super::Db::read`]) goes to a replica
//! when the replica has replayed every write this instance knows of: its
//! own commits (the primary's WAL position is read after each) and its
//! siblings' (read when their notices arrive, which is after they
//! committed). Otherwise, or when no replica answers, it goes to the
//! primary. So a writer always reads its own writes, a reader never sees a
//! page go back in time, and a cached answer is never older than the
//! writes that would have made it stale: the cache stays exact. Everything
//! else (writes, reads inside them, sign-in) uses the primary.
//!
//! Needs `synchronous_commit` on (PostgreSQL's default): the primary's WAL
//! write position is then past every commit it has acknowledged.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::r2d2::Pool;
use diesel::sql_types::{Nullable, Text};
use diesel::{PgConnection, QueryResult, QueryableByName, RunQueryDsl};

use diesel::Connection;

use super::budget::Budget;
use super::conn::{DbConn, Engine};
use super::freshness::Key;
use super::pool::{ConnectionManager, Db};
use super::url::DatabaseUrl;
use crate::error::{AppError, AppResult};

/// The primary's WAL position behind which lies every write this instance
/// has heard of: what a replica must have replayed to serve a read.
#[derive(Default)]
pub struct Written {
    /// Whether anyone needs it (replicas are configured): reading it costs
    /// a statement after each write.
    tracking: AtomicBool,
    lsn: AtomicU64,
    /// A write committed whose position could not be read: unknown until
    /// the next position read, which lies past it.
    unsure: AtomicBool,
}

impl Written {
    pub fn track(&self) {
        self.tracking.store(true, Ordering::Relaxed);
    }

    pub fn tracking(&self) -> bool {
        self.tracking.load(Ordering::Relaxed)
    }

    /// Takes note of the primary's position after a write was committed
    /// (read on the primary once it had); call before telling the cache.
    pub fn advance(&self, lsn: u64) {
        self.lsn.fetch_max(lsn, Ordering::AcqRel);
        self.unsure.store(false, Ordering::Release);
    }

    /// A write committed but the primary's position could not be read after
    /// it: reads go to the primary until a later position is known.
    pub fn lost_track(&self) {
        self.unsure.store(true, Ordering::Release);
    }

    /// What a replica must have replayed for a read starting now; `None`
    /// when that is not known (only the primary will do).
    pub fn required(&self) -> Option<u64> {
        (!self.unsure.load(Ordering::Acquire)).then(|| self.lsn.load(Ordering::Acquire))
    }
}

#[derive(QueryableByName)]
struct Position {
    #[diesel(sql_type = Nullable<Text>)]
    lsn: Option<String>,
}

/// `16/B374D848` as a number.
fn parse_lsn(text: &str) -> Option<u64> {
    let (high, low) = text.split_once('/')?;
    Some((u64::from_str_radix(high, 16).ok()? << 32) | u64::from_str_radix(low, 16).ok()?)
}

fn position(conn: &mut PgConnection, sql: &str) -> QueryResult<Option<u64>> {
    let row: Position = diesel::sql_query(sql).get_result(conn)?;
    Ok(row.lsn.as_deref().and_then(parse_lsn))
}

/// The primary's WAL write position now.
pub fn primary_position(conn: &mut PgConnection) -> QueryResult<u64> {
    Ok(position(conn, "SELECT pg_current_wal_lsn()::text AS lsn")?.unwrap_or(0))
}

/// How far a replica has replayed; `None` if the server is no replica.
fn replayed_position(conn: &mut PgConnection) -> QueryResult<Option<u64>> {
    position(conn, "SELECT pg_last_wal_replay_lsn()::text AS lsn")
}

/// How long a replica that could not be reached is left alone.
const REST_AFTER_FAILURE: Duration = Duration::from_secs(5);

pub struct Replica {
    pub(super) pool: Pool<ConnectionManager>,
    /// One per pooled connection, as for the primary.
    pub(super) permits: Arc<tokio::sync::Semaphore>,
    resting_until: std::sync::Mutex<Option<Instant>>,
}

impl Replica {
    pub fn new(pool: Pool<ConnectionManager>, size: u32) -> Self {
        Self {
            pool,
            permits: Arc::new(tokio::sync::Semaphore::new(size as usize)),
            resting_until: std::sync::Mutex::new(None),
        }
    }

    fn resting(&self) -> bool {
        self.resting_until.lock().is_ok_and(|until| until.is_some_and(|t| Instant::now() < t))
    }

    /// Could not be reached: left alone for a while.
    pub fn rest(&self) {
        if let Ok(mut until) = self.resting_until.lock() {
            *until = Some(Instant::now() + REST_AFTER_FAILURE);
        }
    }

    /// Has it replayed up to `required`? Asked before every read: the same
    /// round trip finds a replica that has gone away (its pooled
    /// connections broken) before the read is tried there.
    pub fn caught_up(&self, conn: &mut DbConn, required: u64) -> bool {
        let Engine::Postgres(c) = &mut conn.engine else { return false };
        match replayed_position(c) {
            Ok(Some(lsn)) => lsn >= required,
            Ok(None) => false,
            Err(error) => {
                tracing::warn!(%error, "a read replica stopped answering; reading from the primary");
                self.rest();
                false
            }
        }
    }
}

/// The replicas, taken in turn.
#[derive(Default)]
pub struct Replicas {
    all: Vec<Arc<Replica>>,
    next: AtomicUsize,
    /// Reads served by a replica, and reads that went to the primary instead.
    pub(super) served: AtomicU64,
    pub(super) passed_over: AtomicU64,
}

impl Replicas {
    pub fn new(all: Vec<Arc<Replica>>) -> Self {
        Self { all, ..Self::default() }
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// The next replica in turn that is not resting.
    pub fn pick(&self) -> Option<Arc<Replica>> {
        let n = self.all.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        (0..n).map(|i| &self.all[(start + i) % n]).find(|r| !r.resting()).cloned()
    }

    /// (served by a replica, passed over to the primary) since start-up.
    pub fn counts(&self) -> (u64, u64) {
        (self.served.load(Ordering::Relaxed), self.passed_over.load(Ordering::Relaxed))
    }
}

/// Checks, at start-up, that a replica URL names a server in recovery (a
/// replica), not a primary taking writes of its own.
pub fn check_is_replica(conn: &mut PgConnection) -> anyhow::Result<()> {
    match replayed_position(conn)? {
        Some(_) => Ok(()),
        None => anyhow::bail!("it is not a replica (the server is not in recovery)"),
    }
}

impl Db {
    /// Sends reads that may come from a replica to these PostgreSQL
    /// streaming replicas of the primary, `size` connections each (see the
    /// module's notes). Each must be a replica now; one that is down later
    /// is passed over.
    pub fn with_replicas(mut self, urls: &[DatabaseUrl], size: u32) -> anyhow::Result<Self> {
        if urls.is_empty() {
            return Ok(self);
        }
        if self.sqlite_path.is_some() {
            anyhow::bail!("read replicas need a PostgreSQL primary (--database-url postgres://…)");
        }
        let mut all = Vec::with_capacity(urls.len());
        for url in urls {
            let DatabaseUrl::Postgres(raw) = url else {
                anyhow::bail!("replica {} is not a postgres:// URL", url.redacted());
            };
            PgConnection::establish(raw)
                .map_err(anyhow::Error::from)
                .and_then(|mut conn| check_is_replica(&mut conn))
                .map_err(|e| anyhow::anyhow!("cannot use replica {}: {e}", url.redacted()))?;
            let manager = ConnectionManager {
                url: url.clone(),
                queries: self.queries.clone(),
                freshness: self.freshness.clone(),
                channels: None,
                stemming: self.stemming,
            };
            // Not waiting for connections here: a replica that goes down
            // later is passed over, and one that is slow to answer is not
            // waited for long.
            let pool = Pool::builder()
                .max_size(size)
                .min_idle(Some(0))
                .connection_timeout(Duration::from_secs(1))
                .test_on_check_out(false)
                .build_unchecked(manager);
            all.push(Arc::new(Replica::new(pool, size)));
        }
        self.freshness.written.track();
        let start = self.run_blocking(|conn| match conn.engine() {
            Engine::Postgres(c) => Ok(primary_position(c)?),
            Engine::Sqlite(_) => Ok(0),
        })?;
        self.freshness.written.advance(start);
        self.replicas = Arc::new(Replicas::new(all));
        Ok(self)
    }

    /// Runs a read on a replica that has replayed every write heard of, if
    /// one can be had; hands `f` back otherwise, for the primary.
    pub(super) async fn on_replica<T, F>(&self, f: F) -> Result<AppResult<(AppResult<T>, Vec<Key>)>, F>
    where
        F: FnOnce(&mut DbConn, &mut Vec<Key>) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        if self.replicas.is_empty() {
            return Err(f);
        }
        let required = match self.freshness.written.required() {
            Some(required) if !self.freshness.deaf() => required,
            _ => return self.passed_over(f),
        };
        let Some(replica) = self.replicas.pick() else { return self.passed_over(f) };
        let share = match Budget::current() {
            Some(budget) => match budget.spend().await {
                Ok(share) => Some(share),
                Err(error) => return Ok(Err(error)),
            },
            None => None,
        };
        let Ok(permit) = replica.permits.clone().acquire_owned().await else { return self.passed_over(f) };
        let span = tracing::Span::current();
        let attempt = tokio::task::spawn_blocking(move || {
            let _permits = (permit, share);
            let _entered = span.enter();
            let mut conn = match replica.pool.get() {
                Ok(conn) => conn,
                Err(error) => {
                    tracing::warn!(%error, "a read replica cannot be reached; reading from the primary");
                    replica.rest();
                    return Err(f);
                }
            };
            if !replica.caught_up(&mut conn, required) {
                return Err(f);
            }
            let mut shown = Vec::new();
            let value = f(&mut conn, &mut shown);
            Ok((value, shown))
        })
        .await;
        match attempt {
            Ok(Ok(outcome)) => {
                self.replicas.served.fetch_add(1, Ordering::Relaxed);
                Ok(Ok(outcome))
            }
            Ok(Err(f)) => self.passed_over(f),
            Err(panicked) => Ok(Err(AppError::internal(panicked))),
        }
    }

    fn passed_over<T, F>(&self, f: F) -> Result<T, F> {
        self.replicas.passed_over.fetch_add(1, Ordering::Relaxed);
        Err(f)
    }

    /// Reads served by replicas, and reads passed over to the primary
    /// because no replica had caught up or answered, since start-up.
    pub fn replica_reads(&self) -> (u64, u64) {
        self.replicas.counts()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_as_numbers_in_wal_order() {
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("16/B374D848"), Some((0x16 << 32) | 0xB374_D848));
        assert!(parse_lsn("1/0") > parse_lsn("0/FFFFFFFF"));
        assert_eq!(parse_lsn("nonsense"), None);
    }

    #[test]
    fn written_only_moves_on() {
        let written = Written::default();
        written.advance(10);
        written.advance(5);
        assert_eq!(written.required(), Some(10));
        written.lost_track();
        assert_eq!(written.required(), None, "only the primary will do");
        written.advance(12);
        assert_eq!(written.required(), Some(12));
    }
}
