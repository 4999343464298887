//! Earlier versions of articles' text.

use diesel::prelude::*;

use crate::db::models::RevisionRow;
use crate::db::schema::{revisions, users};
use crate::db::{DbConn, on_backend};
use crate::domain::ArticleId;
use crate::domain::article::Revision;
use crate::error::AppResult;

pub fn insert_revision(conn: &mut DbConn, row: &RevisionRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(revisions::table).values(row).execute(c))?;
    Ok(())
}

/// Every earlier version of an article, newest first, with the editor's name.
pub fn revisions_of(conn: &mut DbConn, article: ArticleId) -> AppResult<Vec<Revision>> {
    let rows: Vec<(RevisionRow, String)> = on_backend!(conn, |c| revisions::table
        .inner_join(users::table)
        .filter(revisions::article_id.eq(article))
        .select((RevisionRow::as_select(), users::display_name))
        .order(revisions::version.desc())
        .load(c))?;
    Ok(rows.into_iter().map(|(row, editor)| row.into_revision(editor)).collect())
}

/// Every earlier version of several articles, each article's newest first.
pub fn revisions_of_many(conn: &mut DbConn, articles: &[ArticleId]) -> AppResult<Vec<(ArticleId, Revision)>> {
    if articles.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(RevisionRow, String)> = on_backend!(conn, |c| revisions::table
        .inner_join(users::table)
        .filter(revisions::article_id.eq_any(articles))
        .select((RevisionRow::as_select(), users::display_name))
        .order((revisions::article_id, revisions::version.desc()))
        .load(c))?;
    Ok(rows.into_iter().map(|(row, editor)| (row.article_id, row.into_revision(editor))).collect())
}

/// The text an article had at `version`, if a revision kept it.
pub fn revision_at(conn: &mut DbConn, article: ArticleId, version: i64) -> AppResult<Option<RevisionRow>> {
    Ok(on_backend!(conn, |c| revisions::table
        .filter(revisions::article_id.eq(article))
        .filter(revisions::version.eq(version))
        .select(RevisionRow::as_select())
        .first(c)
        .optional())?)
}
