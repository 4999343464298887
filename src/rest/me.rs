//! `/me`: the signed-in user's own account: profile, password, their data,
//! and deleting it.

use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::ToSchema;

use super::problem::Problem;
use super::responses::{BadBody, SignedIn};
use super::views::{AccountExport, User};
use crate::domain::account::ProfilePatch;
use crate::domain::field::{AllValid, Invalid, optional};
use crate::domain::text::{Bio, DisplayName};
use crate::domain::user::NewPassword;
use crate::error::AppError;
use crate::http::extract::{Caller, CallerSignIn, ClientIp, JsonBody};
use crate::service::Services;

/// Changes to one's profile: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProfileBody {
    #[schema(example = "Ana Ruiz")]
    pub display_name: Option<String>,
    #[schema(example = "Reads the science pages.")]
    pub bio: Option<String>,
}

impl TryFrom<UpdateProfileBody> for ProfilePatch {
    type Error = Invalid;

    fn try_from(b: UpdateProfileBody) -> Result<Self, Invalid> {
        let (display_name, bio) = (
            optional(b.display_name.as_deref(), |n| DisplayName::parse(n, "display_name")),
            optional(b.bio.as_deref(), |bio| Bio::parse(bio, "bio")),
        )
            .all_valid()?;
        Ok(Self { display_name, bio })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordBody {
    #[schema(example = "correct horse battery")]
    pub current_password: String,
    /// 10 to 256 characters.
    #[schema(example = "staple battery horse correct")]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountBody {
    /// The account's current password.
    #[schema(example = "correct horse battery")]
    pub password: String,
}

/// Edit my profile
///
/// Display name and bio; a new name shows on the user's comments (and a
/// staff member's bylines) at once. `{}` changes nothing. Each change
/// counts against the user's comment limit. **Role: any signed-in user.**
#[utoipa::path(
    tag = "auth",
    request_body = UpdateProfileBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed account", body = User),
        BadBody,
        SignedIn,
        (status = 429, description = "Changing too fast (counted with comments)", body = Problem,
            headers(("Retry-After" = u64))),
    )
)]
#[patch("/me")]
pub async fn update_me(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<UpdateProfileBody>,
) -> Result<HttpResponse, AppError> {
    let patch = body.0.try_into()?;
    Ok(HttpResponse::Ok().json(User::new(services.update_profile(caller.0, patch).await?, services.site())))
}

/// Change my password
///
/// Needs the current password. Every other sign-in of the account ends at
/// once, on every instance: their refresh tokens stop working and their
/// access tokens are refused. The sign-in making the request goes on.
/// Limited per client address, as signing in is. **Role: any signed-in
/// user.**
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordBody,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; the other sign-ins have ended"),
        (status = 400, description = "`current_password` is wrong, or `new_password` is not 10 to 256 characters", body = Problem),
        (status = 409, description = "The password changed meanwhile", body = Problem),
        (status = 413, description = "Body too large", body = Problem),
        (status = 429, description = "Too many attempts from this address", body = Problem,
            headers(("Retry-After" = u64))),
        SignedIn,
    )
)]
#[post("/me/password")]
pub async fn change_password(
    services: Data<Services>,
    caller: CallerSignIn,
    ip: ClientIp,
    body: JsonBody<ChangePasswordBody>,
) -> Result<HttpResponse, AppError> {
    let ChangePasswordBody { current_password, new_password } = body.0;
    let new = NewPassword::parse(&new_password, "new_password").map_err(Invalid::from)?;
    services.change_password(ip.0, caller.viewer, caller.session, current_password, new).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Download my data
///
/// Everything kept about the signed-in user, as one JSON document (served
/// as an attachment, never stored: no ETag): the account, every comment
/// they wrote in any state, and every report they filed. **Role: any
/// signed-in user.**
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user's data", body = AccountExport,
            headers(("Cache-Control" = String, description = "`private, no-store`"),
                    ("Content-Disposition" = String, description = "`attachment; filename=\"newsdesk-account-{id}.json\"`"))),
        SignedIn,
    )
)]
#[get("/me/export")]
pub async fn export_me(services: Data<Services>, caller: Caller) -> Result<HttpResponse, AppError> {
    let export = services.export_account(caller.0).await?;
    let file = format!("attachment; filename=\"newsdesk-account-{}.json\"", export.account.id);
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::CONTENT_DISPOSITION, file))
        .json(AccountExport::new(export, services.site())))
}

/// Delete my account
///
/// Needs the current password. The user's comments stay in their threads
/// as tombstones (no text, no author), the notes on their reports are
/// erased, and the account keeps nothing personal and cannot sign in; every
/// sign-in ends at once. Staff accounts are closed by an admin instead
/// (403). Limited per client address, as signing in is. **Role: reader.**
#[utoipa::path(
    tag = "auth",
    request_body = DeleteAccountBody,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "`password` is wrong", body = Problem),
        (status = 403, description = "A staff account", body = Problem),
        (status = 409, description = "The password changed meanwhile", body = Problem),
        (status = 413, description = "Body too large", body = Problem),
        (status = 429, description = "Too many attempts from this address", body = Problem,
            headers(("Retry-After" = u64))),
        SignedIn,
    )
)]
#[delete("/me")]
pub async fn delete_me(
    services: Data<Services>,
    caller: Caller,
    ip: ClientIp,
    body: JsonBody<DeleteAccountBody>,
) -> Result<HttpResponse, AppError> {
    services.delete_account(ip.0, caller.0, body.0.password).await?;
    Ok(HttpResponse::NoContent().finish())
}
