//! A user's own data as they download it, and password-reset links, as
//! GraphQL shows them.

use async_graphql::{ID, Object, SimpleObject};

use super::moderation::ReportObject;
use super::time::Timestamp;
use super::user::UserObject;
use crate::domain::CommentStatus;
use crate::domain::account::{AccountExport, ExportedComment, PasswordReset};

/// Everything Newsdesk keeps about the signed-in user.
pub struct AccountExportObject(pub AccountExport);

#[Object(name = "AccountExport")]
impl AccountExportObject {
    async fn exported_at(&self) -> Timestamp {
        Timestamp(self.0.exported_at)
    }
    async fn account(&self) -> UserObject {
        UserObject::account(self.0.account.clone())
    }
    /// Every comment they wrote, in any state, oldest first.
    async fn comments(&self) -> Vec<OwnCommentObject> {
        self.0.comments.iter().cloned().map(OwnCommentObject).collect()
    }
    /// Every report they filed, oldest first.
    async fn reports(&self) -> Vec<ReportObject> {
        self.0.reports.iter().cloned().map(ReportObject).collect()
    }
}

/// One of the user's comments, as they wrote it.
pub struct OwnCommentObject(ExportedComment);

#[Object(name = "OwnComment")]
impl OwnCommentObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn article_id(&self) -> ID {
        self.0.article_id.into()
    }
    async fn parent_id(&self) -> Option<ID> {
        self.0.parent_id.map(Into::into)
    }
    /// Markdown; null once the comment was deleted.
    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
    async fn status(&self) -> CommentStatus {
        self.0.status
    }
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
    async fn edited_at(&self) -> Option<Timestamp> {
        self.0.edited_at.map(Timestamp)
    }
}

/// A one-time password-reset link, shown this once: hand the token to the
/// account's owner, who passes it to `resetPassword`.
#[derive(SimpleObject)]
#[graphql(name = "PasswordReset")]
pub struct PasswordResetObject {
    pub token: String,
    pub expires_at: Timestamp,
}

impl From<PasswordReset> for PasswordResetObject {
    fn from(r: PasswordReset) -> Self {
        Self { token: r.token, expires_at: Timestamp(r.expires_at) }
    }
}
