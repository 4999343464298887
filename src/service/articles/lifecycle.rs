//! The editorial lifecycle: submit, publish, schedule, unpublish, archive.

use super::images;
use super::read::find;
use super::write::stale;
use crate::db::repo::articles::{self as repo, ArticleChanges};
use crate::domain::Viewer;
use crate::domain::article::{Article, ArticleKey, Transition};
use crate::domain::audit::AuditTarget;
use crate::domain::policy;
use crate::domain::time::{now, to_db};
use crate::domain::timing::expired_by;
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::audit::{Done, record};
use crate::service::freshness::article_changed;
use crate::service::webhooks::outbox;

impl Services {
    /// Moves an article through its lifecycle. Authors submit their drafts;
    /// every other move is an editor's.
    pub async fn transition_article(
        &self,
        viewer: Viewer,
        key: impl Into<ArticleKey>,
        transition: Transition,
        expected_version: Option<i64>,
    ) -> AppResult<Article> {
        policy::require(viewer, policy::role_to(transition))?;
        let key = key.into();
        let site = self.shared_site();
        let id = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let article = find(conn, &key)?;
                    let me = policy::can_move(viewer, &article, transition, now())?;
                    if let Some(expected) = expected_version
                        && expected != article.version
                    {
                        return Err(stale(article.version));
                    }
                    let from = article.status;
                    let Some(to) = transition.apply(from) else {
                        return Err(AppError::Conflict {
                            message: format!("cannot {} an article that is {from}", transition.as_str()),
                            current_status: Some(from.as_str()),
                        });
                    };
                    let live_at = match transition {
                        Transition::Publish => Some(now()),
                        Transition::Schedule(when) => Some(when.at()),
                        _ => None,
                    };
                    if live_at.is_some_and(|live_at| expired_by(article.expires_at, live_at)) {
                        return Err(AppError::Conflict {
                            message: format!(
                                "cannot {} an article at or after its expiry; move or clear `expires_at` first",
                                transition.as_str()
                            ),
                            current_status: Some(from.as_str()),
                        });
                    }
                    let at = to_db(now());
                    let mut changes = ArticleChanges {
                        status: Some(to),
                        updated_at: Some(at),
                        updated_by: Some(me.user_id),
                        ..ArticleChanges::default()
                    };
                    match transition {
                        Transition::Publish => {
                            changes.published_at = Some(Some(at));
                            changes.scheduled_at = Some(None);
                        }
                        Transition::Schedule(when) => {
                            changes.scheduled_at = Some(Some(to_db(when.at())));
                            changes.published_at = Some(None);
                        }
                        Transition::Unpublish => {
                            changes.published_at = Some(None);
                            changes.scheduled_at = Some(None);
                        }
                        Transition::Submit | Transition::Archive => {}
                    }
                    if !repo::update_versioned(conn, article.id, article.version, &changes)? {
                        return Err(AppError::conflict("the article changed meanwhile; reload and retry"));
                    }
                    let after = find(conn, &article.id.into())?;
                    images::check_cover_alt_text(&after)?;
                    conn.changes(article_changed(Some(&article), Some(&after)));
                    outbox::article_event(conn, &site, Some(&article), Some(&after))?;
                    let done = Done::to(transition.into(), AuditTarget::Article, article.id);
                    record(conn, Some(me.user_id), done.versions(Some(article.version), Some(after.version)))?;
                    Ok(article.id)
                })
            })
            .await?;
        let article = self.get_article(viewer, id).await?;
        if transition == Transition::Publish {
            self.announce_published(article.id).await;
        }
        Ok(article)
    }
}
