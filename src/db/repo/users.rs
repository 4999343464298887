use diesel::prelude::*;

use crate::db::models::UserRow;
use crate::db::schema::users;
use crate::db::{DbConn, on_backend};
use crate::domain::account::{DELETED_NAME, deleted_email};
use crate::domain::{Email, Role, UserId};
use crate::error::AppResult;

pub fn insert(conn: &mut DbConn, row: &UserRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(users::table).values(row).execute(c))?;
    Ok(())
}

pub fn by_email(conn: &mut DbConn, email: &Email) -> AppResult<Option<UserRow>> {
    Ok(on_backend!(conn, |c| users::table
        .select(UserRow::as_select())
        .filter(users::email.eq(email))
        .first(c)
        .optional())?)
}

/// The account, read and locked until the transaction ends: what changes
/// an account's sign-ins (signing in, refreshing, signing out, disabling,
/// a new role) takes its turn on that account, so none is lost in a race.
/// SQLite write transactions are one at a time already.
pub fn lock(conn: &mut DbConn, id: UserId) -> AppResult<Option<UserRow>> {
    Ok(match conn.engine() {
        crate::db::Engine::Postgres(c) => {
            // FOR NO KEY UPDATE, not FOR UPDATE: rows that refer to the
            // account (an article's editor, a byline) are written meanwhile
            // without waiting, and without a deadlock against a rename.
            users::table.select(UserRow::as_select()).find(id).for_no_key_update().first(c).optional()?
        }
        crate::db::Engine::Sqlite(c) => {
            users::table.select(UserRow::as_select()).find(id).first(c).optional()?
        }
    })
}

pub fn by_id(conn: &mut DbConn, id: UserId) -> AppResult<Option<UserRow>> {
    Ok(on_backend!(conn, |c| users::table.select(UserRow::as_select()).find(id).first(c).optional())?)
}

/// The name a user signs their comments and stories with.
pub fn display_name(conn: &mut DbConn, id: UserId) -> AppResult<Option<String>> {
    Ok(on_backend!(conn, |c| users::table.select(users::display_name).find(id).first(c).optional())?)
}

/// What posting a comment or a report needs of its author: their name, and
/// whether they are trusted to skip pre-moderation; `None` unless the
/// account stands (not disabled, not deleted). On PostgreSQL the row is
/// share-locked until the transaction ends, so an account being deleted
/// meanwhile is waited for and then refused: nothing it writes outlives
/// its erasure.
pub fn commenter(conn: &mut DbConn, id: UserId) -> AppResult<Option<(String, bool)>> {
    let standing = users::table
        .select((users::display_name, users::trusted))
        .find(id)
        .filter(users::disabled.eq(false))
        .filter(users::deleted_at.is_null());
    Ok(match conn.engine() {
        crate::db::Engine::Postgres(c) => standing.for_key_share().first(c).optional()?,
        crate::db::Engine::Sqlite(c) => standing.first(c).optional()?,
    })
}

/// The account, locked against every other lock on its row until the
/// transaction ends (deleting it): comments and reports being written by
/// it wait, then see it gone.
pub fn lock_to_erase(conn: &mut DbConn, id: UserId) -> AppResult<Option<UserRow>> {
    Ok(match conn.engine() {
        crate::db::Engine::Postgres(c) => {
            users::table.select(UserRow::as_select()).find(id).for_update().first(c).optional()?
        }
        crate::db::Engine::Sqlite(c) => {
            users::table.select(UserRow::as_select()).find(id).first(c).optional()?
        }
    })
}

/// Ids of the users holding any of `roles`, oldest account first.
pub fn ids_with_roles(conn: &mut DbConn, roles: &[Role]) -> AppResult<Vec<UserId>> {
    Ok(on_backend!(conn, |c| users::table
        .select(users::id)
        .filter(users::role.eq_any(roles))
        .order(users::created_at)
        .load(c))?)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub trusted: Option<bool>,
    pub password_hash: Option<String>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

pub fn update(conn: &mut DbConn, id: UserId, changes: &UserChanges) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(users::table.find(id)).set(changes).execute(c))?;
    Ok(())
}

/// Erases a deleted account: its row stays (its comments' tombstones and the
/// audit log refer to it) with nothing personal left, and it cannot sign in.
pub fn erase(conn: &mut DbConn, id: UserId, unusable_hash: &str, at: chrono::NaiveDateTime) -> AppResult<()> {
    let email = Email::stored(&deleted_email(id));
    on_backend!(conn, |c| diesel::update(users::table.find(id))
        .set((
            users::email.eq(&email),
            users::display_name.eq(DELETED_NAME),
            users::bio.eq(""),
            // The hash of a random secret thrown away: no password matches it, and
            // trying one takes as long as for any account.
            users::password_hash.eq(unusable_hash),
            users::role.eq(Role::Reader),
            users::disabled.eq(true),
            users::trusted.eq(false),
            users::updated_at.eq(at),
            users::deleted_at.eq(Some(at)),
        ))
        .execute(c))?;
    Ok(())
}

/// Accounts in id (creation) order, after `after`; deleted ones are gone.
pub fn page(conn: &mut DbConn, after: Option<UserId>, probe: i64) -> AppResult<Vec<UserRow>> {
    Ok(on_backend!(conn, |c| {
        let mut query =
            users::table.select(UserRow::as_select()).filter(users::deleted_at.is_null()).into_boxed();
        if let Some(after) = after {
            query = query.filter(users::id.gt(after));
        }
        query.order(users::id).limit(probe).load(c)
    })?)
}

/// Users by id, for validating bylines.
pub fn by_ids(conn: &mut DbConn, ids: &[UserId]) -> AppResult<Vec<UserRow>> {
    Ok(on_backend!(conn, |c| users::table
        .select(UserRow::as_select())
        .filter(users::id.eq_any(ids))
        .load(c))?)
}
