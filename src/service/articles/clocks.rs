//! What happens when an article's time comes: a scheduled story goes live,
//! an expiring one is archived, a breaking-news window closes. Each move is
//! conditional on the version its clock was read at, so several instances
//! may run them at once and each happens once. The background loop runs
//! them when something is due; tests call them directly.

use chrono::NaiveDateTime;

use crate::db::DbConn;
use crate::db::repo::articles::{self as repo, ArticleChanges};
use crate::domain::article::Article;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::time::{now, to_db};
use crate::domain::timing::expired_by;
use crate::domain::{ArticleId, ArticleStatus};
use crate::error::AppResult;
use crate::service::Services;
use crate::service::audit::{Done, record};
use crate::service::freshness::article_changed;
use crate::service::webhooks::outbox;

/// The articles one clock lists as due, with the versions they were read at.
type DueList = fn(&mut DbConn, NaiveDateTime) -> AppResult<Vec<(ArticleId, i64)>>;

impl Services {
    /// Publishes every scheduled article whose time has come, at that time,
    /// announces each to subscribers, and returns their ids.
    ///
    /// One whose expiry has come too (the instances were down across both
    /// times) never goes live: it is archived instead, unannounced.
    pub async fn publish_due(&self) -> AppResult<Vec<ArticleId>> {
        let moved = self
            .move_due(repo::due, |article| {
                if article.status != ArticleStatus::Scheduled {
                    return None;
                }
                let to = if expired_by(article.expires_at, now()) {
                    ArticleStatus::Archived
                } else {
                    ArticleStatus::Published
                };
                Some(ArticleChanges {
                    status: Some(to),
                    published_at: Some(
                        article.scheduled_at.filter(|_| to == ArticleStatus::Published).map(to_db),
                    ),
                    scheduled_at: Some(None),
                    updated_at: Some(to_db(now())),
                    ..ArticleChanges::default()
                })
            })
            .await?;
        let published: Vec<ArticleId> = moved
            .into_iter()
            .filter(|(_, to)| *to == Some(ArticleStatus::Published))
            .map(|(id, _)| id)
            .collect();
        for &id in &published {
            self.announce_published(id).await;
        }
        Ok(published)
    }

    /// Archives every published article whose expiry has come: it leaves
    /// the feeds and public reads, and keeps its `expires_at`.
    pub async fn expire_due(&self) -> AppResult<Vec<ArticleId>> {
        self.move_due(repo::expiring, |article| {
            let expired = expired_by(article.expires_at, now());
            (article.status == ArticleStatus::Published && expired).then(|| ArticleChanges {
                status: Some(ArticleStatus::Archived),
                updated_at: Some(to_db(now())),
                ..ArticleChanges::default()
            })
        })
        .await
        .map(ids)
    }

    /// Clears every breaking-news window that has passed. Readers already
    /// saw `breaking: false` from its end; this drops the stale time and
    /// refreshes what was cached. The story's text did not change, so its
    /// `updated_at` does not move.
    pub async fn end_breaking_due(&self) -> AppResult<Vec<ArticleId>> {
        self.move_due(repo::breaking_ended, |article| {
            article
                .breaking_until
                .is_some_and(|until| until <= now())
                .then(|| ArticleChanges { breaking_until: Some(None), ..ArticleChanges::default() })
        })
        .await
        .map(ids)
    }

    /// Applies `move_of` to each article `due` lists that is still at the
    /// version it was listed at (`None`: not due after all), each in its own
    /// transaction, and returns those moved with the status each moved to.
    async fn move_due(
        &self,
        due: DueList,
        move_of: impl Fn(&Article) -> Option<ArticleChanges> + Send + 'static,
    ) -> AppResult<Vec<(ArticleId, Option<ArticleStatus>)>> {
        let site = self.shared_site();
        self.db()
            .run(move |conn| {
                let mut moved = Vec::new();
                for (id, version) in due(conn, to_db(now()))? {
                    let done = conn.transaction(|conn| {
                        // Until it says otherwise, this transaction changes nothing.
                        conn.changes([]);
                        let Some(article) = repo::find(conn, &id.into())? else { return Ok(None) };
                        let Some(changes) = move_of(&article).filter(|_| article.version == version) else {
                            return Ok(None);
                        };
                        if !repo::update_versioned(conn, id, version, &changes)? {
                            return Ok(None);
                        }
                        let after = repo::find(conn, &id.into())?;
                        conn.changes(article_changed(Some(&article), after.as_ref()));
                        outbox::article_event(conn, &site, Some(&article), after.as_ref())?;
                        let action = match changes.status {
                            Some(ArticleStatus::Published) => AuditAction::ArticlePublish,
                            Some(_) => AuditAction::ArticleArchive,
                            None => AuditAction::ArticleBreakingEnd,
                        };
                        let done = Done::to(action, AuditTarget::Article, id);
                        record(conn, None, done.versions(Some(version), after.as_ref().map(|a| a.version)))?;
                        Ok(Some(changes.status))
                    })?;
                    if let Some(status) = done {
                        moved.push((id, status));
                    }
                }
                Ok(moved)
            })
            .await
    }
}

/// The ids of the articles moved.
fn ids(moved: Vec<(ArticleId, Option<ArticleStatus>)>) -> Vec<ArticleId> {
    moved.into_iter().map(|(id, _)| id).collect()
}
