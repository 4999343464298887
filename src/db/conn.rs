//! One connection type over SQLite and PostgreSQL.

use std::sync::Arc;

use diesel::{PgConnection, RunQueryDsl, SqliteConnection};

use super::changes::Channels;
use super::freshness::{Freshness, Key};
use crate::domain::language::Stemming;

/// A live connection to whichever database the service was configured with.
///
/// Queries are written once and compiled for both backends with [`on_backend!`],
/// which keeps diesel's full query builder (boxed queries included) on each.
pub struct DbConn {
    pub(super) engine: Engine,
    /// How search reduces words: the site language's stemmer.
    stemming: Stemming,
    /// Told what every committed write transaction changed.
    pub(super) freshness: Arc<Freshness>,
    /// Where committed writes and live events are announced (PostgreSQL only).
    pub(super) channels: Option<Arc<Channels>>,
    /// Live events of the open transaction, sent when it commits.
    pub(super) pending_events: Vec<String>,
    /// What the open transaction says it changed; `None` until it says,
    /// which at commit means everything.
    pub(super) pending_changes: Option<Vec<Key>>,
}

/// The concrete connection.
pub enum Engine {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs `$body` with `$c` bound to the concrete connection of `$conn`.
/// The body is compiled once per backend.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $crate::db::DbConn::engine($conn) {
            $crate::db::Engine::Postgres($c) => $body,
            $crate::db::Engine::Sqlite($c) => $body,
        }
    };
}
pub use on_backend;

impl DbConn {
    pub(super) fn new(
        engine: Engine,
        stemming: Stemming,
        freshness: Arc<Freshness>,
        channels: Option<Arc<Channels>>,
    ) -> Self {
        Self { engine, stemming, freshness, channels, pending_events: Vec::new(), pending_changes: None }
    }

    /// How search reduces words on this database: the site language's stemmer.
    pub fn stemming(&self) -> Stemming {
        self.stemming
    }

    /// Says what the open transaction changes, so that only the reads that
    /// showed these keys go stale when it commits. Calling it with nothing
    /// says the write changes nothing anyone reads (a session, a counter).
    pub fn changes(&mut self, keys: impl IntoIterator<Item = Key>) {
        self.pending_changes.get_or_insert_with(Vec::new).extend(keys);
    }

    pub fn engine(&mut self) -> &mut Engine {
        &mut self.engine
    }

    pub fn backend(&self) -> super::Backend {
        match self.engine {
            Engine::Postgres(_) => super::Backend::Postgres,
            Engine::Sqlite(_) => super::Backend::Sqlite,
        }
    }

    /// Is the database answering?
    pub fn ping(&mut self) -> diesel::QueryResult<()> {
        on_backend!(self, |c| diesel::sql_query("SELECT 1").execute(c).map(drop))
    }
}
