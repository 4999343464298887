//! Signing up, signing in, token rotation, signing out.

use std::net::IpAddr;
use std::sync::LazyLock;

use chrono::Duration;

use super::Services;
use super::accounts::NewUser;
use crate::auth::{password, refresh};
use crate::db::models::RefreshTokenRow;
use crate::db::repo::{sessions, users};
use crate::domain::text::{Bio, DisplayName};
use crate::domain::time::{now, to_db};
use crate::domain::user::{NewPassword, User};
use crate::domain::{Email, Principal, Role, UserId, Viewer, policy};
use crate::error::{AppError, AppResult};

/// A reader signing up.
#[derive(Debug, Clone)]
pub struct Registration {
    pub email: Email,
    pub password: NewPassword,
    pub display_name: DisplayName,
}

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
    /// Creates a reader account.
    pub async fn register(&self, ip: IpAddr, registration: Registration) -> AppResult<User> {
        self.limits.register(ip)?;
        let Registration { email, password, display_name } = registration;
        self.create_user_unchecked(NewUser {
            email,
            password,
            display_name,
            bio: Bio::empty(),
            role: Role::Reader,
        })
        .await
    }

    /// Exchanges an email and password for tokens. Failures never say which
    /// of the two was wrong.
    pub async fn login(&self, ip: IpAddr, email: String, password_text: String) -> AppResult<TokenPair> {
        self.limits.login(ip)?;
        let email = Email::parse(&email, "email").map_err(|_| bad_credentials())?;
        let row = self.db().run(move |conn| users::by_email(conn, &email)).await?;
        let hash = row.as_ref().map_or_else(|| DECOY_HASH.clone(), |r| r.password_hash.clone());
        let matches = self.hashing(move || Ok(password::verify(&password_text, &hash))).await?;
        let Some(row) = row.filter(|_| matches) else {
            return Err(bad_credentials());
        };
        if row.disabled {
            return Err(AppError::Forbidden("this account is disabled".into()));
        }
        let user = User::from(row);
        let family = uuid::Uuid::now_v7().to_string();
        let refresh_token = self.store_refresh_token(user.id, family).await?;
        self.pair(user, refresh_token)
    }

    /// Rotates a refresh token: the presented one stops working and a new
    /// pair is issued with the account's current role. Presenting a token
    /// that was already rotated means it leaked: the whole sign-in is revoked.
    pub async fn refresh(&self, ip: IpAddr, token: String) -> AppResult<TokenPair> {
        self.limits.refresh(ip)?;
        let digest = refresh::digest(token.trim());
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
                    let at = to_db(now());
                    if stored.revoked_at.is_some() || stored.expires_at <= at {
                        return Ok(Rotation::Refused);
                    }
                    if stored.used_at.is_some() || !sessions::mark_used(conn, &stored.id, at)? {
                        tracing::warn!(family = %stored.family_id, "refresh token replayed; sign-in revoked");
                        sessions::revoke_family(conn, &stored.family_id, at)?;
                        return Ok(Rotation::Refused);
                    }
                    let Some(row) = users::by_id(conn, stored.user_id)? else {
                        return Ok(Rotation::Refused);
                    };
                    if row.disabled {
                        sessions::revoke_family(conn, &stored.family_id, at)?;
                        return Ok(Rotation::Refused);
                    }
                    let user = User::from(row);
                    let (refresh_token, digest) = refresh::generate();
                    sessions::insert(conn, &token_row(user.id, stored.family_id, digest, lifetime))?;
                    let access = keys.issue(Principal { user_id: user.id, role: user.role })?;
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
    pub async fn logout(&self, token: String) -> AppResult<()> {
        let digest = refresh::digest(token.trim());
        self.db()
            .run(move |conn| {
                if let Some(stored) = sessions::by_digest(conn, &digest)? {
                    sessions::revoke_family(conn, &stored.family_id, to_db(now()))?;
                }
                Ok(())
            })
            .await
    }

    /// The signed-in user's account.
    pub async fn me(&self, viewer: Viewer) -> AppResult<User> {
        let me = policy::require(viewer, Role::Reader)?;
        let row = self.db().run(move |conn| users::by_id(conn, me.user_id)).await?;
        row.map(User::from).ok_or_else(|| AppError::Unauthenticated("this account no longer exists".into()))
    }

    /// Checks a bearer access token.
    pub fn authenticate(&self, token: &str) -> AppResult<Principal> {
        self.tokens.verify(token)
    }

    async fn store_refresh_token(&self, user: UserId, family: String) -> AppResult<String> {
        let (token, digest) = refresh::generate();
        let row = token_row(user, family, digest, self.refresh_lifetime);
        self.db().run(move |conn| sessions::insert(conn, &row)).await?;
        Ok(token)
    }

    fn pair(&self, user: User, refresh_token: String) -> AppResult<TokenPair> {
        let access = self.tokens.issue(Principal { user_id: user.id, role: user.role })?;
        Ok(TokenPair {
            access_token: access.token,
            expires_in_secs: access.expires_in.as_secs(),
            refresh_token,
            user,
        })
    }
}

fn token_row(user: UserId, family: String, digest: String, lifetime: Duration) -> RefreshTokenRow {
    let at = now();
    RefreshTokenRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user,
        family_id: family,
        token_hash: digest,
        expires_at: to_db(at + lifetime),
        created_at: to_db(at),
        used_at: None,
        revoked_at: None,
    }
}
