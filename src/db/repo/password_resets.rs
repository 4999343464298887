//! Password-reset links: one row per token, kept as its digest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::password_resets;
use crate::db::{DbConn, on_backend};
use crate::domain::UserId;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = password_resets, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct PasswordResetRow {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Stores a link, replacing the account's earlier ones: only the newest works.
pub fn replace(conn: &mut DbConn, row: &PasswordResetRow) -> AppResult<()> {
    forget_user(conn, row.user_id)?;
    on_backend!(conn, |c| diesel::insert_into(password_resets::table).values(row).execute(c))?;
    Ok(())
}

/// The account a link was issued for, live or not.
pub fn user_of(conn: &mut DbConn, digest: &str) -> AppResult<Option<UserId>> {
    Ok(on_backend!(conn, |c| password_resets::table
        .select(password_resets::user_id)
        .find(digest)
        .first(c)
        .optional())?)
}

/// Uses up a link: the account it resets, if it was live at `at`. Deleted
/// as it is read, so two uses racing each other cannot both succeed.
pub fn take(conn: &mut DbConn, digest: &str, at: NaiveDateTime) -> AppResult<Option<UserId>> {
    Ok(on_backend!(conn, |c| diesel::delete(
        password_resets::table
            .filter(password_resets::token_hash.eq(digest))
            .filter(password_resets::expires_at.gt(at))
    )
    .returning(password_resets::user_id)
    .get_result(c)
    .optional())?)
}

/// Forgets every link of an account (used, replaced, or the account deleted).
pub fn forget_user(conn: &mut DbConn, user: UserId) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::delete(
        password_resets::table.filter(password_resets::user_id.eq(user))
    )
    .execute(c))?)
}

/// Forgets links that expired before `before`: they reset nothing.
pub fn delete_expired(conn: &mut DbConn, before: NaiveDateTime) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::delete(
        password_resets::table.filter(password_resets::expires_at.lt(before))
    )
    .execute(c))?)
}
