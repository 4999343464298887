//! Keeping the query planners informed.

use diesel::RunQueryDsl;

use super::{DbConn, on_backend};
use crate::error::AppResult;

/// Refreshes the planner's statistics. Run after loading many rows at once
/// (the seeder), so the first queries already take the right indexes.
pub fn analyze(conn: &mut DbConn) -> AppResult<()> {
    on_backend!(conn, |c| diesel::sql_query("ANALYZE").execute(c))?;
    Ok(())
}
