//! Readers' reports of comments, and the moderation queue they feed.

use chrono::NaiveDateTime;
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::db::models::{CommentRow, ReportRow};
use crate::db::schema::{articles, comment_reports, comments, users};
use crate::db::{DbConn, on_backend};
use crate::domain::moderation::{QueuedArticle, ReportReason};
use crate::domain::{ArticleId, CommentId, CommentStatus, UserId};
use crate::error::{AppError, AppResult};

/// Files a report. A second one by the same reader on the same comment is
/// a conflict (the unique key settles a race).
pub fn insert(conn: &mut DbConn, row: &ReportRow) -> AppResult<()> {
    let inserted = on_backend!(conn, |c| diesel::insert_into(comment_reports::table).values(row).execute(c));
    match inserted {
        Ok(_) => Ok(()),
        Err(e) => match AppError::from(e) {
            AppError::Conflict { .. } => Err(already_reported()),
            other => Err(other),
        },
    }
}

/// Whether `reporter` has reported `comment` before (open or closed).
pub fn has_reported(conn: &mut DbConn, comment: CommentId, reporter: UserId) -> AppResult<bool> {
    Ok(on_backend!(conn, |c| diesel::select(exists(
        comment_reports::table
            .filter(comment_reports::comment_id.eq(comment))
            .filter(comment_reports::reporter_id.eq(reporter))
    ))
    .get_result(c))?)
}

/// Every report `reporter` filed, oldest first.
pub fn by_reporter(conn: &mut DbConn, reporter: UserId) -> AppResult<Vec<ReportRow>> {
    Ok(on_backend!(conn, |c| comment_reports::table
        .select(ReportRow::as_select())
        .filter(comment_reports::reporter_id.eq(reporter))
        .order((comment_reports::created_at.asc(), comment_reports::id.asc()))
        .load(c))?)
}

/// Erases the notes `reporter` wrote on their reports (their account is
/// deleted); the reports themselves still count.
pub fn erase_notes(conn: &mut DbConn, reporter: UserId) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::update(
        comment_reports::table.filter(comment_reports::reporter_id.eq(reporter))
    )
    .set(comment_reports::note.eq(None::<String>))
    .execute(c))?)
}

/// The refusal of a second report by the same reader.
pub fn already_reported() -> AppError {
    AppError::conflict("you have already reported this comment")
}

/// Closes every open report of `comment` (approved: dismissed; hidden:
/// upheld); how many were open.
pub fn close_open(conn: &mut DbConn, comment: CommentId, at: NaiveDateTime) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::update(
        comment_reports::table
            .filter(comment_reports::comment_id.eq(comment))
            .filter(comment_reports::closed_at.is_null())
    )
    .set(comment_reports::closed_at.eq(Some(at)))
    .execute(c))?)
}

/// A queued comment as read: the comment, its author's name, its article.
pub type QueuedRow = (CommentRow, String, QueuedArticle);

/// One page of the moderation queue, oldest comment first: held comments,
/// and visible ones with open reports, on every article.
pub fn queue_page(
    conn: &mut DbConn,
    after: Option<(NaiveDateTime, CommentId)>,
    probe: i64,
) -> AppResult<Vec<QueuedRow>> {
    let rows: Vec<(CommentRow, String, ArticleId, String, String)> = on_backend!(conn, |c| {
        let open_reports = comment_reports::table
            .filter(comment_reports::comment_id.eq(comments::id))
            .filter(comment_reports::closed_at.is_null());
        let mut query = comments::table
            .inner_join(users::table)
            .inner_join(articles::table)
            .select((
                CommentRow::as_select(),
                users::display_name,
                articles::id,
                articles::slug,
                articles::title,
            ))
            .filter(
                comments::status
                    .eq(CommentStatus::Held)
                    .or(comments::status.eq(CommentStatus::Visible).and(exists(open_reports))),
            )
            .into_boxed();
        if let Some((at, id)) = after {
            query = query
                .filter(comments::created_at.ge(at))
                .filter(comments::created_at.gt(at).or(comments::created_at.eq(at).and(comments::id.gt(id))));
        }
        query.order((comments::created_at.asc(), comments::id.asc())).limit(probe).load(c)
    })?;
    Ok(rows
        .into_iter()
        .map(|(row, author, id, slug, title)| (row, author, QueuedArticle { id, slug, title }))
        .collect())
}

/// The open reports' reasons of each of `comments`, one row per report.
pub fn open_reasons(conn: &mut DbConn, comments: &[CommentId]) -> AppResult<Vec<(CommentId, ReportReason)>> {
    if comments.is_empty() {
        return Ok(Vec::new());
    }
    Ok(on_backend!(conn, |c| comment_reports::table
        .select((comment_reports::comment_id, comment_reports::reason))
        .filter(comment_reports::comment_id.eq_any(comments))
        .filter(comment_reports::closed_at.is_null())
        .load(c))?)
}
