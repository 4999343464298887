//! What signed-in users do with their own account: edit their profile,
//! change their password, download their data, delete the account.

use std::net::IpAddr;

use super::Services;
use super::accounts::{NAMED_SIGN_INS, change_account, ended_sign_ins, rewrite_bylines};
use super::comments::move_comment;
use super::freshness::Key;
use crate::auth::{opaque, password};
use crate::db::DbConn;
use crate::db::models::UserRow;
use crate::db::repo::{comments, password_resets, reports, sessions, trash, users};
use crate::domain::account::{AccountExport, Erasure, ExportedComment, ProfilePatch, erasure};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::moderation::Report;
use crate::domain::time::{from_db, now, to_db};
use crate::domain::user::{NewPassword, User};
use crate::domain::{CommentStatus, Principal, Role, SessionId, UserId, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::audit::{Done, record};

impl Services {
    /// Changes the caller's display name or bio (a new name shows on their
    /// bylines and comments at once). Each change counts against the
    /// caller's comment limit: like a comment, it changes what threads show.
    pub async fn update_profile(&self, viewer: Viewer, patch: ProfilePatch) -> AppResult<User> {
        let me = policy::require(viewer, Role::Reader)?;
        if patch.is_empty() {
            return self.me(viewer).await;
        }
        self.limit_comments(me.user_id).await?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    own_account(conn, me.user_id)?;
                    let changes = users::UserChanges {
                        display_name: patch.display_name.map(String::from),
                        bio: patch.bio.map(String::from),
                        updated_at: Some(to_db(now())),
                        ..users::UserChanges::default()
                    };
                    change_account(conn, me.user_id, &changes)?;
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::ProfileUpdate, AuditTarget::User, me.user_id),
                    )
                })
            })
            .await?;
        self.me(viewer).await
    }

    /// Changes the caller's password, given the current one. Every other
    /// sign-in of theirs ends, on every instance; `keep`, the sign-in the
    /// request came with, goes on. (With more than 64 others to end, the
    /// whole account's access tokens are refused and the caller refreshes
    /// theirs: its refresh token still works.) Checked against the sign-in
    /// limit, as a guess at the password is a sign-in attempt.
    pub async fn change_password(
        &self,
        ip: IpAddr,
        viewer: Viewer,
        keep: Option<SessionId>,
        current: String,
        new: NewPassword,
    ) -> AppResult<()> {
        let me = policy::require(viewer, Role::Reader)?;
        self.limit_login(ip).await?;
        let checked = self.check_password(me.user_id, current, "current_password").await?;
        let hash = self.hashing(move || password::hash(new.expose())).await?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    same_password(own_account(conn, me.user_id)?, &checked)?;
                    let at = to_db(now());
                    let changes = users::UserChanges {
                        password_hash: Some(hash),
                        updated_at: Some(at),
                        ..users::UserChanges::default()
                    };
                    users::update(conn, me.user_id, &changes)?;
                    let ended = sessions::revoke_user_except(conn, me.user_id, keep, at)?;
                    conn.changes(other_sign_ins(me.user_id, keep, ended));
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::PasswordChange, AuditTarget::User, me.user_id),
                    )
                })
            })
            .await
    }

    /// Everything kept about the caller: the account, every comment they
    /// wrote (held, hidden and deleted ones too) and every report they filed.
    pub async fn export_account(&self, viewer: Viewer) -> AppResult<AccountExport> {
        let me = policy::require(viewer, Role::Reader)?;
        self.db()
            .run(move |conn| {
                let account = own_account(conn, me.user_id)?;
                let comments = comments::by_author(conn, me.user_id)?
                    .into_iter()
                    .map(|c| ExportedComment {
                        id: c.id,
                        article_id: c.article_id,
                        parent_id: c.parent_id,
                        body: c.body,
                        status: c.status,
                        created_at: from_db(c.created_at),
                        edited_at: c.edited_at.map(from_db),
                    })
                    .collect();
                let reports = reports::by_reporter(conn, me.user_id)?.into_iter().map(Report::from).collect();
                Ok(AccountExport { exported_at: now(), account: User::from(account), comments, reports })
            })
            .await
    }

    /// Deletes the caller's account, given its password. Its comments stay
    /// in their threads as tombstones (no text, no author), the notes on its
    /// reports are erased, and the row keeps nothing personal; every sign-in
    /// ends at once. Readers only: an admin closes a staff account.
    pub async fn delete_account(&self, ip: IpAddr, viewer: Viewer, password_text: String) -> AppResult<()> {
        let me = policy::can_delete_own_account(viewer)?;
        self.limit_login(ip).await?;
        let checked = self.check_password(me.user_id, password_text, "password").await?;
        let (thrown_away, _) = opaque::generate();
        let unusable = self.hashing(move || password::hash(&thrown_away)).await?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    // Locked against the comments and reports it may be writing right now.
                    let row = users::lock_to_erase(conn, me.user_id)?
                        .filter(|row| row.deleted_at.is_none())
                        .ok_or_else(account_gone)?;
                    // The role as it is now: one given since the token was issued counts.
                    policy::can_delete_own_account(Viewer::User(Principal {
                        user_id: row.id,
                        role: row.role,
                    }))?;
                    same_password(row, &checked)?;
                    for comment in comments::by_author(conn, me.user_id)? {
                        match erasure(comment.status) {
                            Erasure::Tombstone => move_comment(conn, &comment, CommentStatus::Deleted)?,
                            Erasure::Blank => comments::erase_body(conn, comment.id)?,
                            Erasure::Nothing => {}
                        }
                    }
                    trash::erase_comments_of(conn, me.user_id)?;
                    reports::erase_notes(conn, me.user_id)?;
                    password_resets::forget_user(conn, me.user_id)?;
                    let at = to_db(now());
                    users::erase(conn, me.user_id, &unusable, at)?;
                    // A former author's name leaves the bylines it was on.
                    rewrite_bylines(conn, me.user_id)?;
                    let ended = sessions::revoke_user(conn, me.user_id, at)?;
                    // Its name is gone from every thread it was in.
                    conn.changes([Key::Everything]);
                    conn.changes(ended_sign_ins(me.user_id, ended));
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::AccountDelete, AuditTarget::User, me.user_id),
                    )
                })
            })
            .await
    }

    /// Verifies `password_text` against the account's password; the hash it
    /// matched, so that a write can tell whether the password changed since.
    /// A wrong one is a validation error on `field`.
    async fn check_password(
        &self,
        id: UserId,
        password_text: String,
        field: &'static str,
    ) -> AppResult<String> {
        let row = self.db().run(move |conn| own_account(conn, id)).await?;
        let hash = row.password_hash;
        self.hashing(move || {
            if password::verify(&password_text, &hash) {
                Ok(hash)
            } else {
                Err(AppError::invalid(field, "is not the account's password"))
            }
        })
        .await
    }
}

/// The caller's own account, locked for the transaction; gone once deleted.
fn own_account(conn: &mut DbConn, id: UserId) -> AppResult<UserRow> {
    users::lock(conn, id)?.filter(|row| row.deleted_at.is_none()).ok_or_else(account_gone)
}

fn account_gone() -> AppError {
    AppError::Unauthenticated("this account no longer exists".into())
}

/// Refuses a write whose password check is out of date: the password
/// changed between the check and the write.
fn same_password(row: UserRow, checked: &str) -> AppResult<()> {
    if row.password_hash != checked {
        return Err(AppError::conflict("the password changed meanwhile; retry with the new one"));
    }
    Ok(())
}

/// The keys that end `user`'s sign-ins other than `keep`: each by name, or
/// (too many to name, or no sign-in to keep) the whole account.
fn other_sign_ins(user: UserId, keep: Option<SessionId>, ended: Vec<SessionId>) -> Vec<Key> {
    if keep.is_some() && ended.len() <= NAMED_SIGN_INS {
        ended.into_iter().map(Key::Session).collect()
    } else {
        ended_sign_ins(user, ended)
    }
}
