use diesel::prelude::*;

use crate::db::models::CategoryRow;
use crate::db::schema::categories;
use crate::db::{DbConn, on_backend};
use crate::error::AppResult;

pub fn all(conn: &mut DbConn) -> AppResult<Vec<CategoryRow>> {
    Ok(on_backend!(conn, |c| categories::table
        .select(CategoryRow::as_select())
        .order((categories::position, categories::name))
        .load(c))?)
}

pub fn insert(conn: &mut DbConn, row: &CategoryRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(categories::table).values(row).execute(c))?;
    Ok(())
}
