//! A user's own data as they download it, and password-reset links.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Report, User};
use crate::domain::CommentStatus;
use crate::domain::account::{self, ExportedComment};
use crate::domain::site::Site;

/// Everything Newsdesk keeps about the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountExport {
    pub exported_at: DateTime<Utc>,
    pub account: User,
    /// Every comment they wrote, in any state, oldest first.
    pub comments: Vec<OwnComment>,
    /// Every report they filed, oldest first.
    pub reports: Vec<Report>,
}

impl AccountExport {
    pub fn new(export: account::AccountExport, site: &Site) -> Self {
        Self {
            exported_at: export.exported_at,
            account: User::new(export.account, site),
            comments: export.comments.into_iter().map(OwnComment::from).collect(),
            reports: export.reports.into_iter().map(Report::from).collect(),
        }
    }
}

/// One of the user's comments, as they wrote it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnComment {
    pub id: Uuid,
    pub article_id: Uuid,
    pub parent_id: Option<Uuid>,
    /// Markdown; null once the comment was deleted.
    pub body: Option<String>,
    pub status: CommentStatus,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

impl From<ExportedComment> for OwnComment {
    fn from(c: ExportedComment) -> Self {
        Self {
            id: c.id.uuid(),
            article_id: c.article_id.uuid(),
            parent_id: c.parent_id.map(|p| p.uuid()),
            body: c.body,
            status: c.status,
            created_at: c.created_at,
            edited_at: c.edited_at,
        }
    }
}

/// A one-time password-reset link, shown this once: hand the token to the
/// account's owner, who sends it to `POST /api/v1/auth/password-reset`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordReset {
    #[schema(example = "kq3J7mB0xWc2sQ9vT4yLr8NfHd1ZaE6uGpO5iKjXl0M")]
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl From<account::PasswordReset> for PasswordReset {
    fn from(r: account::PasswordReset) -> Self {
        Self { token: r.token, expires_at: r.expires_at }
    }
}
