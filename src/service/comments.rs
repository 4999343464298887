//! Comment threads: reading, posting, editing, deleting, moderation.

use std::collections::HashMap;

use super::Services;
use super::articles::find_article;
use super::freshness::Key;
use super::webhooks::outbox::{self, CommentFacts};
use crate::db::DbConn;
use crate::db::models::CommentRow;
use crate::db::repo::articles as article_repo;
use crate::db::repo::comments::{self as repo, Level};
use crate::db::repo::users;
use crate::domain::article::ArticleKey;
use crate::domain::comment::Comment;
use crate::domain::field::Named;
use crate::domain::page::{CursorKind, Limit, Page, TimeCursor};
use crate::domain::text::CommentText;
use crate::domain::time::{from_db, now, to_db};
use crate::domain::webhook::WebhookEvent;
use crate::domain::{ArticleId, CommentId, CommentStatus, Viewer, policy};
use crate::error::{AppError, AppResult};

/// A page of one level of an article's thread.
#[derive(Debug, Clone, Default)]
pub struct CommentQuery {
    /// List the replies to this comment instead of the top level.
    pub parent: Option<CommentId>,
    pub limit: Limit,
    pub after: Option<TimeCursor<CommentId>>,
}

/// One level of a thread: an article's top-level comments, or one comment's replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Thread {
    Article(ArticleId),
    Replies(CommentId),
}

/// A comment to post.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub body: CommentText,
    /// The comment this replies to, on the same article.
    pub parent: Option<Named<CommentId>>,
}

impl Services {
    /// Top-level comments of an article (or one comment's replies), oldest first.
    /// Readers see visible comments and tombstones; editors also hidden ones.
    pub async fn list_comments(
        &self,
        viewer: Viewer,
        article: impl Into<ArticleKey>,
        query: CommentQuery,
    ) -> AppResult<Page<Comment>> {
        let key = article.into();
        let statuses = policy::visible_comment_statuses(viewer);
        let comments = self
            .db()
            .read(move |conn, shown| {
                let article = find_article(conn, &key)?;
                shown.extend(thread_of(article.id));
                policy::may_read(viewer, &article, now())?;
                let level = match query.parent {
                    None => Level::TopLevel(article.id),
                    Some(parent) => {
                        repo::find(conn, parent)?
                            .filter(|p| p.article_id == article.id && statuses.contains(&p.status))
                            .ok_or(AppError::NotFound("comment"))?;
                        Level::RepliesTo(parent)
                    }
                };
                let after = query.after.map(|c| (to_db(c.at), c.id));
                repo::page(conn, level, statuses, after, query.limit.probe())
            })
            .await?;
        Ok(Page::from_probe(comments, query.limit, comment_cursor))
    }

    /// Posts a comment (or a reply) on a published article. Any signed-in user.
    pub async fn post_comment(
        &self,
        viewer: Viewer,
        article: impl Into<ArticleKey>,
        new: NewComment,
    ) -> AppResult<Comment> {
        let me = policy::require(viewer, crate::domain::Role::Reader)?;
        self.limit_comments(me.user_id).await?;
        let key = article.into();
        let id = CommentId::generate();
        let notice = self.comment_notice(id);
        let site = self.shared_site();
        let comment = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let article = find_article(conn, &key)?;
                    policy::can_comment(viewer, &article, now())?;
                    // A token still valid for an account disabled or deleted meanwhile writes nothing.
                    let (author_name, trusted) = users::commenter(conn, me.user_id)?
                        .ok_or_else(|| AppError::Unauthenticated("no such account".into()))?;
                    let status = policy::new_comment_status(me, trusted, article.comments_mode)?;
                    let visible = status == CommentStatus::Visible;
                    let parent_id = match &new.parent {
                        None => None,
                        Some(parent) => {
                            let found = repo::find(conn, parent.value)?
                                .filter(|p| p.article_id == article.id)
                                .filter(|p| policy::can_see_comment(viewer, p.status))
                                .ok_or_else(|| parent.refuse("no such comment on this article"))?;
                            if found.status != CommentStatus::Visible {
                                return Err(AppError::conflict("cannot reply to a removed comment"));
                            }
                            // A held reply is not public: it counts once approved.
                            if visible {
                                repo::bump_reply_count(conn, found.id, 1)?;
                            }
                            Some(found.id)
                        }
                    };
                    let row = CommentRow {
                        id,
                        article_id: article.id,
                        author_id: me.user_id,
                        parent_id,
                        body: Some(new.body.into_string()),
                        status,
                        reply_count: 0,
                        created_at: to_db(now()),
                        edited_at: None,
                    };
                    repo::insert(conn, &row)?;
                    conn.changes(thread_of(article.id));
                    if !visible {
                        // Held for an editor: in the queue, nowhere public yet.
                        conn.changes([Key::Moderation]);
                        return Ok(row.into_comment(author_name));
                    }
                    article_repo::bump_comment_count(conn, article.id, 1)?;
                    if let Some(notice) = &notice {
                        conn.notify_event(notice)?;
                    }
                    let facts = CommentFacts {
                        id: row.id,
                        parent_id: row.parent_id,
                        status: row.status,
                        created_at: from_db(row.created_at),
                    };
                    outbox::comment_event(conn, &site, WebhookEvent::CommentCreated, facts, &article)?;
                    // The new comment is visible to its author, so it reads back as written.
                    Ok(row.into_comment(author_name))
                })
            })
            .await?;
        if comment.status == CommentStatus::Visible {
            self.announce_comment(comment.clone());
        }
        Ok(comment)
    }

    /// One comment by id, as its thread shows it to `viewer`.
    pub async fn get_comment(&self, viewer: Viewer, id: &str) -> AppResult<Comment> {
        self.comment(viewer, comment_id(id)?).await
    }

    /// One comment, as its thread shows it to `viewer`.
    pub(super) async fn comment(&self, viewer: Viewer, id: CommentId) -> AppResult<Comment> {
        self.db()
            .read(move |conn, shown| {
                let comment = repo::many(conn, &[id])?.pop().ok_or(AppError::NotFound("comment"))?;
                shown.extend(thread_of(comment.article_id));
                let article = find_article(conn, &comment.article_id.into())?;
                if !policy::can_read(viewer, &article, now())
                    || !policy::can_see_comment(viewer, comment.status)
                {
                    return Err(AppError::NotFound("comment"));
                }
                Ok(comment)
            })
            .await
    }

    /// Changes the text of one's own visible comment.
    pub async fn edit_comment(&self, viewer: Viewer, id: &str, body: CommentText) -> AppResult<Comment> {
        let id = comment_id(id)?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = own_comment(conn, viewer, id)?;
                    if row.status != CommentStatus::Visible {
                        return Err(AppError::Conflict {
                            message: format!("a {} comment cannot be edited", row.status),
                            current_status: Some(row.status.as_str()),
                        });
                    }
                    conn.changes(thread_of(row.article_id));
                    repo::set_body(conn, row.id, body.as_str(), to_db(now()))
                })
            })
            .await?;
        self.comment(viewer, id).await
    }

    /// Deletes one's own comment. It stays in the thread as a tombstone.
    pub async fn delete_comment(&self, viewer: Viewer, id: &str) -> AppResult<()> {
        let id = comment_id(id)?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = own_comment(conn, viewer, id)?;
                    move_comment(conn, &row, CommentStatus::Deleted)
                })
            })
            .await
    }

    /// The first page of each of several thread levels, as `viewer` may see
    /// them: a constant number of statements however many levels (what a
    /// page of articles with their comments, or of comments with their
    /// replies, reads). A level the viewer may not see is refused like
    /// [`Services::list_comments`] refuses it.
    pub async fn first_comment_pages(
        &self,
        viewer: Viewer,
        threads: Vec<Thread>,
        limit: Limit,
    ) -> AppResult<HashMap<Thread, AppResult<Page<Comment>>>> {
        let statuses = policy::visible_comment_statuses(viewer);
        self.db()
            .read(move |conn, shown| {
                let parent_ids: Vec<CommentId> = threads
                    .iter()
                    .filter_map(|t| if let Thread::Replies(c) = t { Some(*c) } else { None })
                    .collect();
                let parents = if parent_ids.is_empty() { Vec::new() } else { repo::many(conn, &parent_ids)? };
                let mut article_ids: Vec<ArticleId> = threads
                    .iter()
                    .filter_map(|t| if let Thread::Article(a) = t { Some(*a) } else { None })
                    .chain(parents.iter().map(|p| p.article_id))
                    .collect();
                article_ids.sort_unstable();
                article_ids.dedup();
                shown.extend(article_ids.iter().flat_map(|&id| thread_of(id)));
                let readable: Vec<ArticleId> = article_repo::cards_by_ids(conn, &article_ids)?
                    .into_iter()
                    .filter(|a| policy::can_read(viewer, a, now()))
                    .map(|a| a.id)
                    .collect();
                let mut answers: HashMap<Thread, AppResult<Page<Comment>>> = HashMap::new();
                let mut levels = Vec::new();
                for thread in threads {
                    let allowed = match thread {
                        Thread::Article(article) => readable
                            .contains(&article)
                            .then_some(Level::TopLevel(article))
                            .ok_or(AppError::NotFound("article")),
                        Thread::Replies(parent) => parents
                            .iter()
                            .find(|p| {
                                p.id == parent
                                    && statuses.contains(&p.status)
                                    && readable.contains(&p.article_id)
                            })
                            .map(|_| Level::RepliesTo(parent))
                            .ok_or(AppError::NotFound("comment")),
                    };
                    match allowed {
                        Ok(level) => levels.push((thread, level)),
                        Err(error) => {
                            answers.insert(thread, Err(error));
                        }
                    }
                }
                let only: Vec<Level> = levels.iter().map(|(_, level)| *level).collect();
                let mut found = repo::first_of_levels(conn, &only, statuses, limit.probe())?;
                for (thread, level) in levels {
                    let comments: Vec<Comment> =
                        found.extract_if(.., |(l, _)| *l == level).map(|(_, comment)| comment).collect();
                    answers.insert(thread, Ok(Page::from_probe(comments, limit, comment_cursor)));
                }
                Ok(answers)
            })
            .await
    }

    /// Comments by id (the parents of comments the caller already sees), as
    /// their threads show them to `viewer`: one query for any number.
    pub async fn comments_by_ids(&self, viewer: Viewer, ids: Vec<CommentId>) -> AppResult<Vec<Comment>> {
        let comments = self
            .db()
            .read(move |conn, shown| {
                let comments = repo::many(conn, &ids)?;
                shown.extend(comments.iter().flat_map(|c| thread_of(c.article_id)));
                Ok(comments)
            })
            .await?;
        Ok(comments.into_iter().filter(|c| policy::can_see_comment(viewer, c.status)).collect())
    }
}

/// What an article's thread shows, and what a change to it changes: the
/// comments, and the article (whether it is readable; its `comment_count`).
pub(super) fn thread_of(article: ArticleId) -> [Key; 2] {
    [Key::Thread(article), Key::Article(article)]
}

/// Where a thread level resumes after `comment`.
fn comment_cursor(comment: &Comment) -> String {
    TimeCursor { at: comment.created_at, id: comment.id }.encode(CursorKind::Comments)
}

/// The id a path names; nothing else names a comment.
pub(super) fn comment_id(raw: &str) -> AppResult<CommentId> {
    CommentId::parse_field(raw, "id").map_err(|_| AppError::NotFound("comment"))
}

/// The caller's own comment, or why not.
fn own_comment(conn: &mut DbConn, viewer: Viewer, id: CommentId) -> AppResult<CommentRow> {
    let row = repo::find(conn, id)?.ok_or(AppError::NotFound("comment"))?;
    policy::can_change_comment(viewer, row.author_id, row.status)?;
    Ok(row)
}

/// Changes a comment's status and keeps the article's visible count and the
/// parent's reply count exact, in the caller's transaction.
pub(super) fn move_comment(conn: &mut DbConn, row: &CommentRow, to: CommentStatus) -> AppResult<()> {
    let from = row.status;
    if from == to {
        return Err(AppError::Conflict {
            message: format!("the comment is already {to}"),
            current_status: Some(from.as_str()),
        });
    }
    if from == CommentStatus::Deleted {
        return Err(AppError::Conflict {
            message: "a deleted comment cannot change".into(),
            current_status: Some(from.as_str()),
        });
    }
    if !repo::set_status(conn, row.id, from, to)? {
        return Err(AppError::conflict("the comment changed meanwhile; retry"));
    }
    conn.changes(thread_of(row.article_id));
    // Held, reported or not: whether it waits in the queue may have changed.
    conn.changes([Key::Moderation]);
    let visible = |s: CommentStatus| i32::from(s == CommentStatus::Visible);
    let public = |s: CommentStatus| i32::from(s.is_public());
    let visible_delta = visible(to) - visible(from);
    if visible_delta != 0 {
        article_repo::bump_comment_count(conn, row.article_id, visible_delta)?;
    }
    let public_delta = public(to) - public(from);
    if let Some(parent) = row.parent_id
        && public_delta != 0
    {
        repo::bump_reply_count(conn, parent, public_delta)?;
    }
    Ok(())
}
