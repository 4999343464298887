//! The trash: deleting an article keeps it whole for the retention window
//! (`--trash-retention-days`), and restoring puts it back as it was, with
//! its comments, revisions, notes, bylines, tags and former slugs.

use std::collections::HashSet;

use super::images::images_changed;
use super::read::find;
use crate::db::DbConn;
use crate::db::repo::articles as repo;
use crate::db::repo::trash::{self, Snapshot};
use crate::db::repo::{categories, media, old_slugs, tags};
use crate::domain::article::{Article, ArticleStatus};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::page::{CursorKind, Limit, Page, TimeCursor};
use crate::domain::time::{now, to_db};
use crate::domain::trash::TrashedArticle;
use crate::domain::{ArticleId, MediaId, TagId, UserId, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::audit::{Done, record};
use crate::service::freshness::{Key, article_changed};
use crate::service::webhooks::outbox;

/// A page of the trash.
#[derive(Debug, Clone, Default)]
pub struct TrashQuery {
    pub limit: Limit,
    pub after: Option<TimeCursor<ArticleId>>,
}

impl Services {
    /// Articles deleted within the retention window, most recent first.
    /// Editors and up.
    pub async fn list_trash(&self, viewer: Viewer, query: TrashQuery) -> AppResult<Page<TrashedArticle>> {
        policy::can_delete_articles(viewer)?;
        let retention = self.trash_retention;
        let since = to_db(now() - retention);
        let after = query.after.map(|c| (to_db(c.at), c.id));
        let rows = self.db().run(move |conn| trash::page(conn, since, after, query.limit.probe())).await?;
        let items = rows.into_iter().map(|row| row.into_trashed(retention)).collect();
        Ok(Page::from_probe(items, query.limit, |t: &TrashedArticle| {
            TimeCursor { at: t.deleted_at, id: t.id }.encode(CursorKind::Trash)
        }))
    }

    /// Brings a deleted article back, in the status it had, while it is in
    /// the window. Editors and up. A conflict when its slug or its section
    /// was taken or deleted meanwhile; images deleted from the library
    /// meanwhile are left out of it, as a forced deletion would have done.
    pub async fn restore_article(&self, viewer: Viewer, id: ArticleId) -> AppResult<Article> {
        let me = policy::can_delete_articles(viewer)?;
        let since = to_db(now() - self.trash_retention);
        let site = self.shared_site();
        let restored = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let mut snapshot =
                        trash::take(conn, id, since)?.ok_or(AppError::NotFound("article in the trash"))?;
                    check_still_fits(conn, &snapshot)?;
                    drop_what_is_gone(conn, &mut snapshot)?;
                    trash::reinsert(conn, &snapshot)?;
                    // Tags and people renamed meanwhile show as they are now.
                    repo::refresh_relations(conn, &[id])?;
                    let mut shown = images_changed(conn, &[id])?;
                    let after = find(conn, &id.into())?;
                    shown.extend(article_changed(None, Some(&after)));
                    // Its held and reported comments are back in the queue.
                    shown.push(Key::Moderation);
                    conn.changes(shown);
                    outbox::article_event(conn, &site, None, Some(&after))?;
                    let done = Done::to(AuditAction::ArticleRestore, AuditTarget::Article, id);
                    record(conn, Some(me.user_id), done.versions(None, Some(after.version)))?;
                    Ok(after.status)
                })
            })
            .await?;
        if restored == ArticleStatus::Published {
            self.announce_published(id).await;
        }
        self.get_article(viewer, id).await
    }
}

/// Moves an article into the trash, in the transaction that deletes it.
pub(super) fn keep(conn: &mut DbConn, article: &Article, by: UserId) -> AppResult<()> {
    let snapshot = trash::snapshot(conn, article.id)?;
    trash::put(conn, &snapshot, by, to_db(now()))
}

/// Refuses a restore that would take another article's slug or file the
/// article under a section that no longer exists.
fn check_still_fits(conn: &mut DbConn, snapshot: &Snapshot) -> AppResult<()> {
    let article = &snapshot.article;
    if slug_in_use(conn, &article.slug)? {
        return Err(AppError::Conflict {
            message: format!(
                "another article has taken the slug `{}` since this one was deleted; give that one another slug \
                 first",
                article.slug
            ),
            current_status: None,
        });
    }
    if !categories::all(conn)?.iter().any(|c| c.id == article.category_id) {
        return Err(AppError::conflict(
            "the section this article was filed under has been deleted since; it cannot come back without it",
        ));
    }
    Ok(())
}

/// Whether an article has `slug`, now or as a former slug.
fn slug_in_use(conn: &mut DbConn, slug: &str) -> AppResult<bool> {
    Ok(repo::slug_taken(conn, slug, None)? || old_slugs::article_with_old_slug(conn, slug)?.is_some())
}

/// Leaves out of the snapshot the tags and images deleted meanwhile and the
/// former slugs another article has taken since; a cover still in the
/// library shows its fields as they are now.
fn drop_what_is_gone(conn: &mut DbConn, snapshot: &mut Snapshot) -> AppResult<()> {
    let tags: HashSet<TagId> = tags::all(conn)?.into_iter().map(|row| row.id).collect();
    snapshot.tags.retain(|t| tags.contains(&t.tag_id));
    let used: Vec<MediaId> =
        snapshot.media.iter().map(|m| m.media_id).chain(snapshot.article.cover_media_id).collect();
    let present = media::by_ids(conn, &used)?;
    let article = &mut snapshot.article;
    let cover = present.iter().find(|row| Some(row.id) == article.cover_media_id);
    article.cover_media_json = cover.map(|row| row.to_json()).transpose()?;
    article.cover_media_id = cover.map(|row| row.id);
    let present: HashSet<MediaId> = present.into_iter().map(|row| row.id).collect();
    snapshot.media.retain(|m| present.contains(&m.media_id));
    let mut kept = Vec::with_capacity(snapshot.old_slugs.len());
    for old in std::mem::take(&mut snapshot.old_slugs) {
        if !slug_in_use(conn, &old.slug)? {
            kept.push(old);
        }
    }
    snapshot.old_slugs = kept;
    Ok(())
}
