//! Comment threads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::CommentRow;
use crate::db::schema::{comments, users};
use crate::db::{DbConn, on_backend};
use crate::error::AppResult;

/// Which level of a thread to list.
#[derive(Debug, Clone)]
pub enum Level {
    /// The article's top-level comments.
    TopLevel { article_id: String },
    /// The replies to one comment.
    RepliesTo { parent_id: String },
}

/// One page of a thread level, oldest first, with each author's display name.
pub fn page(
    conn: &mut DbConn,
    level: &Level,
    statuses: &[&'static str],
    after: Option<(NaiveDateTime, String)>,
    probe: i64,
) -> AppResult<Vec<(CommentRow, String)>> {
    Ok(on_backend!(conn, |c| {
        let mut query = comments::table
            .inner_join(users::table)
            .select((CommentRow::as_select(), users::display_name))
            .filter(comments::status.eq_any(statuses))
            .into_boxed();
        query = match level {
            Level::TopLevel { article_id } => query
                .filter(comments::article_id.eq(article_id.clone()))
                .filter(comments::parent_id.is_null()),
            Level::RepliesTo { parent_id } => query.filter(comments::parent_id.eq(parent_id.clone())),
        };
        if let Some((at, id)) = after {
            query = query
                .filter(comments::created_at.ge(at))
                .filter(comments::created_at.gt(at).or(comments::created_at.eq(at).and(comments::id.gt(id))));
        }
        query.order((comments::created_at.asc(), comments::id.asc())).limit(probe).load(c)
    })?)
}

pub fn find(conn: &mut DbConn, id: &str) -> AppResult<Option<CommentRow>> {
    Ok(on_backend!(conn, |c| comments::table.select(CommentRow::as_select()).find(id).first(c).optional())?)
}

/// Inserts many comments at once (the seeder).
pub fn insert_many(conn: &mut DbConn, rows: &[CommentRow]) -> AppResult<()> {
    on_backend!(conn, |c| {
        for chunk in rows.chunks(1_000) {
            diesel::insert_into(comments::table).values(chunk).execute(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

pub fn insert(conn: &mut DbConn, row: &CommentRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(comments::table).values(row).execute(c))?;
    Ok(())
}

/// Changes a comment's text.
pub fn set_body(conn: &mut DbConn, id: &str, body: &str, at: NaiveDateTime) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(comments::table.find(id))
        .set((comments::body.eq(Some(body)), comments::edited_at.eq(Some(at))))
        .execute(c))?;
    Ok(())
}

/// Moves a comment from status `from` to `to`; `false` if it was no longer at
/// `from` (a concurrent change). A deleted comment loses its text.
pub fn set_status(conn: &mut DbConn, id: &str, from: &str, to: &str) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| {
        let target = comments::table.find(id).filter(comments::status.eq(from));
        if to == "deleted" {
            diesel::update(target)
                .set((comments::status.eq(to), comments::body.eq(None::<String>)))
                .execute(c)
        } else {
            diesel::update(target).set(comments::status.eq(to)).execute(c)
        }
    })?;
    Ok(updated == 1)
}

/// Adds `delta` to a comment's public reply count, atomically.
pub fn bump_reply_count(conn: &mut DbConn, id: &str, delta: i32) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(comments::table.find(id))
        .set(comments::reply_count.eq(comments::reply_count + delta))
        .execute(c))?;
    Ok(())
}

/// A comment with its author's display name.
pub fn find_with_author(conn: &mut DbConn, id: &str) -> AppResult<Option<(CommentRow, String)>> {
    Ok(on_backend!(conn, |c| comments::table
        .inner_join(users::table)
        .select((CommentRow::as_select(), users::display_name))
        .filter(comments::id.eq(id))
        .first(c)
        .optional())?)
}

/// Comments by id, with their authors' display names.
pub fn many_with_author(conn: &mut DbConn, ids: &[String]) -> AppResult<Vec<(CommentRow, String)>> {
    Ok(on_backend!(conn, |c| comments::table
        .inner_join(users::table)
        .select((CommentRow::as_select(), users::display_name))
        .filter(comments::id.eq_any(ids))
        .load(c))?)
}
