//! Comment threads.

use super::Services;
use super::articles::may_read;
use super::assemble;
use crate::db::repo::articles as article_repo;
use crate::db::repo::comments::{self as repo, Level};
use crate::domain::comment::Comment;
use crate::domain::page::{CursorKind, Limit, Page, TimeCursor};
use crate::domain::time::to_db;
use crate::domain::{CommentId, Viewer};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};

/// A page of one level of an article's thread.
#[derive(Debug, Clone, Default)]
pub struct CommentListRequest {
    /// List the replies to this comment instead of the top level.
    pub parent: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl Services {
    /// Top-level comments of an article (or one comment's replies), oldest first.
    /// Readers see visible comments and tombstones; editors also hidden ones.
    pub async fn list_comments(
        &self,
        viewer: Viewer,
        article: String,
        request: CommentListRequest,
    ) -> AppResult<Page<Comment>> {
        let mut errors = FieldErrors::default();
        let limit = errors.check(Limit::new(request.limit, "limit")).unwrap_or_default();
        let parent = request.parent.as_deref().and_then(|raw| {
            errors.check(
                raw.trim()
                    .parse::<CommentId>()
                    .map_err(|_| FieldError::new("parent", "must be a comment id (UUID)")),
            )
        });
        let after = request
            .cursor
            .as_deref()
            .and_then(|c| errors.check(TimeCursor::decode(CursorKind::Comments, c, "cursor")));
        errors.finish()?;
        let key = article.trim().to_lowercase();
        let statuses: &'static [&'static str] =
            if viewer.is_editor() { &["visible", "hidden", "deleted"] } else { &["visible", "deleted"] };
        let rows = self
            .db()
            .run(move |conn| {
                let (article, _) = article_repo::find(conn, &key)?.ok_or(AppError::NotFound("article"))?;
                let authors = article_repo::authors_of(conn, std::slice::from_ref(&article.id))?;
                if !may_read(viewer, &article, &authors) {
                    return Err(AppError::NotFound("article"));
                }
                let level = match parent {
                    None => Level::TopLevel { article_id: article.id },
                    Some(parent) => {
                        let parent = repo::find(conn, &parent.to_string())?
                            .filter(|p| p.article_id == article.id)
                            .filter(|p| statuses.contains(&p.status.as_str()))
                            .ok_or(AppError::NotFound("comment"))?;
                        Level::RepliesTo { parent_id: parent.id }
                    }
                };
                let after = after.map(|c| (to_db(c.at), c.id));
                repo::page(conn, &level, statuses, after, limit.probe())
            })
            .await?;
        let comments = rows
            .into_iter()
            .map(|(row, author)| assemble::comment(row, author))
            .collect::<AppResult<Vec<_>>>()?;
        Ok(Page::from_probe(comments, limit, |c: &Comment| {
            TimeCursor { at: c.created_at, id: c.id.to_string() }.encode(CursorKind::Comments)
        }))
    }
}
