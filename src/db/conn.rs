//! One connection type over SQLite and PostgreSQL.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use diesel::{PgConnection, RunQueryDsl, SqliteConnection};

use super::changes::Channels;

/// A live connection to whichever database the service was configured with.
///
/// Queries are written once and compiled for both backends with [`on_backend!`],
/// which keeps diesel's full query builder (boxed queries included) on each.
pub struct DbConn {
    pub(super) engine: Engine,
    /// Bumped after every committed write transaction: see [`super::Db::generation`].
    pub(super) generation: Arc<AtomicU64>,
    /// Where committed writes and live events are announced (PostgreSQL only).
    pub(super) channels: Option<Arc<Channels>>,
    /// Live events of the open transaction, sent when it commits.
    pub(super) pending_events: Vec<String>,
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
    pub(super) fn new(engine: Engine, generation: Arc<AtomicU64>, channels: Option<Arc<Channels>>) -> Self {
        Self { engine, generation, channels, pending_events: Vec::new() }
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
