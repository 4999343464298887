//! Earlier versions of an article's text: compared with another version,
//! and restored as a new edit (the text replaced is kept as a revision in
//! turn, so a restore is itself undone the same way).

use super::ArticlePatch;
use super::read::find;
use crate::db::DbConn;
use crate::db::repo::articles as repo;
use crate::domain::article::{Article, ArticleKey};
use crate::domain::audit::AuditAction;
use crate::domain::diff::{Text, TextChanges, compare};
use crate::domain::text::{Markdown, Summary, Title};
use crate::domain::time::now;
use crate::domain::{Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::Services;

/// An article's text at one version.
struct Version {
    version: i64,
    title: String,
    summary: String,
    body: String,
}

impl Version {
    fn text(&self) -> Text<'_> {
        Text { version: self.version, title: &self.title, summary: &self.summary, body: &self.body }
    }
}

impl Services {
    /// What changed from the text at `version` to the text at `against`
    /// (the current text when `None`). For the article's authors and editors.
    pub async fn revision_diff(
        &self,
        viewer: Viewer,
        key: impl Into<ArticleKey>,
        version: i64,
        against: Option<i64>,
    ) -> AppResult<TextChanges> {
        policy::require(viewer, crate::domain::Role::Author)?;
        check_version(version, "version")?;
        against.map(|v| check_version(v, "against")).transpose()?;
        let key = key.into();
        let (from, to) = self
            .db()
            .run(move |conn| {
                let article = find(conn, &key)?;
                policy::can_see_revisions(viewer, &article, now())?;
                let from = text_at(conn, &article, version)?;
                let to = text_at(conn, &article, against.unwrap_or(article.version))?;
                Ok((from, to))
            })
            .await?;
        // Compared off the async workers and without a connection held:
        // long bodies take a while (the comparison gives up refining after
        // its deadline, which still yields a correct, coarser diff).
        tokio::task::spawn_blocking(move || compare(from.text(), to.text())).await.map_err(AppError::internal)
    }

    /// Makes the text at `version` current again, as an edit of the article
    /// at `expected_version` (its current one when `None`): who may edit it
    /// may restore. Title, standfirst and body come back; nothing else moves.
    pub async fn restore_revision(
        &self,
        viewer: Viewer,
        key: impl Into<ArticleKey>,
        version: i64,
        expected_version: Option<i64>,
    ) -> AppResult<Article> {
        policy::require(viewer, crate::domain::Role::Author)?;
        check_version(version, "version")?;
        let key = key.into();
        let (id, current, old) = self
            .db()
            .run(move |conn| {
                let article = find(conn, &key)?;
                policy::can_edit(viewer, &article, now())?;
                let old = text_at(conn, &article, version)?;
                Ok((article.id, article.version, old))
            })
            .await?;
        // Stored text was valid when written; parsing it again cannot fail
        // unless the limits were narrowed since, which is then said plainly.
        let narrowed = |e| AppError::conflict(format!("the text of version {version} no longer fits: {e}"));
        let patch = ArticlePatch {
            title: Some(Title::parse(&old.title, "title").map_err(narrowed)?),
            summary: Some(Summary::parse(&old.summary, "summary").map_err(narrowed)?),
            body: Some(Markdown::parse(&old.body, "body").map_err(narrowed)?),
            ..ArticlePatch::default()
        };
        let expected = expected_version.unwrap_or(current);
        self.edit_article(viewer, id.into(), expected, patch, AuditAction::RevisionRestore).await
    }
}

/// Versions count from 1.
fn check_version(version: i64, field: &str) -> AppResult<()> {
    if version < 1 {
        return Err(AppError::invalid(field, "must be a version (1 or more)"));
    }
    Ok(())
}

/// The article's text at `version`: its current text, or a revision's.
fn text_at(conn: &mut DbConn, article: &Article, version: i64) -> AppResult<Version> {
    if version == article.version {
        return Ok(Version {
            version,
            title: article.title.clone(),
            summary: article.summary.clone(),
            body: article.body.as_ref().map(|b| b.markdown.clone()).unwrap_or_default(),
        });
    }
    let row = repo::revision_at(conn, article.id, version)?.ok_or(AppError::NotFound("revision"))?;
    Ok(Version { version, title: row.title, summary: row.summary, body: row.body })
}
