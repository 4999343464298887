use async_graphql::{ID, SimpleObject};

use super::time::Timestamp;
use crate::domain::Role;
use crate::domain::article::Byline;
use crate::domain::user::User;

/// An account, as its owner and admins see it.
#[derive(SimpleObject)]
#[graphql(name = "User")]
pub struct UserObject {
    pub id: ID,
    pub email: String,
    pub display_name: String,
    pub bio: String,
    pub role: Role,
    /// A disabled account cannot sign in or refresh its tokens.
    pub disabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl From<User> for UserObject {
    fn from(u: User) -> Self {
        Self {
            id: u.id.into(),
            email: u.email.as_str().to_owned(),
            display_name: u.display_name,
            bio: u.bio,
            role: u.role,
            disabled: u.disabled,
            created_at: Timestamp(u.created_at),
            updated_at: Timestamp(u.updated_at),
        }
    }
}

/// A person credited on an article or comment: public, no contact details.
#[derive(SimpleObject)]
#[graphql(name = "Byline")]
pub struct BylineObject {
    pub id: ID,
    pub display_name: String,
}

impl From<Byline> for BylineObject {
    fn from(b: Byline) -> Self {
        Self { id: b.id.into(), display_name: b.display_name }
    }
}

/// Tokens for a signed-in session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    pub access_token: String,
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Exchange with `refreshToken` for a new pair; works once.
    pub refresh_token: String,
    pub user: UserObject,
}

impl From<crate::service::sessions::TokenPair> for AuthPayload {
    fn from(pair: crate::service::sessions::TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            token_type: "Bearer".to_owned(),
            expires_in: pair.expires_in_secs,
            refresh_token: pair.refresh_token,
            user: pair.user.into(),
        }
    }
}
