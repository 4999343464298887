use diesel::prelude::*;

use crate::db::models::UserRow;
use crate::db::schema::users;
use crate::db::{DbConn, on_backend};
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

/// What posting a comment needs of its author: their name, and whether
/// they are trusted to skip pre-moderation.
pub fn commenter(conn: &mut DbConn, id: UserId) -> AppResult<Option<(String, bool)>> {
    Ok(on_backend!(conn, |c| users::table
        .select((users::display_name, users::trusted))
        .find(id)
        .first(c)
        .optional())?)
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
    pub updated_at: Option<chrono::NaiveDateTime>,
}

pub fn update(conn: &mut DbConn, id: UserId, changes: &UserChanges) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(users::table.find(id)).set(changes).execute(c))?;
    Ok(())
}

/// Users in id (creation) order, after `after`.
pub fn page(conn: &mut DbConn, after: Option<UserId>, probe: i64) -> AppResult<Vec<UserRow>> {
    Ok(on_backend!(conn, |c| {
        let mut query = users::table.select(UserRow::as_select()).into_boxed();
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
