//! `/auth`: sign up, sign in, refresh, sign out; `/me`.

use actix_web::web::Data;
use actix_web::{HttpResponse, get, post};
use serde::Deserialize;
use utoipa::ToSchema;

use super::params::IfNoneMatch;
use super::problem::Problem;
use super::responses::{BadBody, Conditional, SignedIn};
use super::views::{Registration, Session, User};
use crate::domain::Email;
use crate::domain::field::{AllValid, Invalid};
use crate::domain::text::DisplayName;
use crate::domain::user::NewPassword;
use crate::error::AppError;
use crate::http::extract::{Caller, ClientIp, JsonBody};
use crate::service::Services;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    #[schema(example = "ana@example.org")]
    pub email: String,
    /// 10 to 256 characters.
    #[schema(example = "correct horse battery")]
    pub password: String,
    #[schema(example = "Ana Ruiz")]
    pub display_name: String,
}

impl TryFrom<RegisterBody> for crate::service::sessions::Registration {
    type Error = Invalid;

    fn try_from(b: RegisterBody) -> Result<Self, Invalid> {
        let (email, password, display_name) = (
            Email::parse(&b.email, "email"),
            NewPassword::parse(&b.password, "password"),
            DisplayName::parse(&b.display_name, "display_name"),
        )
            .all_valid()?;
        Ok(Self { email, password, display_name })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    #[schema(example = "ana@example.org")]
    pub email: String,
    #[schema(example = "correct horse battery")]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetBody {
    /// The token an admin issued.
    pub token: String,
    /// 10 to 256 characters.
    #[schema(example = "staple battery horse correct")]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    pub refresh_token: String,
}

/// Sign up
///
/// Creates a reader account (readers may comment), then sign in with it.
/// The answer is the same, in the same time, whether or not the email was
/// registered already (an existing account is left unchanged): the answer
/// itself never says which addresses have accounts. Limited per client
/// address.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterBody,
    security(()),
    responses(
        (status = 202, description = "Accepted: the address has an account now", body = Registration),
        BadBody,
        (status = 429, description = "Too many sign-ups from this address", body = Problem,
            headers(("Retry-After" = u64))),
    )
)]
#[post("/auth/register")]
pub async fn register(
    services: Data<Services>,
    ip: ClientIp,
    body: JsonBody<RegisterBody>,
) -> Result<HttpResponse, AppError> {
    let email = services.register(ip.0, body.0.try_into()?).await?;
    Ok(HttpResponse::Accepted().insert_header(("Cache-Control", "no-store")).json(Registration::from(email)))
}

/// Sign in
///
/// Exchanges an email and password for an access token and a refresh token.
/// A failure never says whether the email exists. Limited per client address.
#[utoipa::path(
    tag = "auth",
    request_body = LoginBody,
    security(()),
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 400, description = "Malformed body", body = Problem),
        (status = 401, description = "Wrong email or password", body = Problem),
        (status = 403, description = "The account is disabled", body = Problem),
        (status = 429, description = "Too many attempts from this address", body = Problem,
            headers(("Retry-After" = u64))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    services: Data<Services>,
    ip: ClientIp,
    body: JsonBody<LoginBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let pair = services.login(ip.0, b.email, b.password).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Session::new(pair, services.site())))
}

/// Refresh
///
/// Exchanges a refresh token for a new pair. The token presented stops
/// working; presenting it again ends the whole sign-in (it must have leaked).
/// The new access token carries the account's current role.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshBody,
    security(()),
    responses(
        (status = 200, description = "A new pair", body = Session),
        (status = 400, description = "Malformed body", body = Problem),
        (status = 401, description = "Unknown, used, revoked or expired token", body = Problem),
        (status = 429, description = "Too many refreshes from this address", body = Problem,
            headers(("Retry-After" = u64))),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    services: Data<Services>,
    ip: ClientIp,
    body: JsonBody<RefreshBody>,
) -> Result<HttpResponse, AppError> {
    let pair = services.refresh(ip.0, body.0.refresh_token).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Session::new(pair, services.site())))
}

/// Sign out
///
/// Ends the sign-in the refresh token belongs to. Idempotent.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshBody,
    security(()),
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Malformed body", body = Problem),
    )
)]
#[post("/auth/logout")]
pub async fn logout(services: Data<Services>, body: JsonBody<RefreshBody>) -> Result<HttpResponse, AppError> {
    services.logout(body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Reset a password
///
/// Sets a new password with a token from a password-reset link (see `POST
/// /api/v1/users/{id}/password-reset`). The token works once and for 24
/// hours; every sign-in of the account ends. A disabled account stays
/// disabled. Limited per client address, as signing in is.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetBody,
    security(()),
    responses(
        (status = 204, description = "The new password is set; sign in with it"),
        (status = 400, description = "The token is unknown, used, replaced or expired, or `new_password` is not 10 to 256 characters", body = Problem),
        (status = 413, description = "Body too large", body = Problem),
        (status = 429, description = "Too many attempts from this address", body = Problem,
            headers(("Retry-After" = u64))),
    )
)]
#[post("/auth/password-reset")]
pub async fn reset_password(
    services: Data<Services>,
    ip: ClientIp,
    body: JsonBody<PasswordResetBody>,
) -> Result<HttpResponse, AppError> {
    let PasswordResetBody { token, new_password } = body.0;
    let new = NewPassword::parse(&new_password, "new_password").map_err(Invalid::from)?;
    services.reset_password(ip.0, token, new).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who am I
///
/// The signed-in account.
#[utoipa::path(
    tag = "auth",
    params(IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = User, headers(("ETag" = String))),
        Conditional,
        SignedIn,
    )
)]
#[get("/me")]
pub async fn me(services: Data<Services>, caller: Caller) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(User::new(services.me(caller.0).await?, services.site())))
}
