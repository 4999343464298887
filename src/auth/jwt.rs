//! Access tokens: short-lived JWTs signed with HS256, the one algorithm
//! accepted. `exp`, `iat`, `iss`, `aud` and `sub` are all required and
//! checked; an `iat` from the future (beyond the clock-skew leeway) is
//! refused too. `sid` names the sign-in the token belongs to, so that
//! ending the sign-in refuses its tokens (tokens of the release before it
//! have none, and are refused by account only, until they expire); `iat_ms`
//! is `iat` to the millisecond.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::domain::time::now;
use crate::domain::{Principal, Role, SessionId, UserId};
use crate::error::AppError;

pub const ISSUER: &str = "newsdesk";
pub const AUDIENCE: &str = "newsdesk-api";
/// Clock skew tolerated between instances, in seconds.
const LEEWAY_SECS: u64 = 30;
/// Shortest signing key accepted: HS256 keys should carry 256 bits.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: String,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    /// `iat` to the millisecond: a token issued a moment after its account
    /// changed is told from one issued a moment before (`iat` stays whole
    /// seconds, as every JWT library reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iat_ms: Option<i64>,
}

/// What a valid token proves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verified {
    pub principal: Principal,
    /// The sign-in it belongs to (none in tokens of earlier releases).
    pub session: Option<SessionId>,
    /// When it was issued, in milliseconds since the epoch (to the second).
    pub issued_at_ms: i64,
    /// When it expires, in seconds since the epoch.
    pub expires_at: i64,
}

/// Signs and verifies access tokens. Built once at start-up.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: Duration,
}

/// An access token and its lifetime.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: String,
    pub expires_in: Duration,
}

impl TokenKeys {
    pub fn new(secret: &[u8], lifetime: Duration) -> anyhow::Result<Self> {
        if secret.len() < MIN_SECRET_BYTES {
            anyhow::bail!("the JWT secret must be at least {MIN_SECRET_BYTES} bytes");
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry by this instance's clock, as open WebSockets are closed by
        // it; the leeway is for `iat`, which another instance stamped.
        validation.leeway = 0;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            lifetime,
        })
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A token proving `principal`, for its sign-in `session`.
    pub fn issue(&self, principal: Principal, session: SessionId) -> Result<AccessToken, AppError> {
        let at = now();
        let iat = at.timestamp();
        let claims = Claims {
            sub: principal.user_id.to_string(),
            role: principal.role.as_str().to_owned(),
            iat,
            exp: iat + i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX / 2),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sid: Some(session.to_string()),
            iat_ms: Some(at.timestamp_millis()),
        };
        let token =
            encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)?;
        Ok(AccessToken { token, expires_in: self.lifetime })
    }

    /// What a token proves, or `Unauthenticated` saying why not.
    pub fn verify(&self, token: &str) -> Result<Verified, AppError> {
        let invalid = |why: &str| AppError::Unauthenticated(format!("invalid access token: {why}"));
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::ExpiredSignature => invalid("expired"),
                K::InvalidAlgorithm => invalid("algorithm not accepted"),
                K::InvalidSignature => invalid("bad signature"),
                K::InvalidAudience => invalid("wrong audience"),
                K::InvalidIssuer => invalid("wrong issuer"),
                K::MissingRequiredClaim(claim) => invalid(&format!("missing `{claim}`")),
                _ => invalid("malformed"),
            }
        })?;
        let claims = data.claims;
        if claims.iat > now().timestamp() + LEEWAY_SECS as i64 {
            return Err(invalid("issued in the future"));
        }
        let user_id: UserId = claims.sub.parse().map_err(|_| invalid("malformed subject"))?;
        let role: Role = claims.role.parse().map_err(|()| invalid("unknown role"))?;
        let session = match claims.sid {
            Some(sid) => Some(sid.parse::<SessionId>().map_err(|_| invalid("malformed session"))?),
            None => None,
        };
        Ok(Verified {
            principal: Principal { user_id, role },
            session,
            // Within the second `iat` names, or that second's start.
            issued_at_ms: claims
                .iat_ms
                .filter(|ms| ms.div_euclid(1_000) == claims.iat)
                .unwrap_or_else(|| claims.iat.saturating_mul(1_000)),
            expires_at: claims.exp,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn keys() -> TokenKeys {
        TokenKeys::new(SECRET, Duration::from_secs(600)).unwrap()
    }

    fn principal() -> Principal {
        Principal { user_id: UserId::generate(), role: Role::Editor }
    }

    fn forge(claims: serde_json::Value, secret: &[u8]) -> String {
        encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret)).unwrap()
    }

    fn claims(overrides: serde_json::Value) -> serde_json::Value {
        let now = now().timestamp();
        let mut base = serde_json::json!({
            "sub": UserId::generate().to_string(), "role": "editor", "iat": now, "exp": now + 600,
            "iss": ISSUER, "aud": AUDIENCE, "sid": SessionId::generate().to_string(),
        });
        for (k, v) in overrides.as_object().unwrap() {
            if v.is_null() {
                base.as_object_mut().unwrap().remove(k);
            } else {
                base[k] = v.clone();
            }
        }
        base
    }

    #[test]
    fn round_trips() {
        let (p, session) = (principal(), SessionId::generate());
        let before = now().timestamp_millis();
        let verified = keys().verify(&keys().issue(p, session).unwrap().token).unwrap();
        assert_eq!((verified.principal, verified.session), (p, Some(session)));
        assert!((before..=now().timestamp_millis()).contains(&verified.issued_at_ms), "to the millisecond");
        let earlier_release =
            keys().verify(&forge(claims(serde_json::json!({"sid": null})), SECRET)).unwrap();
        assert_eq!(earlier_release.session, None, "tokens without `sid` name no sign-in");
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(TokenKeys::new(b"short", Duration::from_secs(60)).is_err());
    }

    #[test]
    fn refuses_every_bad_token() {
        let now = now().timestamp();
        let bad = [
            forge(claims(serde_json::json!({"exp": now - 3600, "iat": now - 7200})), SECRET),
            forge(claims(serde_json::json!({})), b"another-secret-another-secret-xx"),
            forge(claims(serde_json::json!({"aud": "someone-else"})), SECRET),
            forge(claims(serde_json::json!({"iss": "someone-else"})), SECRET),
            forge(claims(serde_json::json!({"iat": now + 3600})), SECRET),
            forge(claims(serde_json::json!({"aud": null})), SECRET),
            forge(claims(serde_json::json!({"exp": null})), SECRET),
            forge(claims(serde_json::json!({"role": "root"})), SECRET),
            forge(claims(serde_json::json!({"sub": "42"})), SECRET),
            forge(claims(serde_json::json!({"sid": "not-a-session"})), SECRET),
            forge(claims(serde_json::json!({"iat": "yesterday"})), SECRET),
            forge(claims(serde_json::json!({"exp": now - 1})), SECRET),
            "not.a.token".to_owned(),
            String::new(),
        ];
        for token in bad {
            let error = keys().verify(&token).unwrap_err();
            assert!(matches!(error, AppError::Unauthenticated(_)), "{token}: {error:?}");
        }
    }

    #[test]
    fn refuses_alg_none() {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims(serde_json::json!({})).to_string());
        for token in [format!("{header}.{body}."), format!("{header}.{body}")] {
            assert!(keys().verify(&token).is_err());
        }
    }
}
