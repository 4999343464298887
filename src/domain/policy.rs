//! Who may see and do what: every permission rule of Newsdesk, as pure
//! functions of the caller and the thing asked for. The service layer asks
//! these before it reads further or writes; both APIs therefore refuse alike.

use chrono::{DateTime, Utc};

use super::article::{Article, ArticleStatus, Transition};
use super::comment::{CommentStatus, CommentsMode};
use super::field::FieldError;
use super::{Principal, Role, UserId, Viewer};

/// Why a caller may not have what they asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// Nobody is signed in, and this needs somebody.
    SignedOut,
    /// Signed in, but not allowed: says why.
    Forbidden(String),
    /// Not to be acknowledged at all: answered as if `what` did not exist.
    Hidden(&'static str),
    /// Allowed, but not in the state the thing is in now.
    NotNow(String),
}

/// The caller, if signed in with at least `role`.
pub fn require(viewer: Viewer, role: Role) -> Result<Principal, Denied> {
    match viewer.principal() {
        None => Err(Denied::SignedOut),
        Some(p) if p.role >= role => Ok(p),
        Some(_) => Err(Denied::Forbidden(format!("this needs the {role} role or higher"))),
    }
}

/// Published, and its publish time has come: what anyone may read.
pub fn is_public(article: &Article, now: DateTime<Utc>) -> bool {
    article.status == ArticleStatus::Published && article.published_at.is_some_and(|at| at <= now)
}

/// Whether `p` works on the article: is on its byline. Whoever started it
/// but has been taken off the byline has no more part in it (an editor
/// reassigning a story ends the first author's access at once).
fn credited(p: Principal, article: &Article) -> bool {
    article.authors.iter().any(|a| a.id == p.user_id)
}

/// Anyone reads what is public; staff their own work; editors everything.
pub fn can_read(viewer: Viewer, article: &Article, now: DateTime<Utc>) -> bool {
    is_public(article, now)
        || viewer.is_editor()
        || viewer.principal().is_some_and(|p| p.role.is_staff() && credited(p, article))
}

/// [`can_read`], as the refusal: unpublished work is not acknowledged to exist.
pub fn may_read(viewer: Viewer, article: &Article, now: DateTime<Utc>) -> Result<(), Denied> {
    if can_read(viewer, article, now) { Ok(()) } else { Err(Denied::Hidden("article")) }
}

/// Editors edit anything; authors their own drafts.
pub fn can_edit(viewer: Viewer, article: &Article, now: DateTime<Utc>) -> Result<Principal, Denied> {
    let me = require(viewer, Role::Author)?;
    may_read(viewer, article, now)?;
    if me.role.is_editor() {
        return Ok(me);
    }
    if !credited(me, article) {
        return Err(Denied::Forbidden("only the article's authors or an editor may edit it".into()));
    }
    if article.status != ArticleStatus::Draft {
        return Err(Denied::Forbidden(format!(
            "authors edit drafts only; this article is {}",
            article.status
        )));
    }
    Ok(me)
}

/// The role a lifecycle move needs: authors may only submit.
pub fn role_to(transition: Transition) -> Role {
    match transition {
        Transition::Submit => Role::Author,
        Transition::Publish | Transition::Schedule(_) | Transition::Unpublish | Transition::Archive => {
            Role::Editor
        }
    }
}

/// Editors move any article; authors submit their own.
pub fn can_move(
    viewer: Viewer,
    article: &Article,
    transition: Transition,
    now: DateTime<Utc>,
) -> Result<Principal, Denied> {
    let me = require(viewer, role_to(transition))?;
    may_read(viewer, article, now)?;
    if !me.role.is_editor() && !credited(me, article) {
        return Err(Denied::Forbidden("only the article's authors or an editor may do that".into()));
    }
    Ok(me)
}

/// An article's earlier versions: for its authors and editors.
pub fn can_see_revisions(viewer: Viewer, article: &Article, now: DateTime<Utc>) -> Result<Principal, Denied> {
    let me = require(viewer, Role::Author)?;
    may_read(viewer, article, now)?;
    if !me.role.is_editor() && !credited(me, article) {
        return Err(Denied::Forbidden("only the article's authors and editors see its revisions".into()));
    }
    Ok(me)
}

/// Preview links to an article (made and revoked): its authors and editors,
/// whatever its status. Whoever holds a link then reads it without signing in.
pub fn can_share_preview(viewer: Viewer, article: &Article, now: DateTime<Utc>) -> Result<Principal, Denied> {
    let me = require(viewer, Role::Author)?;
    may_read(viewer, article, now)?;
    if !me.role.is_editor() && !credited(me, article) {
        return Err(Denied::Forbidden("only the article's authors and editors share previews of it".into()));
    }
    Ok(me)
}

/// Deleting articles: editors.
pub fn can_delete_articles(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Editor)
}

/// A staff list (articles by status): `Some(me)` when it must hold only the
/// caller's own articles (authors), `None` when everything (editors).
pub fn staff_list(viewer: Viewer) -> Result<Option<UserId>, Denied> {
    let me = require(viewer, Role::Author)?;
    Ok((!me.role.is_editor()).then_some(me.user_id))
}

/// Who a new or edited byline may credit: authors must include themselves.
pub fn can_credit(me: Principal, authors: &[UserId], field: &str) -> Result<(), FieldError> {
    if me.role.is_editor() || authors.contains(&me.user_id) {
        Ok(())
    } else {
        Err(FieldError::new(field, "must include yourself"))
    }
}

/// Whether a comment in `status` shows in its thread to `viewer`.
pub fn can_see_comment(viewer: Viewer, status: CommentStatus) -> bool {
    status.is_public() || viewer.is_editor()
}

/// The comment statuses `viewer` sees in a thread.
pub fn visible_comment_statuses(viewer: Viewer) -> &'static [CommentStatus] {
    if viewer.is_editor() {
        &[CommentStatus::Visible, CommentStatus::Hidden, CommentStatus::Deleted, CommentStatus::Held]
    } else {
        &[CommentStatus::Visible, CommentStatus::Deleted]
    }
}

/// Anyone signed in comments on what is public.
pub fn can_comment(viewer: Viewer, article: &Article, now: DateTime<Utc>) -> Result<Principal, Denied> {
    let me = require(viewer, Role::Reader)?;
    if !is_public(article, now) {
        may_read(viewer, article, now)?;
        return Err(Denied::NotNow("comments open when the article is published".into()));
    }
    Ok(me)
}

/// The status a new comment by `me` starts in, on an article whose comments
/// are in `mode`: closed is closed for everyone; on a pre-moderated article
/// readers' comments are held, unless the account is trusted; staff (who
/// write the site) are never held.
pub fn new_comment_status(me: Principal, trusted: bool, mode: CommentsMode) -> Result<CommentStatus, Denied> {
    match mode {
        CommentsMode::Closed => Err(Denied::NotNow("comments are closed on this article".into())),
        CommentsMode::Premoderated if !me.role.is_staff() && !trusted => Ok(CommentStatus::Held),
        CommentsMode::Open | CommentsMode::Premoderated => Ok(CommentStatus::Visible),
    }
}

/// Reporting a comment: anyone signed in (who can see it).
pub fn can_report(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Reader)
}

/// Editing or deleting a comment: its author only.
pub fn can_change_comment(
    viewer: Viewer,
    author: UserId,
    status: CommentStatus,
) -> Result<Principal, Denied> {
    let me = require(viewer, Role::Reader)?;
    if !can_see_comment(viewer, status) {
        return Err(Denied::Hidden("comment"));
    }
    if author != me.user_id {
        return Err(Denied::Forbidden("only its author may change a comment".into()));
    }
    Ok(me)
}

/// Corrections and updates under published stories: editors, whose
/// notes speak for the publication.
pub fn can_correct(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Editor)
}

/// Keeping collections (making, renaming, ordering, deleting): editors.
pub fn can_curate(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Editor)
}

/// Hiding, restoring and approving comments, and the moderation queue: editors.
pub fn can_moderate(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Editor)
}

/// Sections and tags: editors.
pub fn can_manage_taxonomy(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Editor)
}

/// The media library (upload, browse): authors and up.
pub fn can_use_media(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Author)
}

/// Changing or deleting an image: the author who uploaded it, and editors.
/// Deleting one that articles still use takes an editor (`force`).
pub fn can_change_media(viewer: Viewer, uploaded_by: UserId, force: bool) -> Result<Principal, Denied> {
    let me = require(viewer, Role::Author)?;
    if force && me.role < Role::Editor {
        return Err(Denied::Forbidden(
            "removing an image articles use needs the editor role or higher".into(),
        ));
    }
    if me.role < Role::Editor && me.user_id != uploaded_by {
        return Err(Denied::Forbidden("authors may change only the images they uploaded".into()));
    }
    Ok(me)
}

/// Accounts: admins.
pub fn can_manage_users(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Admin)
}

/// The audit log: who did what, across the whole newsroom. Admins only.
pub fn can_read_audit(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Admin)
}

/// Registering webhooks and reading their deliveries: they carry every
/// change off the site and hold signing secrets. Admins only.
pub fn can_manage_webhooks(viewer: Viewer) -> Result<Principal, Denied> {
    require(viewer, Role::Admin)
}

/// An account's private fields (email, role, status, dates): for the person
/// themselves and admins. Everyone sees the public profile (name, bio).
pub fn can_see_account(viewer: Viewer, account: UserId) -> bool {
    viewer.principal().is_some_and(|p| p.user_id == account || p.role == Role::Admin)
}

/// Deleting one's own account: for readers. Staff accounts hold bylines and
/// the newsroom's record; an admin disables them instead.
pub fn can_delete_own_account(viewer: Viewer) -> Result<Principal, Denied> {
    let me = require(viewer, Role::Reader)?;
    if me.role.is_staff() {
        return Err(Denied::Forbidden("a staff account is closed by an admin, who disables it".into()));
    }
    Ok(me)
}

/// An admin may change any account but cannot disable or demote their own:
/// someone must stay in charge.
pub fn can_change_account(
    me: Principal,
    account: UserId,
    disable: bool,
    new_role: Option<Role>,
) -> Result<(), Denied> {
    if account == me.user_id && (disable || new_role.is_some_and(|r| r < Role::Admin)) {
        return Err(Denied::NotNow("you cannot disable or demote your own account".into()));
    }
    Ok(())
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
