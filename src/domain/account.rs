//! What a signed-in user does with their own account (profile, password,
//! export, deletion), and the one-time password-reset links admins issue.

use chrono::{DateTime, Duration, Utc};

use super::comment::CommentStatus;
use super::moderation::Report;
use super::text::{Bio, DisplayName};
use super::user::User;
use super::{ArticleId, CommentId, UserId};

/// How long a password-reset link works, as in Ghost and WordPress.
pub const PASSWORD_RESET_TTL: Duration = Duration::hours(24);

/// The name a deleted account's row keeps (never shown: its comments are
/// tombstones, which name nobody).
pub const DELETED_NAME: &str = "Deleted account";

/// The sign-in address a deleted account's row keeps: unique, and no
/// address at all (no `@`), so that no one can sign up with it and so hold
/// the row's place.
pub fn deleted_email(id: UserId) -> String {
    format!("deleted:{id}")
}

/// What deleting its author's account does to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// A visible comment becomes a tombstone: it keeps its place in the
    /// thread (its replies keep theirs) with no text and no author.
    Tombstone,
    /// A held or hidden one loses its text and stays out of public view:
    /// it was never shown, or an editor took it down.
    Blank,
    /// A deleted one has nothing left to erase.
    Nothing,
}

/// What deleting the author's account does to a comment in `status`.
pub fn erasure(status: CommentStatus) -> Erasure {
    match status {
        CommentStatus::Visible => Erasure::Tombstone,
        CommentStatus::Held | CommentStatus::Hidden => Erasure::Blank,
        CommentStatus::Deleted => Erasure::Nothing,
    }
}

/// A user's changes to their own profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfilePatch {
    pub display_name: Option<DisplayName>,
    pub bio: Option<Bio>,
}

impl ProfilePatch {
    /// Asks for no change (`{}`): answered with the account as it is.
    pub fn is_empty(&self) -> bool {
        self.display_name.is_none() && self.bio.is_none()
    }
}

/// A password-reset link as issued: the token is shown this once.
#[derive(Debug, Clone)]
pub struct PasswordReset {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Everything Newsdesk keeps about a user, as they download it.
#[derive(Debug, Clone)]
pub struct AccountExport {
    pub exported_at: DateTime<Utc>,
    pub account: User,
    /// Every comment they wrote, in any state, oldest first.
    pub comments: Vec<ExportedComment>,
    /// Every report they filed, oldest first.
    pub reports: Vec<Report>,
}

/// One of the user's comments, as they wrote it (held and hidden ones too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedComment {
    pub id: CommentId,
    pub article_id: ArticleId,
    pub parent_id: Option<CommentId>,
    /// `None` once deleted: the text is gone.
    pub body: Option<String>,
    pub status: CommentStatus,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleted_addresses_are_unique_and_no_one_can_sign_up_with_them() {
        let (a, b) = (UserId::generate(), UserId::generate());
        assert_ne!(deleted_email(a), deleted_email(b));
        assert!(crate::domain::Email::parse(&deleted_email(a), "email").is_err());
    }

    #[test]
    fn only_visible_comments_become_tombstones() {
        assert_eq!(erasure(CommentStatus::Visible), Erasure::Tombstone);
        assert_eq!(erasure(CommentStatus::Held), Erasure::Blank);
        assert_eq!(erasure(CommentStatus::Hidden), Erasure::Blank);
        assert_eq!(erasure(CommentStatus::Deleted), Erasure::Nothing);
    }

    #[test]
    fn an_empty_patch_changes_nothing() {
        assert!(ProfilePatch::default().is_empty());
        let bio = Bio::parse("Reads the science pages.", "bio").ok();
        assert!(!ProfilePatch { bio, ..ProfilePatch::default() }.is_empty());
    }
}
