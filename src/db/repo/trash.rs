//! The trash: deleted articles kept whole, as one JSON snapshot each, for
//! the retention window. Nothing that reads articles looks here; restoring
//! inserts the snapshot back.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::models::{ArticleAuthorRow, ArticleRow, ArticleTagRow, CommentRow, RevisionRow};
use crate::db::repo::articles::corrections::CorrectionRow;
use crate::db::schema::{
    article_authors, article_corrections, article_media, article_slugs, article_tags, article_trash,
    articles, comments, revisions, users,
};
use crate::db::{DbConn, on_backend};
use crate::domain::account::{Erasure, erasure};
use crate::domain::article::Byline;
use crate::domain::time::from_db;
use crate::domain::trash::TrashedArticle;
use crate::domain::{ArticleId, ArticleStatus, CommentStatus, MediaId, UserId};
use crate::error::{AppError, AppResult};

/// An article and every row that belongs to it, as deleting found them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub article: ArticleRow,
    pub tags: Vec<ArticleTagRow>,
    pub authors: Vec<ArticleAuthorRow>,
    pub revisions: Vec<RevisionRow>,
    pub comments: Vec<CommentRow>,
    pub corrections: Vec<CorrectionRow>,
    pub media: Vec<MediaUseRow>,
    pub old_slugs: Vec<OldSlugRow>,
}

impl Snapshot {
    /// Erases the comments of `author` (their account is deleted) as the
    /// live ones are erased, counts included; whether any changed.
    pub fn erase_comments_of(&mut self, author: UserId) -> bool {
        let mut changed = false;
        for comment in self.comments.iter_mut().filter(|c| c.author_id == author) {
            match erasure(comment.status) {
                Erasure::Tombstone => {
                    // Both public: the parent's reply count stays; the article's visible count drops.
                    comment.status = CommentStatus::Deleted;
                    self.article.comment_count -= 1;
                }
                Erasure::Blank => {}
                Erasure::Nothing => continue,
            }
            comment.body = None;
            changed = true;
        }
        changed
    }
}

/// One image an article uses.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = article_media, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct MediaUseRow {
    pub article_id: ArticleId,
    pub media_id: MediaId,
}

/// A slug an article had before its current one.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = article_slugs, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct OldSlugRow {
    pub slug: String,
    pub article_id: ArticleId,
    pub retired_at: NaiveDateTime,
}

/// A trashed article as the trash lists it.
#[derive(Debug, Clone, Queryable)]
pub struct TrashRow {
    pub article_id: ArticleId,
    pub slug: String,
    pub title: String,
    pub status: ArticleStatus,
    pub version: i64,
    pub comment_count: i32,
    pub deleted_by: UserId,
    pub deleted_by_name: String,
    pub deleted_at: NaiveDateTime,
}

impl TrashRow {
    /// The row as the trash lists it, purged `retention` after its deletion.
    pub fn into_trashed(self, retention: chrono::Duration) -> TrashedArticle {
        let deleted_at = from_db(self.deleted_at);
        TrashedArticle {
            id: self.article_id,
            slug: self.slug,
            title: self.title,
            status: self.status,
            version: self.version,
            comment_count: self.comment_count,
            deleted_by: Byline { id: self.deleted_by, display_name: self.deleted_by_name },
            deleted_at,
            purge_at: deleted_at + retention,
        }
    }
}

/// Everything an article is, read in the transaction that deletes it.
pub fn snapshot(conn: &mut DbConn, id: ArticleId) -> AppResult<Snapshot> {
    Ok(on_backend!(conn, |c| {
        let article = articles::table.find(id).select(ArticleRow::as_select()).first(c)?;
        let tags = article_tags::table
            .filter(article_tags::article_id.eq(id))
            .select(ArticleTagRow::as_select())
            .load(c)?;
        let authors = article_authors::table
            .filter(article_authors::article_id.eq(id))
            .select(ArticleAuthorRow::as_select())
            .load(c)?;
        let revisions = revisions::table
            .filter(revisions::article_id.eq(id))
            .order(revisions::version.asc())
            .select(RevisionRow::as_select())
            .load(c)?;
        // Parents before their replies, so the rows go back in this order.
        let comments = comments::table
            .filter(comments::article_id.eq(id))
            .order((comments::created_at.asc(), comments::id.asc()))
            .select(CommentRow::as_select())
            .load(c)?;
        let corrections = article_corrections::table
            .filter(article_corrections::article_id.eq(id))
            .select(CorrectionRow::as_select())
            .load(c)?;
        let media = article_media::table
            .filter(article_media::article_id.eq(id))
            .select(MediaUseRow::as_select())
            .load(c)?;
        let old_slugs = article_slugs::table
            .filter(article_slugs::article_id.eq(id))
            .select(OldSlugRow::as_select())
            .load(c)?;
        Ok::<_, diesel::result::Error>(Snapshot {
            article,
            tags,
            authors,
            revisions,
            comments,
            corrections,
            media,
            old_slugs,
        })
    })?)
}

/// Keeps a deleted article's snapshot.
pub fn put(conn: &mut DbConn, snapshot: &Snapshot, by: UserId, at: NaiveDateTime) -> AppResult<()> {
    let json = serde_json::to_string(snapshot).map_err(AppError::internal)?;
    let a = &snapshot.article;
    on_backend!(conn, |c| diesel::insert_into(article_trash::table)
        .values((
            article_trash::article_id.eq(a.id),
            article_trash::slug.eq(&a.slug),
            article_trash::title.eq(&a.title),
            article_trash::status.eq(a.status),
            article_trash::version.eq(a.version),
            article_trash::comment_count.eq(a.comment_count),
            article_trash::deleted_by.eq(by),
            article_trash::deleted_at.eq(at),
            article_trash::snapshot.eq(&json),
        ))
        .execute(c))?;
    Ok(())
}

/// Articles deleted since `since`, most recently deleted first, after the
/// `(deleted_at, id)` position.
pub fn page(
    conn: &mut DbConn,
    since: NaiveDateTime,
    after: Option<(NaiveDateTime, ArticleId)>,
    limit: i64,
) -> AppResult<Vec<TrashRow>> {
    Ok(on_backend!(conn, |c| {
        let mut query = article_trash::table
            .inner_join(users::table)
            .filter(article_trash::deleted_at.gt(since))
            .into_boxed();
        if let Some((at, id)) = after {
            query = query.filter(
                article_trash::deleted_at
                    .lt(at)
                    .or(article_trash::deleted_at.eq(at).and(article_trash::article_id.lt(id))),
            );
        }
        query
            .order((article_trash::deleted_at.desc(), article_trash::article_id.desc()))
            .limit(limit)
            .select((
                article_trash::article_id,
                article_trash::slug,
                article_trash::title,
                article_trash::status,
                article_trash::version,
                article_trash::comment_count,
                article_trash::deleted_by,
                users::display_name,
                article_trash::deleted_at,
            ))
            .load(c)
    })?)
}

/// Takes an article deleted since `since` out of the trash: its snapshot,
/// or `None` if it is not there (never deleted, restored, or past the window).
pub fn take(conn: &mut DbConn, id: ArticleId, since: NaiveDateTime) -> AppResult<Option<Snapshot>> {
    let json: Option<String> = on_backend!(conn, |c| diesel::delete(
        article_trash::table
            .filter(article_trash::article_id.eq(id))
            .filter(article_trash::deleted_at.gt(since))
    )
    .returning(article_trash::snapshot)
    .get_result(c)
    .optional())?;
    json.map(|json| serde_json::from_str(&json).map_err(AppError::internal)).transpose()
}

/// Puts a snapshot's rows back, parents first.
pub fn reinsert(conn: &mut DbConn, s: &Snapshot) -> AppResult<()> {
    on_backend!(conn, |c| {
        diesel::insert_into(articles::table).values(&s.article).execute(c)?;
        diesel::insert_into(article_tags::table).values(&s.tags).execute(c)?;
        diesel::insert_into(article_authors::table).values(&s.authors).execute(c)?;
        // Chunks keep each statement under either engine's limit on bound parameters.
        for chunk in s.revisions.chunks(1_000) {
            diesel::insert_into(revisions::table).values(chunk).execute(c)?;
        }
        for chunk in s.comments.chunks(1_000) {
            diesel::insert_into(comments::table).values(chunk).execute(c)?;
        }
        diesel::insert_into(article_corrections::table).values(&s.corrections).execute(c)?;
        diesel::insert_into(article_media::table).values(&s.media).execute(c)?;
        diesel::insert_into(article_slugs::table).values(&s.old_slugs).execute(c)
    })?;
    Ok(())
}

/// Erases the comments of `author` (their account is deleted) in every
/// kept snapshot, so that no restore brings their text back.
pub fn erase_comments_of(conn: &mut DbConn, author: UserId) -> AppResult<()> {
    // Only snapshots naming the author can hold their comments.
    let naming = format!("%{author}%");
    let kept: Vec<(ArticleId, String)> = on_backend!(conn, |c| article_trash::table
        .select((article_trash::article_id, article_trash::snapshot))
        .filter(article_trash::snapshot.like(&naming))
        .load(c))?;
    for (id, json) in kept {
        let mut snapshot: Snapshot = serde_json::from_str(&json).map_err(AppError::internal)?;
        if !snapshot.erase_comments_of(author) {
            continue;
        }
        let json = serde_json::to_string(&snapshot).map_err(AppError::internal)?;
        let count = snapshot.article.comment_count;
        on_backend!(conn, |c| diesel::update(article_trash::table.find(id))
            .set((article_trash::snapshot.eq(&json), article_trash::comment_count.eq(count)))
            .execute(c))?;
    }
    Ok(())
}

/// Forgets every article deleted at or before `before`.
pub fn purge(conn: &mut DbConn, before: NaiveDateTime) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::delete(
        article_trash::table.filter(article_trash::deleted_at.le(before))
    )
    .execute(c))?)
}
