//! Comment threads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::CommentRow;
use crate::db::schema::{comments, users};
use crate::db::{DbConn, on_backend};
use crate::domain::comment::Comment;
use crate::domain::{ArticleId, CommentId, CommentStatus};
use crate::error::AppResult;

/// Which level of a thread to list.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    /// The article's top-level comments.
    TopLevel(ArticleId),
    /// The replies to one comment.
    RepliesTo(CommentId),
}

/// One page of a thread level, oldest first.
pub fn page(
    conn: &mut DbConn,
    level: Level,
    statuses: &[CommentStatus],
    after: Option<(NaiveDateTime, CommentId)>,
    probe: i64,
) -> AppResult<Vec<Comment>> {
    let rows: Vec<(CommentRow, String)> = on_backend!(conn, |c| {
        let mut query = comments::table
            .inner_join(users::table)
            .select((CommentRow::as_select(), users::display_name))
            .filter(comments::status.eq_any(statuses))
            .into_boxed();
        query = match level {
            Level::TopLevel(article) => {
                query.filter(comments::article_id.eq(article)).filter(comments::parent_id.is_null())
            }
            Level::RepliesTo(parent) => query.filter(comments::parent_id.eq(parent)),
        };
        if let Some((at, id)) = after {
            query = query
                .filter(comments::created_at.ge(at))
                .filter(comments::created_at.gt(at).or(comments::created_at.eq(at).and(comments::id.gt(id))));
        }
        query.order((comments::created_at.asc(), comments::id.asc())).limit(probe).load(c)
    })?;
    Ok(rows.into_iter().map(|(row, author)| row.into_comment(author)).collect())
}

pub fn find(conn: &mut DbConn, id: CommentId) -> AppResult<Option<CommentRow>> {
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
pub fn set_body(conn: &mut DbConn, id: CommentId, body: &str, at: NaiveDateTime) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(comments::table.find(id))
        .set((comments::body.eq(Some(body)), comments::edited_at.eq(Some(at))))
        .execute(c))?;
    Ok(())
}

/// Moves a comment from status `from` to `to`; `false` if it was no longer at
/// `from` (a concurrent change). A deleted comment loses its text.
pub fn set_status(
    conn: &mut DbConn,
    id: CommentId,
    from: CommentStatus,
    to: CommentStatus,
) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| {
        let target = comments::table.find(id).filter(comments::status.eq(from));
        if to == CommentStatus::Deleted {
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
pub fn bump_reply_count(conn: &mut DbConn, id: CommentId, delta: i32) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(comments::table.find(id))
        .set(comments::reply_count.eq(comments::reply_count + delta))
        .execute(c))?;
    Ok(())
}

/// Comments by id, as their threads show them (with their authors' names).
pub fn many(conn: &mut DbConn, ids: &[CommentId]) -> AppResult<Vec<Comment>> {
    let rows: Vec<(CommentRow, String)> = on_backend!(conn, |c| comments::table
        .inner_join(users::table)
        .select((CommentRow::as_select(), users::display_name))
        .filter(comments::id.eq_any(ids))
        .load(c))?;
    Ok(rows.into_iter().map(|(row, author)| row.into_comment(author)).collect())
}
