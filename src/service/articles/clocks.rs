//! What happens when an article's time comes: a scheduled story goes live,
//! an expiring one is archived, a breaking-news window closes. Each move is
//! conditional on the version its clock was read at, so several instances
//! may run them at once and each happens once. The background loop runs
//! them when something is due; tests call them directly.

use chrono::NaiveDateTime;

use crate::db::DbConn;
use crate::db::repo::articles::{self as repo, ArticleChanges};
use crate::domain::article::Article;
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, ArticleStatus};
use crate::error::AppResult;
use crate::service::Services;
use crate::service::freshness::article_changed;
use crate::service::webhooks::outbox;

/// The articles one clock lists as due, with the versions they were read at.
type DueList = fn(&mut DbConn, NaiveDateTime) -> AppResult<Vec<(ArticleId, i64)>>;

impl Services {
    /// Publishes every scheduled article whose time has come, at that time,
    /// announces each to subscribers, and returns their ids.
    pub async fn publish_due(&self) -> AppResult<Vec<ArticleId>> {
        let published = self
            .move_due(repo::due, |article| {
                (article.status == ArticleStatus::Scheduled).then(|| ArticleChanges {
                    status: Some(ArticleStatus::Published),
                    published_at: Some(article.scheduled_at.map(to_db)),
                    scheduled_at: Some(None),
                    updated_at: Some(to_db(now())),
                    ..ArticleChanges::default()
                })
            })
            .await?;
        for &id in &published {
            self.announce_published(id).await;
        }
        Ok(published)
    }

    /// Archives every published article whose expiry has come: it leaves
    /// the feeds and public reads, and keeps its `expires_at`.
    pub async fn expire_due(&self) -> AppResult<Vec<ArticleId>> {
        self.move_due(repo::expiring, |article| {
            let expired = article.expires_at.is_some_and(|end| end <= now());
            (article.status == ArticleStatus::Published && expired).then(|| ArticleChanges {
                status: Some(ArticleStatus::Archived),
                updated_at: Some(to_db(now())),
                ..ArticleChanges::default()
            })
        })
        .await
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
    }

    /// Applies `move_of` to each article `due` lists that is still at the
    /// version it was listed at (`None`: not due after all), each in its own
    /// transaction, and returns those moved.
    async fn move_due(
        &self,
        due: DueList,
        move_of: impl Fn(&Article) -> Option<ArticleChanges> + Send + 'static,
    ) -> AppResult<Vec<ArticleId>> {
        let site = self.shared_site();
        self.db()
            .run(move |conn| {
                let mut moved = Vec::new();
                for (id, version) in due(conn, to_db(now()))? {
                    let done = conn.transaction(|conn| {
                        // Until it says otherwise, this transaction changes nothing.
                        conn.changes([]);
                        let Some(article) = repo::find(conn, &id.into())? else { return Ok(false) };
                        let Some(changes) = move_of(&article).filter(|_| article.version == version) else {
                            return Ok(false);
                        };
                        if !repo::update_versioned(conn, id, version, &changes)? {
                            return Ok(false);
                        }
                        let after = repo::find(conn, &id.into())?;
                        conn.changes(article_changed(Some(&article), after.as_ref()));
                        outbox::article_event(conn, &site, Some(&article), after.as_ref())?;
                        Ok(true)
                    })?;
                    if done {
                        moved.push(id);
                    }
                }
                Ok(moved)
            })
            .await
    }
}
