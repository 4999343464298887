//! Keeping the database in shape: the query planners informed, SQLite's
//! write-ahead log short, and the storage able to take writes.

use diesel::RunQueryDsl;

use super::{DbConn, on_backend};
use crate::error::AppResult;

/// Refreshes the planner's statistics. Run after loading many rows at once
/// (the seeder), so the first queries already take the right indexes.
pub fn analyze(conn: &mut DbConn) -> AppResult<()> {
    on_backend!(conn, |c| diesel::sql_query("ANALYZE").execute(c))?;
    Ok(())
}

/// How far SQLite's write-ahead log is folded back into the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// As far as readers allow, without waiting for any (routine upkeep).
    Passive,
    /// All of it, and the log file cut to nothing (at start: a log left
    /// long by a crash, `kill -9` mid-write, is not kept for ever).
    Truncate,
}

/// Folds SQLite's write-ahead log into the database file; nothing to do on
/// PostgreSQL, which manages its own.
pub fn checkpoint(conn: &mut DbConn, how: Checkpoint) -> AppResult<()> {
    if let crate::db::Engine::Sqlite(c) = conn.engine() {
        let sql = match how {
            Checkpoint::Passive => "PRAGMA wal_checkpoint(PASSIVE)",
            Checkpoint::Truncate => "PRAGMA wal_checkpoint(TRUNCATE)",
        };
        diesel::sql_query(sql).execute(c)?;
    }
    Ok(())
}

/// Copies a SQLite database to the new file `to` (`VACUUM INTO`): one read
/// transaction, so the copy holds exactly what was committed when it began,
/// while writers go on. PostgreSQL databases are backed up with `pg_dump`.
pub fn backup(conn: &mut DbConn, to: &str) -> AppResult<()> {
    match conn.engine() {
        crate::db::Engine::Sqlite(c) => {
            diesel::sql_query("VACUUM INTO ?").bind::<diesel::sql_types::Text, _>(to).execute(c)?;
            Ok(())
        }
        crate::db::Engine::Postgres(_) => Err(crate::error::AppError::BadRequest(
            "`newsdesk backup` copies SQLite databases; back up PostgreSQL with pg_dump (see the README)"
                .into(),
        )),
    }
}

/// The least free space a SQLite database's disk must have to take writes.
const MIN_FREE_BYTES: u64 = 8 * 1024 * 1024;

/// Why the SQLite file at `path` cannot take writes now (read-only, the
/// disk full), if it cannot: a database that answers reads but refuses
/// every write is not ready for traffic.
pub fn storage_problem(path: &str) -> Option<String> {
    // A URI filename (`file:…?mode=…`) is SQLite's to read; the plain path
    // is checked with access(2), never opened: closing a descriptor of the
    // file would drop the locks SQLite's own connections hold on it.
    if path.starts_with("file:") {
        return None;
    }
    if let Err(error) = rustix::fs::access(path, rustix::fs::Access::WRITE_OK) {
        return Some(format!("the database file cannot be written: {error}"));
    }
    let dir = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty());
    let stats = rustix::fs::statvfs(dir.unwrap_or(std::path::Path::new("."))).ok()?;
    let free = stats.f_bavail.saturating_mul(stats.f_frsize);
    (free < MIN_FREE_BYTES).then(|| format!("the disk holding the database is full ({free} bytes free)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_file_is_a_storage_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newsdesk.db");
        std::fs::write(&path, b"").unwrap();
        assert_eq!(storage_problem(path.to_str().unwrap()), None);
        let missing = dir.path().join("gone.db");
        assert!(storage_problem(missing.to_str().unwrap()).is_some(), "a file that cannot be opened");
    }
}
