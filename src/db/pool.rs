//! The connection pool: opening connections on either engine, and running
//! queries off the async workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{
    AnsiTransactionManager, Instrumentation, InstrumentationEvent, SimpleConnection, TransactionManager,
};
use diesel::r2d2::{self, ManageConnection, Pool};
use diesel::{Connection, PgConnection, SqliteConnection};
use tokio::sync::OwnedSemaphorePermit;

use super::budget::Budget;
use super::changes::{self, Channels};
use super::conn::{DbConn, Engine, on_backend};
use super::freshness::{Freshness, Key, Revoked, Shown, remembered_since};
use super::replicas::Replicas;
use super::search;
use super::url::DatabaseUrl;
use crate::domain::language::Stemming;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};

/// Opens connections for the pool, choosing the backend from the URL scheme
/// (never by trial: SQLite would accept any string as a file name).
pub struct ConnectionManager {
    pub(super) url: DatabaseUrl,
    pub(super) queries: Arc<AtomicU64>,
    pub(super) freshness: Arc<Freshness>,
    pub(super) channels: Option<Arc<Channels>>,
    pub(super) stemming: Stemming,
}

impl ConnectionManager {
    /// Counts every statement the connection starts (for `/metrics`).
    fn counter(&self) -> impl Instrumentation {
        let queries = self.queries.clone();
        move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                queries.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?;
                conn.set_instrumentation(self.counter());
                let engine = Engine::Postgres(conn);
                Ok(DbConn::new(engine, self.stemming, self.freshness.clone(), self.channels.clone()))
            }
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the one writer; busy_timeout makes a
                // writer wait for the lock instead of failing at once. It comes
                // first: switching to WAL takes a lock that the pool's other
                // connections, opening at the same time, must wait for.
                // journal_size_limit cuts the write-ahead log back to 32 MiB
                // whenever a checkpoint has folded it in, however long a burst
                // of writes made it.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA journal_size_limit = 33554432;",
                )
                .map_err(r2d2::Error::QueryError)?;
                search::index::register(&mut conn, self.stemming).map_err(r2d2::Error::QueryError)?;
                conn.set_instrumentation(self.counter());
                Ok(DbConn::new(Engine::Sqlite(conn), self.stemming, self.freshness.clone(), None))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        on_backend!(conn, |c| AnsiTransactionManager::is_broken_transaction_manager(c))
    }
}

/// The connection pool, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pub(super) pool: Pool<ConnectionManager>,
    /// One permit per pooled connection: callers queue here, asynchronously,
    /// instead of parking a blocking thread each in `pool.get()`.
    permits: Arc<tokio::sync::Semaphore>,
    pub(super) queries: Arc<AtomicU64>,
    pub(super) freshness: Arc<Freshness>,
    /// Live-event payloads from every instance (PostgreSQL only).
    notices: tokio::sync::broadcast::Sender<String>,
    /// The SQLite file, whose storage readiness also checks.
    pub(super) sqlite_path: Option<Arc<str>>,
    /// Where reads that may come from a replica go first (none by default).
    pub(super) replicas: Arc<Replicas>,
    pub(super) stemming: Stemming,
}

impl Db {
    /// Opens a pool of `size` connections, searching with `stemming`; fails
    /// if the first cannot be opened.
    pub fn connect(url: &DatabaseUrl, size: u32, stemming: Stemming) -> anyhow::Result<Self> {
        let queries = Arc::new(AtomicU64::new(0));
        let freshness = Arc::new(Freshness::default());
        let channels = match url {
            DatabaseUrl::Postgres(raw) => Some(Arc::new(
                PgConnection::establish(raw)
                    .map_err(anyhow::Error::from)
                    .and_then(|mut conn| Ok(Channels::of(&mut conn)?))
                    .map_err(|e| anyhow::anyhow!("cannot open database {}: {e}", url.redacted()))?,
            )),
            DatabaseUrl::Sqlite(_) => None,
        };
        let manager = ConnectionManager {
            url: url.clone(),
            queries: queries.clone(),
            freshness: freshness.clone(),
            channels: channels.clone(),
            stemming,
        };
        let pool = Pool::builder()
            .max_size(size)
            .connection_timeout(Duration::from_secs(5))
            .test_on_check_out(false)
            .build(manager)
            .map_err(|e| anyhow::anyhow!("cannot open database {}: {e}", url.redacted()))?;
        let notices = tokio::sync::broadcast::channel(1024).0;
        if let (DatabaseUrl::Postgres(raw), Some(channels)) = (url, channels) {
            changes::listen(raw.clone(), channels, Arc::downgrade(&freshness), notices.clone())
                .map_err(|e| anyhow::anyhow!("cannot listen for changes on {}: {e}", url.redacted()))?;
        }
        let permits = Arc::new(tokio::sync::Semaphore::new(size as usize));
        let sqlite_path = match url {
            DatabaseUrl::Sqlite(path) => Some(Arc::from(path.as_str())),
            DatabaseUrl::Postgres(_) => None,
        };
        let replicas = Arc::new(Replicas::default());
        Ok(Self { pool, permits, queries, freshness, notices, sqlite_path, replicas, stemming })
    }

    /// Runs `f` with a pooled connection on the blocking thread pool. A
    /// response that reads through here depends on every write: reads that
    /// can say what they show use [`Db::read`].
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        Shown::record([Key::Everything]);
        self.on_pool(f).await?
    }

    /// Runs a read that says what it shows: `f` adds to its second argument
    /// the keys of what it read, and a cached response that showed them
    /// stays fresh until a write changes one (see [`super::freshness`]).
    /// A refusal shows what it read too: GraphQL answers a story not found
    /// with `null`, and that answer is kept.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn, &mut Vec<Key>) -> AppResult<T> + Clone + Send + 'static,
        T: Send + 'static,
    {
        let mut share = Self::share().await?;
        let f = match self.on_replica(f, &mut share).await {
            Ok(outcome) => return Self::shown(Ok(outcome)),
            Err(f) => f,
        };
        let outcome = self
            .on_pool_with(share, move |conn| {
                let mut shown = Vec::new();
                let value = f(conn, &mut shown);
                (value, shown)
            })
            .await;
        Self::shown(outcome)
    }

    /// Records what a read showed (everything, if it failed to run).
    fn shown<T>(outcome: AppResult<(AppResult<T>, Vec<Key>)>) -> AppResult<T> {
        match outcome {
            Ok((value, shown)) => {
                Shown::record(shown);
                value
            }
            Err(error) => {
                Shown::record([Key::Everything]);
                Err(error)
            }
        }
    }

    /// One call from the running request's budget, if it has one.
    async fn share() -> AppResult<Option<OwnedSemaphorePermit>> {
        match Budget::current() {
            Some(budget) => Ok(Some(budget.spend().await?)),
            None => Ok(None),
        }
    }

    async fn on_pool<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> T + Send + 'static,
        T: Send + 'static,
    {
        // A request's own share first, then its place in the pool's queue.
        let share = Self::share().await?;
        self.on_pool_with(share, f).await
    }

    async fn on_pool_with<T, F>(&self, share: Option<OwnedSemaphorePermit>, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Unavailable("database pool closed".into()))?;
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _permits = (permit, share);
            let _entered = span.enter();
            let mut conn =
                pool.get().map_err(|e| AppError::Unavailable(format!("no database connection: {e}")))?;
            Ok(f(&mut conn))
        })
        .await
        .map_err(AppError::internal)?
    }

    /// The same as [`Db::run`] for callers that are already off the async
    /// runtime (the CLI, the seeder).
    pub fn run_blocking<T>(&self, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
        let mut conn =
            self.pool.get().map_err(|e| AppError::Unavailable(format!("no database connection: {e}")))?;
        f(&mut conn)
    }

    /// Statements run since start-up, over every connection.
    pub fn queries_run(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// A tick that moves whenever any write has committed, here or (on
    /// PostgreSQL) on another instance: stamp a read with it before reading.
    pub fn generation(&self) -> u64 {
        self.freshness.stamp()
    }

    /// Whether a read stamped `stamp` that showed `keys` is still current.
    pub fn is_fresh(&self, stamp: u64, keys: &[Key]) -> bool {
        self.freshness.is_fresh(stamp, keys)
    }

    /// The sign-ins that have ended, for checking access tokens.
    pub fn revoked(&self) -> &Revoked {
        &self.freshness.revoked
    }

    /// Reads which sign-ins ended recently (at start-up, before any token is
    /// checked): what this instance's memory of revocations starts from.
    pub async fn load_revocations(&self) -> AppResult<()> {
        let freshness = self.freshness.clone();
        self.run(move |conn| {
            let ended = crate::db::repo::sessions::ended_since(conn, remembered_since(now()))?;
            freshness.revoked.remember_ended(ended);
            Ok(())
        })
        .await
    }

    /// Live-event payloads sent by any instance, this one included.
    pub fn notices(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.notices.subscribe()
    }

    /// Pool connections: (open, idle).
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// Is the database answering, and (SQLite) can its file take writes?
    /// Used by `/readyz`.
    pub async fn ping(&self) -> AppResult<()> {
        let path = self.sqlite_path.clone();
        self.run(move |conn| {
            conn.ping().map_err(AppError::from)?;
            match path.as_deref().and_then(super::maintenance::storage_problem) {
                Some(problem) => Err(AppError::Unavailable(problem)),
                None => Ok(()),
            }
        })
        .await
    }
}
