//! Signing up, signing in, token rotation, signing out.

use std::net::IpAddr;
use std::sync::LazyLock;

use chrono::{Duration, NaiveDateTime};

use super::Services;
use super::accounts::NewUser;
use super::freshness::Key;
use crate::auth::jwt::Verified;
use crate::auth::{opaque, password};
use crate::db::DbConn;
use crate::db::models::RefreshTokenRow;
use crate::db::repo::{sessions, users};
use crate::domain::text::{Bio, DisplayName};
use crate::domain::time::{now, to_db};
use crate::domain::user::{NewPassword, User};
use crate::domain::{Email, Principal, Role, SessionId, UserId, Viewer, policy};
use crate::error::{AppError, AppResult};

/// A reader signing up.
#[derive(Debug, Clone)]
pub struct Registration {
    pub email: Email,
    pub password: NewPassword,
    pub display_name: DisplayName,
}

/// What a sign-up is told, whether the address was new or not.
pub const REGISTERED: &str = "If this address had no account, it has one now: sign in with it.";

/// What a successful sign-in or refresh hands out.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub expires_in_secs: u64,
    pub refresh_token: String,
    pub user: User,
}

/// A hash to verify against when the email is unknown, so that a failed
/// sign-in takes as long whether or not the account exists.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| password::hash("decoy password, never valid").unwrap_or_default());

fn bad_credentials() -> AppError {
    AppError::Unauthenticated("wrong email or password".into())
}

fn bad_refresh() -> AppError {
    AppError::Unauthenticated("invalid or expired refresh token; sign in again".into())
}

/// The outcome of presenting a refresh token, decided inside a transaction
/// whose revocations must be kept even when the answer is a refusal.
enum Rotation {
    Rotated(Box<TokenPair>),
    Refused,
}

impl Services {
    /// Creates a reader account, unless the email has one already: the
    /// answer is the same either way (as a failed sign-in never says whether
    /// the email exists), and so is the time it takes (the password is
    /// hashed in both cases). An existing account is left as it was.
    pub async fn register(&self, ip: IpAddr, registration: Registration) -> AppResult<Email> {
        self.limit_registration(ip).await?;
        let Registration { email, password, display_name } = registration;
        let created = self
            .create_user_unchecked(NewUser {
                email: email.clone(),
                password,
                display_name,
                bio: Bio::empty(),
                role: Role::Reader,
            })
            .await;
        match created {
            Ok(_) | Err(AppError::Conflict { .. }) => Ok(email),
            Err(other) => Err(other),
        }
    }

    /// Exchanges an email and password for tokens. Failures never say which
    /// of the two was wrong.
    pub async fn login(&self, ip: IpAddr, email: String, password_text: String) -> AppResult<TokenPair> {
        self.limit_login(ip).await?;
        // Looked up as stored: accounts made under older address rules sign in too.
        let email = Email::stored(&email);
        let row = self.db().run(move |conn| users::by_email(conn, &email)).await?;
        let hash = row.as_ref().map_or_else(|| DECOY_HASH.clone(), |r| r.password_hash.clone());
        let matches = self.hashing(move || Ok(password::verify(&password_text, &hash))).await?;
        let Some(row) = row.filter(|_| matches) else {
            return Err(bad_credentials());
        };
        // The account as it is now, not as it was before the hash: a disable
        // or a new role committed meanwhile applies to this sign-in.
        let (lifetime, session) = (self.refresh_lifetime, SessionId::generate());
        let (refresh_token, digest) = opaque::generate();
        let user = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    let checked = row.password_hash;
                    let row = users::lock(conn, row.id)?.ok_or_else(bad_credentials)?;
                    // The password changed (or the account was deleted) after the check:
                    // the password checked is no longer the account's.
                    if row.password_hash != checked || row.deleted_at.is_some() {
                        return Err(bad_credentials());
                    }
                    if row.disabled {
                        return Err(AppError::Forbidden("this account is disabled".into()));
                    }
                    sessions::insert(conn, &token_row(row.id, session, digest, lifetime))?;
                    Ok(User::from(row))
                })
            })
            .await?;
        self.pair(user, refresh_token, session)
    }

    /// Rotates a refresh token: the presented one stops working and a new
    /// pair is issued with the account's current role. Presenting a token
    /// that was already rotated means it leaked: the whole sign-in is revoked.
    pub async fn refresh(&self, ip: IpAddr, token: String) -> AppResult<TokenPair> {
        self.limit_refresh(ip).await?;
        let digest = opaque::digest(token.trim());
        let lifetime = self.refresh_lifetime;
        let keys = self.tokens.clone();
        let outcome = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    // Sessions are nothing a cached read shows.
                    conn.changes([]);
                    let Some(stored) = sessions::by_digest(conn, &digest)? else {
                        return Ok(Rotation::Refused);
                    };
                    let Some(row) = users::lock(conn, stored.user_id)? else {
                        return Ok(Rotation::Refused);
                    };
                    // As it is now that the account is ours: a sign-out or a
                    // disable may have ended it while we waited.
                    let Some(stored) = sessions::by_digest(conn, &digest)? else {
                        return Ok(Rotation::Refused);
                    };
                    let at = to_db(now());
                    let Ok(session) = stored.family_id.parse::<SessionId>() else {
                        return Ok(Rotation::Refused);
                    };
                    if stored.revoked_at.is_some() || stored.expires_at <= at {
                        return Ok(Rotation::Refused);
                    }
                    if stored.used_at.is_some() || !sessions::mark_used(conn, &stored.id, at)? {
                        tracing::warn!(family = %stored.family_id, "refresh token replayed; sign-in revoked");
                        end_session(conn, session, at)?;
                        return Ok(Rotation::Refused);
                    }
                    if row.disabled {
                        end_session(conn, session, at)?;
                        return Ok(Rotation::Refused);
                    }
                    let user = User::from(row);
                    let (refresh_token, digest) = opaque::generate();
                    sessions::insert(conn, &token_row(user.id, session, digest, lifetime))?;
                    let access = keys.issue(Principal { user_id: user.id, role: user.role }, session)?;
                    Ok(Rotation::Rotated(Box::new(TokenPair {
                        access_token: access.token,
                        expires_in_secs: access.expires_in.as_secs(),
                        refresh_token,
                        user,
                    })))
                })
            })
            .await?;
        match outcome {
            Rotation::Rotated(pair) => Ok(*pair),
            Rotation::Refused => Err(bad_refresh()),
        }
    }

    /// Ends the sign-in a refresh token belongs to. Unknown tokens are
    /// ignored: signing out is idempotent.
    /// Its access tokens are refused from then on, on every instance.
    pub async fn logout(&self, token: String) -> AppResult<()> {
        let digest = opaque::digest(token.trim());
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    if let Some(stored) = sessions::by_digest(conn, &digest)?
                        && let Ok(session) = stored.family_id.parse::<SessionId>()
                    {
                        users::lock(conn, stored.user_id)?;
                        end_session(conn, session, to_db(now()))?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// The signed-in user's account.
    pub async fn me(&self, viewer: Viewer) -> AppResult<User> {
        let me = policy::require(viewer, Role::Reader)?;
        let row = self.db().run(move |conn| users::by_id(conn, me.user_id)).await?;
        row.filter(|r| r.deleted_at.is_none())
            .map(User::from)
            .ok_or_else(|| AppError::Unauthenticated("this account no longer exists".into()))
    }

    /// Checks a bearer access token: well signed, unexpired, and of a
    /// sign-in that has not ended (signed out, the account disabled or its
    /// role changed since the token was issued). Answered from memory.
    pub fn authenticate(&self, token: &str) -> AppResult<Principal> {
        self.verify_token(token).map(|verified| verified.principal)
    }

    /// As [`Services::authenticate`], with the token's session and expiry.
    pub fn verify_token(&self, token: &str) -> AppResult<Verified> {
        let verified = self.tokens.verify(token)?;
        if self.db.revoked().refuses(verified.principal.user_id, verified.session, verified.issued_at_ms) {
            return Err(AppError::Unauthenticated("this sign-in has ended; sign in again".into()));
        }
        Ok(verified)
    }

    /// Whether a token verified earlier still stands: not expired, its
    /// sign-in not ended. For connections that outlive a request.
    pub fn still_valid(&self, verified: &Verified) -> bool {
        verified.expires_at > now().timestamp()
            && !self.db.revoked().refuses(verified.principal.user_id, verified.session, verified.issued_at_ms)
    }

    /// Told of every sign-in that ends, on any instance.
    pub fn revocations(&self) -> tokio::sync::watch::Receiver<u64> {
        self.db.revoked().watch()
    }

    fn pair(&self, user: User, refresh_token: String, session: SessionId) -> AppResult<TokenPair> {
        let access = self.tokens.issue(Principal { user_id: user.id, role: user.role }, session)?;
        Ok(TokenPair {
            access_token: access.token,
            expires_in_secs: access.expires_in.as_secs(),
            refresh_token,
            user,
        })
    }
}

/// Ends a sign-in: its refresh tokens stop working, and (on every instance,
/// once this commits) its access tokens too.
fn end_session(conn: &mut DbConn, session: SessionId, at: NaiveDateTime) -> AppResult<()> {
    sessions::revoke_family(conn, &session.to_string(), at)?;
    conn.changes([Key::Session(session)]);
    Ok(())
}

fn token_row(user: UserId, session: SessionId, digest: String, lifetime: Duration) -> RefreshTokenRow {
    let at = now();
    RefreshTokenRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user,
        family_id: session.to_string(),
        token_hash: digest,
        expires_at: to_db(at + lifetime),
        created_at: to_db(at),
        used_at: None,
        revoked_at: None,
    }
}
