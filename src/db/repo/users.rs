use diesel::prelude::*;

use crate::db::models::UserRow;
use crate::db::schema::users;
use crate::db::{DbConn, on_backend};
use crate::error::AppResult;

pub fn insert(conn: &mut DbConn, row: &UserRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(users::table).values(row).execute(c))?;
    Ok(())
}

pub fn by_email(conn: &mut DbConn, email: &str) -> AppResult<Option<UserRow>> {
    Ok(on_backend!(conn, |c| users::table
        .select(UserRow::as_select())
        .filter(users::email.eq(email))
        .first(c)
        .optional())?)
}

pub fn by_id(conn: &mut DbConn, id: &str) -> AppResult<Option<UserRow>> {
    Ok(on_backend!(conn, |c| users::table.select(UserRow::as_select()).find(id).first(c).optional())?)
}

pub fn count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(on_backend!(conn, |c| users::table.count().get_result(c))?)
}

/// Ids of the users holding any of `roles`, oldest account first.
pub fn ids_with_roles(conn: &mut DbConn, roles: &[&str]) -> AppResult<Vec<String>> {
    Ok(on_backend!(conn, |c| users::table
        .select(users::id)
        .filter(users::role.eq_any(roles))
        .order(users::created_at)
        .load(c))?)
}
