//! Embedded migrations, one tree per backend, applied at start-up. Each is
//! logged as it starts and when it is done, so a long one on a large
//! database is not silence.

use std::time::Instant;

use diesel::backend::Backend;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::search::index::Rebuild;
use super::{DbConn, Engine, search};

const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Applies every pending migration, then builds the search index in the
/// site's language if it was never built or (as `rebuild` allows) was built
/// in another; returns how many migrations ran.
pub fn run_pending(conn: &mut DbConn, rebuild: Rebuild) -> anyhow::Result<usize> {
    let applied = match conn.engine() {
        Engine::Postgres(c) => apply_each(c, POSTGRES),
        Engine::Sqlite(c) => apply_each(c, SQLITE),
    };
    let applied = applied.map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    let stemming = conn.stemming();
    search::index::ensure(conn, stemming, rebuild)?;
    Ok(applied)
}

/// Runs the pending migrations of `source` one at a time, each in its own
/// transaction, as diesel's `run_pending_migrations` does.
fn apply_each<DB: Backend>(
    conn: &mut impl MigrationHarness<DB>,
    source: EmbeddedMigrations,
) -> diesel::migration::Result<usize> {
    let pending = conn.pending_migrations(source)?;
    let count = pending.len();
    for (index, migration) in pending.iter().enumerate() {
        let name = migration.name().to_string();
        tracing::info!(migration = %name, step = index + 1, of = count, "applying migration");
        let started = Instant::now();
        conn.run_migration(migration.as_ref())?;
        let seconds = (started.elapsed().as_secs_f64() * 100.0).round() / 100.0;
        tracing::info!(migration = %name, seconds, "migration applied");
    }
    Ok(count)
}
