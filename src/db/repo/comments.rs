//! Comment threads.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use crate::db::models::CommentRow;
use crate::db::schema::{comments, users};
use crate::db::sql::{Bind, Statement};
use crate::db::{DbConn, on_backend};
use crate::domain::comment::Comment;
use crate::domain::{ArticleId, CommentId, CommentStatus, UserId};
use crate::error::AppResult;

/// Which level of a thread to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// Every comment `author` wrote, in any state, oldest first (their export,
/// and what deleting their account turns into tombstones).
pub fn by_author(conn: &mut DbConn, author: UserId) -> AppResult<Vec<CommentRow>> {
    Ok(on_backend!(conn, |c| comments::table
        .select(CommentRow::as_select())
        .filter(comments::author_id.eq(author))
        .order((comments::created_at.asc(), comments::id.asc()))
        .load(c))?)
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

/// Erases a comment's text, leaving its status (a held or hidden comment
/// whose author deleted their account).
pub fn erase_body(conn: &mut DbConn, id: CommentId) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(comments::table.find(id))
        .set(comments::body.eq(None::<String>))
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

/// A comment with its author's name and its place in its level, as the
/// windowed query reads it.
#[derive(QueryableByName)]
struct Placed {
    #[diesel(sql_type = Text)]
    id: CommentId,
    #[diesel(sql_type = Text)]
    article_id: ArticleId,
    #[diesel(sql_type = Text)]
    author_id: crate::domain::UserId,
    #[diesel(sql_type = Nullable<Text>)]
    parent_id: Option<CommentId>,
    #[diesel(sql_type = Nullable<Text>)]
    body: Option<String>,
    #[diesel(sql_type = Text)]
    status: CommentStatus,
    #[diesel(sql_type = Integer)]
    reply_count: i32,
    #[diesel(sql_type = Timestamp)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    edited_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Text)]
    display_name: String,
    #[diesel(sql_type = BigInt)]
    #[expect(dead_code, reason = "selected to order by; the rows come back in that order")]
    position: i64,
}

/// The first `probe` comments of each of `levels`, oldest first, each with
/// its level: one statement per kind of level (top level, replies), however
/// many levels. What a GraphQL page of articles with their threads reads.
pub fn first_of_levels(
    conn: &mut DbConn,
    levels: &[Level],
    statuses: &[CommentStatus],
    probe: i64,
) -> AppResult<Vec<(Level, Comment)>> {
    let articles: Vec<ArticleId> =
        levels.iter().filter_map(|l| if let Level::TopLevel(a) = l { Some(*a) } else { None }).collect();
    let parents: Vec<CommentId> =
        levels.iter().filter_map(|l| if let Level::RepliesTo(c) = l { Some(*c) } else { None }).collect();
    let mut found = Vec::new();
    if !articles.is_empty() {
        let mut st = Statement::new(conn);
        let ids = st.list(articles.into_iter().map(Bind::Article));
        found.extend(windowed(
            conn,
            st,
            "c.article_id",
            &format!("c.article_id IN ({ids}) AND c.parent_id IS NULL"),
            statuses,
            probe,
        )?);
    }
    if !parents.is_empty() {
        let mut st = Statement::new(conn);
        let ids = st.list(parents.into_iter().map(Bind::Comment));
        found.extend(windowed(conn, st, "c.parent_id", &format!("c.parent_id IN ({ids})"), statuses, probe)?);
    }
    Ok(found)
}

fn windowed(
    conn: &mut DbConn,
    mut st: Statement,
    partition: &str,
    condition: &str,
    statuses: &[CommentStatus],
    probe: i64,
) -> AppResult<Vec<(Level, Comment)>> {
    let statuses = st.list(statuses.iter().copied().map(Bind::CommentStatus));
    let limit = st.push(Bind::Int(probe));
    st.sql = format!(
        "SELECT id, article_id, author_id, parent_id, body, status, reply_count, created_at, edited_at, \
                display_name, position FROM ( \
           SELECT c.id, c.article_id, c.author_id, c.parent_id, c.body, c.status, c.reply_count, \
                  c.created_at, c.edited_at, u.display_name, \
                  ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY c.created_at, c.id) AS position \
           FROM comments c JOIN users u ON u.id = c.author_id \
           WHERE {condition} AND c.status IN ({statuses}) \
         ) placed WHERE position <= {limit} ORDER BY position"
    );
    let rows: Vec<Placed> = st.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let level = match p.parent_id {
                Some(parent) => Level::RepliesTo(parent),
                None => Level::TopLevel(p.article_id),
            };
            let row = CommentRow {
                id: p.id,
                article_id: p.article_id,
                author_id: p.author_id,
                parent_id: p.parent_id,
                body: p.body,
                status: p.status,
                reply_count: p.reply_count,
                created_at: p.created_at,
                edited_at: p.edited_at,
            };
            (level, row.into_comment(p.display_name))
        })
        .collect())
}
