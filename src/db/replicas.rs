//! Read replicas (PostgreSQL streaming replicas, `--database-replica-url`).
//!
//! A read that says what it shows ([`super::Db::read`]) goes to a replica
//! when the replica has replayed every write this instance knows of: its
//! own commits (the primary's WAL position is read after each) and its
//! siblings' (read when their notices arrive, which is after they
//! committed). Otherwise, or when no replica answers, it goes to the
//! primary. So a writer always reads its own writes on the instance that
//! took them, and a cached answer is never older than the writes that
//! would have made it stale: the cache stays exact. Everything else
//! (writes, reads inside them, sign-in) uses the primary.
//!
//! Needs `synchronous_commit` on (PostgreSQL's default, checked at start):
//! the primary's WAL write position is then past every commit it has
//! acknowledged.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::r2d2::Pool;
use diesel::sql_types::{Nullable, Text};
use diesel::{Connection, PgConnection, QueryResult, QueryableByName, RunQueryDsl};
use tokio::sync::OwnedSemaphorePermit;

use super::conn::{DbConn, Engine};
use super::freshness::Key;
use super::pool::{ConnectionManager, Db};
use super::url::{DatabaseUrl, with_default_params};
use crate::error::{AppError, AppResult};

/// The primary's WAL position behind which lies every write this instance
/// has heard of: what a replica must have replayed to serve a read.
#[derive(Default)]
pub struct Written {
    /// Whether anyone needs it (replicas are configured): reading it costs
    /// a statement after each write.
    tracking: AtomicBool,
    lsn: AtomicU64,
    /// Moves each time a write commits whose position could not be read:
    /// until a position read that began after the move, the position of
    /// every write is not known, and only the primary will do.
    lost: AtomicU64,
    /// The value of `lost` that the last successful position read began
    /// under.
    found: AtomicU64,
}

impl Written {
    pub fn track(&self) {
        self.tracking.store(true, Ordering::Relaxed);
    }

    pub fn tracking(&self) -> bool {
        self.tracking.load(Ordering::Relaxed)
    }

    /// Call before reading the primary's position; pass what it returns to
    /// [`Written::advance`].
    pub fn begin(&self) -> u64 {
        self.lost.load(Ordering::Acquire)
    }

    /// Takes note of the primary's position, read (after `begin` gave
    /// `epoch`) once the writes it must cover had committed; call before
    /// telling the cache of them.
    pub fn advance(&self, lsn: u64, epoch: u64) {
        self.lsn.fetch_max(lsn, Ordering::AcqRel);
        self.found.fetch_max(epoch, Ordering::AcqRel);
    }

    /// A write committed but the primary's position could not be read after
    /// it: reads go to the primary until a position read that begins later.
    pub fn lost_track(&self) {
        self.lost.fetch_add(1, Ordering::AcqRel);
    }

    /// What a replica must have replayed for a read starting now; `None`
    /// when that is not known (only the primary will do).
    pub fn required(&self) -> Option<u64> {
        let known = self.found.load(Ordering::Acquire) >= self.lost.load(Ordering::Acquire);
        known.then(|| self.lsn.load(Ordering::Acquire))
    }

    /// Reads the primary's position on `conn` and takes note of it.
    pub fn catch_up(&self, conn: &mut PgConnection) -> QueryResult<()> {
        let epoch = self.begin();
        let lsn = primary_position(conn)?;
        self.advance(lsn, epoch);
        Ok(())
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

/// How far a replica has replayed; `None` if the server is no replica (a
/// replica since promoted still reports what it replayed: not trusted).
fn replayed_position(conn: &mut PgConnection) -> QueryResult<Option<u64>> {
    position(conn, "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END AS lsn")
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

/// `synchronous_commit` as the primary's connections have it. The WAL
/// write position is past every commit acknowledged only with it on (or
/// waiting for standbys): with it off, a commit's position could be read
/// before its record is written.
fn synchronous_commit(conn: &mut PgConnection) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        synchronous_commit: String,
    }
    let setting: Setting = diesel::sql_query("SHOW synchronous_commit").get_result(conn)?;
    Ok(setting.synchronous_commit)
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
    /// module's notes). One that answers must be a replica; one that does
    /// not is passed over until it does. Call once migrations have run:
    /// reads need the replicas to have replayed everything written so far.
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
            // Not waited for long: a replica that is down must not hold up a
            // start (libpq would otherwise wait for the system's timeout).
            let raw = with_default_params(raw, &[("connect_timeout", "2")]);
            let replica = match PgConnection::establish(&raw) {
                Ok(mut conn) => {
                    check_is_replica(&mut conn)
                        .map_err(|e| anyhow::anyhow!("cannot use replica {}: {e}", url.redacted()))?;
                    None
                }
                Err(error) => Some(error),
            };
            let manager = ConnectionManager {
                url: DatabaseUrl::Postgres(raw),
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
            let replica_pool = Arc::new(Replica::new(pool, size));
            if let Some(error) = replica {
                tracing::warn!(%error, replica = %url, "a read replica does not answer; passed over until it does");
                replica_pool.rest();
            }
            all.push(replica_pool);
        }
        let synchronous = self.run_blocking(|conn| match conn.engine() {
            Engine::Postgres(c) => Ok(synchronous_commit(c)?),
            Engine::Sqlite(_) => Ok(String::new()),
        })?;
        if synchronous == "off" {
            anyhow::bail!(
                "read replicas need synchronous_commit on (it is off for this connection): \
                 otherwise where a write lies is not known when it is acknowledged"
            );
        }
        self.freshness.written.track();
        let written = self.freshness.clone();
        self.run_blocking(move |conn| match conn.engine() {
            Engine::Postgres(c) => Ok(written.written.catch_up(c)?),
            Engine::Sqlite(_) => Ok(()),
        })?;
        self.replicas = Arc::new(Replicas::new(all));
        Ok(self)
    }

    /// Runs a read on a replica that has replayed every write heard of, if
    /// one can be had; hands `f` back otherwise, for the primary, as when
    /// the replica fails while reading (it is then left alone a while).
    pub(super) async fn on_replica<T, F>(
        &self,
        f: F,
        share: &mut Option<OwnedSemaphorePermit>,
    ) -> Result<(AppResult<T>, Vec<Key>), F>
    where
        F: FnOnce(&mut DbConn, &mut Vec<Key>) -> AppResult<T> + Clone + Send + 'static,
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
        let Ok(permit) = replica.permits.clone().acquire_owned().await else { return self.passed_over(f) };
        let span = tracing::Span::current();
        // The request's share goes with the read and comes back after it,
        // for the primary's turn if there is one: spent once either way.
        let lent = share.take();
        let attempt = f.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let _entered = span.enter();
            let mut conn = match replica.pool.get() {
                Ok(conn) => conn,
                Err(error) => {
                    tracing::warn!(%error, "a read replica cannot be reached; reading from the primary");
                    replica.rest();
                    return (None, lent);
                }
            };
            if !replica.caught_up(&mut conn, required) {
                return (None, lent);
            }
            let mut shown = Vec::new();
            match attempt(&mut conn, &mut shown) {
                Err(AppError::Unavailable(reason)) => {
                    tracing::warn!(%reason, "a read replica failed a read; reading from the primary");
                    replica.rest();
                    (None, lent)
                }
                value => (Some((value, shown)), lent),
            }
        })
        .await;
        match outcome {
            Ok((Some(outcome), _)) => {
                self.replicas.served.fetch_add(1, Ordering::Relaxed);
                Ok(outcome)
            }
            Ok((None, lent)) => {
                *share = lent;
                self.passed_over(f)
            }
            Err(panicked) => Ok((Err(AppError::internal(panicked)), vec![Key::Everything])),
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
        written.advance(10, written.begin());
        written.advance(5, written.begin());
        assert_eq!(written.required(), Some(10));
    }

    #[test]
    fn a_lost_position_is_found_only_by_a_read_begun_after_it() {
        let written = Written::default();
        let before = written.begin();
        written.lost_track();
        assert_eq!(written.required(), None, "only the primary will do");
        written.advance(20, before);
        assert_eq!(written.required(), None, "a read begun before the loss may not cover it");
        written.advance(30, written.begin());
        assert_eq!(written.required(), Some(30));
    }
}
