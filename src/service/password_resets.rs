//! One-time password-reset links: an admin issues one for an account (and
//! hands it to its owner); whoever holds it sets a new password, once,
//! before it expires.

use std::net::IpAddr;

use super::Services;
use super::accounts::{ended_sign_ins, user_id};
use crate::auth::{opaque, password};
use crate::db::repo::password_resets::{self, PasswordResetRow};
use crate::db::repo::{sessions, users};
use crate::domain::account::{PASSWORD_RESET_TTL, PasswordReset};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::time::{now, to_db};
use crate::domain::user::NewPassword;
use crate::domain::{Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::audit::{Done, record};

/// What any token that resets nothing is told: unknown, used, replaced or
/// expired alike.
fn bad_token() -> AppError {
    AppError::invalid("token", "is not a live password-reset token: ask an admin for a new one")
}

impl Services {
    /// Issues a password-reset link for an account, valid for 24 hours and
    /// once; it replaces the account's earlier links. Admins only.
    pub async fn issue_password_reset(&self, viewer: Viewer, id: &str) -> AppResult<PasswordReset> {
        let me = policy::can_manage_users(viewer)?;
        let id = user_id(id)?;
        let (token, digest) = opaque::generate();
        let at = now();
        let expires_at = at + PASSWORD_RESET_TTL;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    // Nothing anyone reads shows a reset link.
                    conn.changes([]);
                    users::lock(conn, id)?
                        .filter(|r| r.deleted_at.is_none())
                        .ok_or(AppError::NotFound("user"))?;
                    let row = PasswordResetRow {
                        token_hash: digest,
                        user_id: id,
                        created_by: me.user_id,
                        created_at: to_db(at),
                        expires_at: to_db(expires_at),
                    };
                    password_resets::replace(conn, &row)?;
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::UserPasswordReset, AuditTarget::User, id),
                    )
                })
            })
            .await?;
        Ok(PasswordReset { token, expires_at })
    }

    /// Sets a new password with a reset link, which is used up. Every
    /// sign-in of the account ends; a disabled account stays disabled.
    /// Checked against the sign-in limit.
    pub async fn reset_password(&self, ip: IpAddr, token: String, new: NewPassword) -> AppResult<()> {
        self.limit_login(ip).await?;
        let hash = self.hashing(move || password::hash(new.expose())).await?;
        let digest = opaque::digest(token.trim());
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let at = to_db(now());
                    // The account first, then its links: the order every writer of them takes.
                    let user = password_resets::user_of(conn, &digest)?.ok_or_else(bad_token)?;
                    users::lock(conn, user)?.filter(|r| r.deleted_at.is_none()).ok_or_else(bad_token)?;
                    password_resets::take(conn, &digest, at)?.ok_or_else(bad_token)?;
                    let changes = users::UserChanges {
                        password_hash: Some(hash),
                        updated_at: Some(at),
                        ..users::UserChanges::default()
                    };
                    users::update(conn, user, &changes)?;
                    password_resets::forget_user(conn, user)?;
                    let ended = sessions::revoke_user(conn, user, at)?;
                    conn.changes(ended_sign_ins(user, ended));
                    record(conn, Some(user), Done::to(AuditAction::PasswordReset, AuditTarget::User, user))
                })
            })
            .await
    }
}
