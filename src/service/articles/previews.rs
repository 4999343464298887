//! Preview links: made and revoked by an article's authors and editors,
//! read by whoever holds one.

use super::read::find;
use crate::auth::opaque;
use crate::db::repo::previews::{self as repo, PreviewRow};
use crate::domain::article::{Article, ArticleKey};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::preview::PreviewLink;
use crate::domain::time::{now, to_db};
use crate::domain::{Role, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::audit::{Done, record};

/// A token that opens nothing: unknown, expired or revoked, all alike.
fn no_preview() -> AppError {
    AppError::NotFound("preview")
}

impl Services {
    /// A new preview link to an article, in whatever status it is.
    pub async fn create_preview(&self, viewer: Viewer, key: impl Into<ArticleKey>) -> AppResult<PreviewLink> {
        let key = key.into();
        let lifetime = self.preview_lifetime;
        let (token, digest) = opaque::generate();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    // A link changes nothing anyone reads.
                    conn.changes([]);
                    let article = find(conn, &key)?;
                    let me = policy::can_share_preview(viewer, &article, now())?;
                    let at = now();
                    let expires_at = at + lifetime;
                    repo::insert(
                        conn,
                        &PreviewRow {
                            id: uuid::Uuid::now_v7().to_string(),
                            article_id: article.id,
                            token_hash: digest,
                            created_by: me.user_id,
                            created_at: to_db(at),
                            expires_at: to_db(expires_at),
                            revoked_at: None,
                        },
                    )?;
                    let done = Done::to(AuditAction::PreviewCreate, AuditTarget::Article, article.id);
                    record(conn, Some(me.user_id), done)?;
                    Ok(PreviewLink { token, article_id: article.id, expires_at })
                })
            })
            .await
    }

    /// The current text of the article a live token opens, to anyone: the
    /// caller's own rights play no part. Never kept by a cache (the token is
    /// the credential), so read from the primary, as it is now.
    pub async fn read_preview(&self, token: &str) -> AppResult<Article> {
        let digest = opaque::digest(token.trim());
        self.db()
            .run(move |conn| {
                let id = repo::live_article(conn, &digest, to_db(now()))?.ok_or_else(no_preview)?;
                find(conn, &ArticleKey::Id(id))
            })
            .await
    }

    /// Ends a live preview link at once; its article's authors and editors.
    pub async fn revoke_preview(&self, viewer: Viewer, token: &str) -> AppResult<()> {
        // Who is asking comes first: a caller who may revoke nothing learns
        // nothing of which tokens are live.
        policy::require(viewer, Role::Author)?;
        let digest = opaque::digest(token.trim());
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    let at = to_db(now());
                    let id = repo::live_article(conn, &digest, at)?.ok_or_else(no_preview)?;
                    let me = policy::can_share_preview(viewer, &find(conn, &ArticleKey::Id(id))?, now())
                        // Not theirs to see: as if the link did not exist.
                        .map_err(|denied| match denied {
                            policy::Denied::Hidden(_) => no_preview(),
                            other => other.into(),
                        })?;
                    if !repo::revoke(conn, &digest, at)? {
                        return Err(no_preview());
                    }
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::PreviewRevoke, AuditTarget::Article, id),
                    )
                })
            })
            .await
    }
}
