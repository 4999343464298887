//! The audit log: what staff did, to what, and when.

use chrono::{DateTime, Utc};

use super::article::{Byline, Transition};
use super::field::FieldError;
use super::page::{Limit, TimeCursor};
use super::vocabulary::vocabulary;
use super::{AuditEntryId, UserId};

vocabulary! {
    /// What a staff member (or the scheduler) did.
    pub enum AuditAction {
        /// An article was written.
        ArticleCreate = "article_create",
        /// An article was edited.
        ArticleUpdate = "article_update",
        /// An article was sent for review.
        ArticleSubmit = "article_submit",
        /// An article was published (by hand, or by the scheduler when due).
        ArticlePublish = "article_publish",
        /// An article was scheduled.
        ArticleSchedule = "article_schedule",
        /// An article was taken back to draft.
        ArticleUnpublish = "article_unpublish",
        /// An article was archived (by hand, or by the scheduler at its expiry).
        ArticleArchive = "article_archive",
        /// An article's breaking-news window ended (the scheduler).
        ArticleBreakingEnd = "article_breaking_end",
        /// An article was deleted into the trash.
        ArticleDelete = "article_delete",
        /// An article was brought back from the trash.
        ArticleRestore = "article_restore",
        /// An earlier text of an article was made current again.
        RevisionRestore = "revision_restore",
        /// A correction or update was appended under an article.
        CorrectionAdd = "correction_add",
        /// A preview link to an article was made (the target is the article).
        PreviewCreate = "preview_create",
        /// A preview link to an article was revoked (the target is the article).
        PreviewRevoke = "preview_revoke",
        /// A comment was hidden by a moderator.
        CommentHide = "comment_hide",
        /// A hidden comment was shown again.
        CommentUnhide = "comment_unhide",
        /// A held comment was approved, or a reported one's reports dismissed.
        CommentApprove = "comment_approve",
        /// A section was made.
        SectionCreate = "section_create",
        /// A section was changed.
        SectionUpdate = "section_update",
        /// A section was deleted.
        SectionDelete = "section_delete",
        /// A tag was made.
        TagCreate = "tag_create",
        /// A tag was changed.
        TagUpdate = "tag_update",
        /// A tag was deleted.
        TagDelete = "tag_delete",
        /// A collection was made.
        CollectionCreate = "collection_create",
        /// A collection's own fields were changed.
        CollectionUpdate = "collection_update",
        /// A collection's articles were set.
        CollectionItems = "collection_items",
        /// A collection was deleted.
        CollectionDelete = "collection_delete",
        /// An account was made by an admin.
        UserCreate = "user_create",
        /// An account was changed by an admin (its role, name, or whether it is disabled).
        UserUpdate = "user_update",
        /// An admin issued a one-time password-reset link for an account.
        UserPasswordReset = "user_password_reset",
        /// A user changed their own display name or bio.
        ProfileUpdate = "profile_update",
        /// A user changed their own password (their other sign-ins ended).
        PasswordChange = "password_change",
        /// A password-reset link was used to set a new password.
        PasswordReset = "password_reset",
        /// A user deleted their own account.
        AccountDelete = "account_delete",
        /// An image was uploaded to the media library.
        MediaUpload = "media_upload",
        /// An image's editorial fields were changed.
        MediaUpdate = "media_update",
        /// An image was deleted from the media library.
        MediaDelete = "media_delete",
        /// A webhook endpoint was registered.
        WebhookCreate = "webhook_create",
        /// A webhook endpoint was changed.
        WebhookUpdate = "webhook_update",
        /// A webhook endpoint was removed.
        WebhookDelete = "webhook_delete",
        /// A webhook delivery was sent again.
        WebhookRedeliver = "webhook_redeliver",
    }
}

vocabulary! {
    /// What an audit entry is about.
    pub enum AuditTarget {
        Article = "article",
        Comment = "comment",
        Section = "section",
        Tag = "tag",
        Collection = "collection",
        User = "user",
        Media = "media",
        Webhook = "webhook",
    }
}

impl From<Transition> for AuditAction {
    fn from(transition: Transition) -> Self {
        match transition {
            Transition::Submit => Self::ArticleSubmit,
            Transition::Publish => Self::ArticlePublish,
            Transition::Schedule(_) => Self::ArticleSchedule,
            Transition::Unpublish => Self::ArticleUnpublish,
            Transition::Archive => Self::ArticleArchive,
        }
    }
}

/// One thing done, as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub at: DateTime<Utc>,
    /// Who did it; `None` for the scheduler.
    pub actor: Option<Byline>,
    pub action: AuditAction,
    pub target: AuditTarget,
    /// The target's id.
    pub target_id: String,
    /// The target's version before and after, where it has versions.
    pub before_version: Option<i64>,
    pub after_version: Option<i64>,
}

/// The id a `target` filter names, written as the log writes ids: any id
/// (an article, a comment, a user...), so any UUID.
pub fn target_filter(raw: &str) -> Result<String, FieldError> {
    uuid::Uuid::parse_str(raw.trim())
        .map(|id| id.to_string())
        .map_err(|_| FieldError::new("target", "must be an id"))
}

/// A page of the log, newest first, narrowed by any of the filters.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<UserId>,
    pub action: Option<AuditAction>,
    /// The target's id.
    pub target: Option<String>,
    /// From this time on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this time (exclusive).
    pub to: Option<DateTime<Utc>>,
    pub limit: Limit,
    pub after: Option<TimeCursor<AuditEntryId>>,
}
