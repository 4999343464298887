//! Refresh tokens and the service's own generated secrets.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::RefreshTokenRow;
use crate::db::schema::{app_secrets, refresh_tokens};
use crate::db::{DbConn, on_backend};
use crate::domain::{SessionId, UserId};
use crate::error::AppResult;

pub fn insert(conn: &mut DbConn, row: &RefreshTokenRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(refresh_tokens::table).values(row).execute(c))?;
    Ok(())
}

pub fn by_digest(conn: &mut DbConn, digest: &str) -> AppResult<Option<RefreshTokenRow>> {
    Ok(on_backend!(conn, |c| refresh_tokens::table
        .select(RefreshTokenRow::as_select())
        .filter(refresh_tokens::token_hash.eq(digest))
        .first(c)
        .optional())?)
}

/// Marks a token used, unless it already was or its sign-in has ended:
/// `false` means someone else used it first (a replay), or it was revoked.
pub fn mark_used(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null())
    )
    .set(refresh_tokens::used_at.eq(Some(at)))
    .execute(c))?;
    Ok(updated == 1)
}

/// Revokes every live token of a sign-in (the family a rotation chain shares).
pub fn revoke_family(conn: &mut DbConn, family_id: &str, at: NaiveDateTime) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null())
    )
    .set(refresh_tokens::revoked_at.eq(Some(at)))
    .execute(c))?;
    Ok(())
}

/// Revokes every live token of a user (disabled accounts, role changes);
/// returns the sign-ins that ended.
pub fn revoke_user(conn: &mut DbConn, user_id: UserId, at: NaiveDateTime) -> AppResult<Vec<SessionId>> {
    revoke_user_except(conn, user_id, None, at)
}

/// As [`revoke_user`], sparing one sign-in (`keep`: the caller's own, when
/// they change their password).
pub fn revoke_user_except(
    conn: &mut DbConn,
    user_id: UserId,
    keep: Option<SessionId>,
    at: NaiveDateTime,
) -> AppResult<Vec<SessionId>> {
    let keep = keep.map(|s| s.to_string()).unwrap_or_default();
    let families: Vec<String> = on_backend!(conn, |c| diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null())
            .filter(refresh_tokens::family_id.ne(&keep))
    )
    .set(refresh_tokens::revoked_at.eq(Some(at)))
    .returning(refresh_tokens::family_id)
    .get_results(c))?;
    let mut sessions: Vec<SessionId> = families.iter().filter_map(|f| f.parse().ok()).collect();
    sessions.sort_unstable();
    sessions.dedup();
    Ok(sessions)
}

/// Forgets refresh tokens that expired before `before`: they can refresh
/// nothing, and their sign-ins' access tokens are long expired.
pub fn delete_expired(conn: &mut DbConn, before: NaiveDateTime) -> AppResult<usize> {
    Ok(on_backend!(conn, |c| diesel::delete(
        refresh_tokens::table.filter(refresh_tokens::expires_at.lt(before))
    )
    .execute(c))?)
}

/// The refresh-token families revoked since `since`, each with when: the
/// sign-ins access tokens still alive may belong to.
pub fn ended_since(
    conn: &mut DbConn,
    since: NaiveDateTime,
) -> AppResult<Vec<(String, Option<NaiveDateTime>)>> {
    Ok(on_backend!(conn, |c| refresh_tokens::table
        .select((refresh_tokens::family_id, refresh_tokens::revoked_at))
        .filter(refresh_tokens::revoked_at.gt(since))
        .distinct()
        .load(c))?)
}

pub fn secret(conn: &mut DbConn, name: &str) -> AppResult<Option<String>> {
    Ok(on_backend!(conn, |c| app_secrets::table
        .select(app_secrets::value)
        .filter(app_secrets::name.eq(name))
        .first(c)
        .optional())?)
}

/// Stores a secret unless one of that name exists (another instance may have
/// raced us to it); either way, returns the stored one.
pub fn secret_or_insert(conn: &mut DbConn, name: &str, value: &str, at: NaiveDateTime) -> AppResult<String> {
    on_backend!(conn, |c| diesel::insert_into(app_secrets::table)
        .values((app_secrets::name.eq(name), app_secrets::value.eq(value), app_secrets::created_at.eq(at)))
        .on_conflict_do_nothing()
        .execute(c))?;
    secret(conn, name)?
        .ok_or_else(|| crate::error::AppError::internal(anyhow::anyhow!("secret {name} vanished")))
}
