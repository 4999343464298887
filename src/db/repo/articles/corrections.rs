//! Corrections and updates under published stories: appended, never
//! changed, and mirrored into the article's row for one-row reads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{article_corrections, articles};
use crate::db::{DbConn, on_backend};
use crate::domain::article::ArticleStatus;
use crate::domain::correction::{Correction, CorrectionKind};
use crate::domain::time::from_db;
use crate::domain::{ArticleId, UserId};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = article_corrections, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CorrectionRow {
    pub id: String,
    pub article_id: ArticleId,
    pub kind: CorrectionKind,
    pub body: String,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
}

impl CorrectionRow {
    fn into_correction(self) -> AppResult<Correction> {
        Ok(Correction {
            id: self.id.parse().map_err(AppError::internal)?,
            kind: self.kind,
            text: self.body,
            created_at: from_db(self.created_at),
        })
    }
}

/// Takes a published article's row lock and gives it a new version, so
/// that notes sent at once are kept one after another. `false` when the
/// article is not published (any more).
pub fn lock_published(conn: &mut DbConn, id: ArticleId) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| diesel::update(
        articles::table.find(id).filter(articles::status.eq(ArticleStatus::Published))
    )
    .set(articles::version.eq(articles::version + 1))
    .execute(c))?;
    Ok(updated == 1)
}

/// Marks an article as changed by a note made at `at`.
pub fn mark_updated(conn: &mut DbConn, id: ArticleId, by: UserId, at: NaiveDateTime) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(articles::table.find(id))
        .set((articles::updated_at.eq(at), articles::updated_by.eq(by)))
        .execute(c))?;
    Ok(())
}

/// How many notes an article has.
pub fn count(conn: &mut DbConn, id: ArticleId) -> AppResult<i64> {
    Ok(on_backend!(conn, |c| article_corrections::table
        .filter(article_corrections::article_id.eq(id))
        .count()
        .get_result(c))?)
}

/// Appends a note and rewrites the article's copy of its notes.
pub fn append(conn: &mut DbConn, row: &CorrectionRow) -> AppResult<Correction> {
    on_backend!(conn, |c| diesel::insert_into(article_corrections::table).values(row).execute(c))?;
    let rows: Vec<CorrectionRow> = on_backend!(conn, |c| article_corrections::table
        .select(CorrectionRow::as_select())
        .filter(article_corrections::article_id.eq(row.article_id))
        .order((article_corrections::created_at, article_corrections::id))
        .load(c))?;
    let notes = rows.into_iter().map(CorrectionRow::into_correction).collect::<AppResult<Vec<_>>>()?;
    let json = serde_json::to_string(&notes).map_err(AppError::internal)?;
    on_backend!(conn, |c| diesel::update(articles::table.find(row.article_id))
        .set(articles::corrections_json.eq(&json))
        .execute(c))?;
    notes
        .into_iter()
        .find(|note| note.id.to_string() == row.id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a note vanished as it was written")))
}
