//! Comment threads.

use super::Services;
use super::articles::may_read;
use super::assemble;
use super::editorial::require;
use crate::db::changes::notify_event;
use crate::db::models::CommentRow;
use crate::db::repo::articles as article_repo;
use crate::db::repo::comments::{self as repo, Level};
use crate::db::repo::users;
use crate::domain::comment::Comment;
use crate::domain::page::{CursorKind, Limit, Page, TimeCursor};
use crate::domain::text::COMMENT_BODY;
use crate::domain::time::now;
use crate::domain::time::to_db;
use crate::domain::{ArticleStatus, CommentId, CommentStatus, Role, Viewer};
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
                if !may_read(viewer, &article) {
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

/// Who may see a comment in its thread.
fn listed(status: &str, viewer: Viewer) -> bool {
    status != CommentStatus::Hidden.as_str() || viewer.is_editor()
}

impl Services {
    /// Posts a comment (or a reply) on a published article. Any signed-in user.
    pub async fn post_comment(
        &self,
        viewer: Viewer,
        article: String,
        body: String,
        parent_id: Option<String>,
    ) -> AppResult<Comment> {
        let me = require(viewer, Role::Reader)?;
        let mut errors = FieldErrors::default();
        let body = errors.check(COMMENT_BODY.check(&body, "body"));
        let parent = parent_id.as_deref().and_then(|raw| {
            errors.check(
                raw.trim()
                    .parse::<CommentId>()
                    .map_err(|_| FieldError::new("parent_id", "must be a comment id (UUID)")),
            )
        });
        errors.finish()?;
        let Some(body) = body else {
            return Err(AppError::internal(anyhow::anyhow!("validated body missing")));
        };
        self.limits.comment(me.user_id)?;
        let key = article.trim().to_lowercase();
        let id = CommentId::generate();
        let notice = self.comment_notice(id);
        let (row, author_name) = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let (article, _) =
                        article_repo::find(conn, &key)?.ok_or(AppError::NotFound("article"))?;
                    let published = article.status == ArticleStatus::Published.as_str()
                        && article.published_at.is_some_and(|at| at <= to_db(now()));
                    if !published {
                        // Unpublished work is not acknowledged to exist.
                        if !may_read(viewer, &article) {
                            return Err(AppError::NotFound("article"));
                        }
                        return Err(AppError::conflict("comments open when the article is published"));
                    }
                    let parent_id = match parent {
                        None => None,
                        Some(parent) => {
                            let parent = repo::find(conn, &parent.to_string())?
                                .filter(|p| p.article_id == article.id)
                                .filter(|p| listed(&p.status, viewer))
                                .ok_or_else(|| {
                                    AppError::invalid("parent_id", "no such comment on this article")
                                })?;
                            if parent.status != CommentStatus::Visible.as_str() {
                                return Err(AppError::conflict("cannot reply to a removed comment"));
                            }
                            repo::bump_reply_count(conn, &parent.id, 1)?;
                            Some(parent.id)
                        }
                    };
                    let author_id = me.user_id.to_string();
                    // A signed token outlives nothing it names: accounts are disabled, never removed.
                    let author_name = users::display_name(conn, &author_id)?
                        .ok_or_else(|| AppError::Unauthenticated("no such account".into()))?;
                    let row = CommentRow {
                        id: id.to_string(),
                        article_id: article.id.clone(),
                        author_id,
                        parent_id,
                        body: Some(body),
                        status: CommentStatus::Visible.as_str().to_owned(),
                        reply_count: 0,
                        created_at: to_db(now()),
                        edited_at: None,
                    };
                    repo::insert(conn, &row)?;
                    article_repo::bump_comment_count(conn, &article.id, 1)?;
                    if let Some(notice) = &notice {
                        notify_event(conn, notice)?;
                    }
                    Ok((row, author_name))
                })
            })
            .await?;
        // The new comment is visible to its author, so it reads back as written.
        let comment = assemble::comment(row, author_name)?;
        self.announce_comment(comment.clone());
        Ok(comment)
    }

    /// One comment, as its thread shows it to `viewer`.
    pub async fn get_comment(&self, viewer: Viewer, id: String) -> AppResult<Comment> {
        let id: CommentId = id.trim().parse().map_err(|_| AppError::NotFound("comment"))?;
        let (row, author) = self
            .db()
            .run(move |conn| {
                let row =
                    repo::find_with_author(conn, &id.to_string())?.ok_or(AppError::NotFound("comment"))?;
                let (article, _) =
                    article_repo::find(conn, &row.0.article_id)?.ok_or(AppError::NotFound("comment"))?;
                if !may_read(viewer, &article) || !listed(&row.0.status, viewer) {
                    return Err(AppError::NotFound("comment"));
                }
                Ok(row)
            })
            .await?;
        assemble::comment(row, author)
    }

    /// Changes the text of one's own visible comment.
    pub async fn edit_comment(&self, viewer: Viewer, id: String, body: String) -> AppResult<Comment> {
        let me = require(viewer, Role::Reader)?;
        let body = COMMENT_BODY.check(&body, "body")?;
        let id: CommentId = id.trim().parse().map_err(|_| AppError::NotFound("comment"))?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = own_comment(conn, viewer, me, &id.to_string())?;
                    if row.status != CommentStatus::Visible.as_str() {
                        return Err(AppError::Conflict {
                            message: format!("a {} comment cannot be edited", row.status),
                            current_status: Some(row.status),
                        });
                    }
                    repo::set_body(conn, &row.id, &body, to_db(now()))
                })
            })
            .await?;
        self.get_comment(viewer, id.to_string()).await
    }

    /// Deletes one's own comment. It stays in the thread as a tombstone.
    pub async fn delete_comment(&self, viewer: Viewer, id: String) -> AppResult<()> {
        let me = require(viewer, Role::Reader)?;
        let id: CommentId = id.trim().parse().map_err(|_| AppError::NotFound("comment"))?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = own_comment(conn, viewer, me, &id.to_string())?;
                    move_comment(conn, &row, CommentStatus::Deleted)
                })
            })
            .await
    }

    /// Hides (`hidden = true`) or restores a comment. Editors and up.
    pub async fn moderate_comment(&self, viewer: Viewer, id: String, hidden: bool) -> AppResult<Comment> {
        require(viewer, Role::Editor)?;
        let id: CommentId = id.trim().parse().map_err(|_| AppError::NotFound("comment"))?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = repo::find(conn, &id.to_string())?.ok_or(AppError::NotFound("comment"))?;
                    let target = if hidden { CommentStatus::Hidden } else { CommentStatus::Visible };
                    let from = if hidden { CommentStatus::Visible } else { CommentStatus::Hidden };
                    if row.status != from.as_str() {
                        return Err(AppError::Conflict {
                            message: format!(
                                "cannot {} a {} comment",
                                if hidden { "hide" } else { "unhide" },
                                row.status
                            ),
                            current_status: Some(row.status),
                        });
                    }
                    move_comment(conn, &row, target)
                })
            })
            .await?;
        self.get_comment(viewer, id.to_string()).await
    }
}

/// The caller's own comment, or why not.
fn own_comment(
    conn: &mut crate::db::DbConn,
    viewer: Viewer,
    me: crate::domain::Principal,
    id: &str,
) -> AppResult<CommentRow> {
    let row = repo::find(conn, id)?.ok_or(AppError::NotFound("comment"))?;
    if !listed(&row.status, viewer) {
        return Err(AppError::NotFound("comment"));
    }
    if row.author_id != me.user_id.to_string() {
        return Err(AppError::Forbidden("only its author may change a comment".into()));
    }
    Ok(row)
}

/// Changes a comment's status and keeps the article's visible count and the
/// parent's reply count exact, in the caller's transaction.
fn move_comment(conn: &mut crate::db::DbConn, row: &CommentRow, to: CommentStatus) -> AppResult<()> {
    let from: CommentStatus = row
        .status
        .parse()
        .map_err(|()| AppError::internal(anyhow::anyhow!("bad comment status {}", row.status)))?;
    if from == to {
        return Err(AppError::Conflict {
            message: format!("the comment is already {to}"),
            current_status: Some(row.status.clone()),
        });
    }
    if from == CommentStatus::Deleted {
        return Err(AppError::Conflict {
            message: "a deleted comment cannot change".into(),
            current_status: Some(row.status.clone()),
        });
    }
    if !repo::set_status(conn, &row.id, from.as_str(), to.as_str())? {
        return Err(AppError::conflict("the comment changed meanwhile; retry"));
    }
    let visible = |s: CommentStatus| i32::from(s == CommentStatus::Visible);
    let public = |s: CommentStatus| i32::from(s != CommentStatus::Hidden);
    let visible_delta = visible(to) - visible(from);
    if visible_delta != 0 {
        article_repo::bump_comment_count(conn, &row.article_id, visible_delta)?;
    }
    let public_delta = public(to) - public(from);
    if let Some(parent) = &row.parent_id
        && public_delta != 0
    {
        repo::bump_reply_count(conn, parent, public_delta)?;
    }
    Ok(())
}

impl Services {
    /// Comments by id (the parents of comments the caller already sees), as
    /// their threads show them to `viewer`: one query for any number.
    pub async fn comments_by_ids(&self, viewer: Viewer, ids: Vec<CommentId>) -> AppResult<Vec<Comment>> {
        let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let rows = self.db().run(move |conn| repo::many_with_author(conn, &keys)).await?;
        rows.into_iter()
            .filter(|(row, _)| listed(&row.status, viewer))
            .map(|(row, author)| assemble::comment(row, author))
            .collect()
    }
}
