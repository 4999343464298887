//! `/users`: account administration.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, patch, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{self, IfNoneMatch, next_link};
use super::problem::Problem;
use super::responses::{AdminsOnly, BadBody, BadParameters, Conditional};
use super::views::{PasswordReset, User, UserList};
use crate::domain::field::{AllValid, Invalid, optional};
use crate::domain::page::{CursorKind, KeyCursor};
use crate::domain::text::{Bio, DisplayName};
use crate::domain::user::NewPassword;
use crate::domain::{Email, Role, Vocabulary};
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::accounts::{NewUser, UserPatch};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserBody {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub bio: Option<String>,
    #[schema(value_type = Role)]
    pub role: String,
}

impl TryFrom<CreateUserBody> for NewUser {
    type Error = Invalid;

    fn try_from(b: CreateUserBody) -> Result<Self, Invalid> {
        let (email, password, display_name, bio, role) = (
            Email::parse(&b.email, "email"),
            NewPassword::parse(&b.password, "password"),
            DisplayName::parse(&b.display_name, "display_name"),
            b.bio.as_deref().map_or(Ok(Bio::empty()), |bio| Bio::parse(bio, "bio")),
            Role::parse_field(&b.role, "role"),
        )
            .all_valid()?;
        Ok(Self { email, password, display_name, bio, role })
    }
}

/// Changes to an account: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserBody {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    #[schema(value_type = Option<Role>)]
    pub role: Option<String>,
    /// A disabled account's sessions end at once.
    pub disabled: Option<bool>,
    /// A trusted account's comments skip pre-moderation.
    pub trusted: Option<bool>,
}

impl TryFrom<UpdateUserBody> for UserPatch {
    type Error = Invalid;

    fn try_from(b: UpdateUserBody) -> Result<Self, Invalid> {
        let (display_name, bio, role) = (
            optional(b.display_name.as_deref(), |n| DisplayName::parse(n, "display_name")),
            optional(b.bio.as_deref(), |bio| Bio::parse(bio, "bio")),
            optional(b.role.as_deref(), |r| Role::parse_field(r, "role")),
        )
            .all_valid()?;
        Ok(Self { display_name, bio, role, disabled: b.disabled, trusted: b.trusted })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List accounts
///
/// Oldest first. **Role: admin.**
#[utoipa::path(
    tag = "users",
    params(UserListParams, IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accounts", body = UserList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
        AdminsOnly,
    )
)]
#[get("/users")]
pub async fn list_users(
    services: Data<Services>,
    caller: Caller,
    params: Query<UserListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let (limit, after) = (
        params::limit(params.limit.as_deref(), "limit"),
        optional(params.cursor.as_deref(), |c| KeyCursor::decode(CursorKind::Users, c, "cursor")),
    )
        .all_valid()?;
    let page = services.list_users(caller.0, limit, after).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(UserList {
        data: page.items.into_iter().map(|u| User::new(u, services.site())).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get an account
///
/// **Role: admin.**
#[utoipa::path(
    tag = "users",
    params(("id" = uuid::Uuid, Path, description = "The user's id"), IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = User, headers(("ETag" = String))),
        Conditional,
        AdminsOnly,
        (status = 404, description = "No such user", body = Problem),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .json(User::new(services.get_user(caller.0, &path.into_inner()).await?, services.site())))
}

/// Create an account
///
/// With any role: how admins add staff. **Role: admin.**
#[utoipa::path(
    tag = "users",
    request_body = CreateUserBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new account", body = User, headers(("Location" = String))),
        BadBody,
        AdminsOnly,
        (status = 409, description = "The email is already registered", body = Problem),
    )
)]
#[post("/users")]
pub async fn create_user(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<CreateUserBody>,
) -> Result<HttpResponse, AppError> {
    let user = services.create_user(caller.0, body.0.try_into()?).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)))
        .json(User::new(user, services.site())))
}

/// Change an account
///
/// Role, disabled flag, trusted mark, name, bio. A role change applies from the user's
/// next token refresh; disabling ends their sessions at once. Admins cannot
/// disable or demote themselves. **Role: admin.**
#[utoipa::path(
    tag = "users",
    request_body = UpdateUserBody,
    params(("id" = uuid::Uuid, Path, description = "The user's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed account", body = User),
        BadBody,
        AdminsOnly,
        (status = 404, description = "No such user", body = Problem),
        (status = 409, description = "An admin disabling or demoting themselves", body = Problem),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<UpdateUserBody>,
) -> Result<HttpResponse, AppError> {
    let patch = body.0.try_into()?;
    Ok(HttpResponse::Ok()
        .json(User::new(services.update_user(caller.0, &path.into_inner(), patch).await?, services.site())))
}

/// Issue a password-reset link
///
/// A one-time token that sets a new password for the account, valid for 24
/// hours, shown this once: hand it to the account's owner, who sends it
/// with a new password to `POST /api/v1/auth/password-reset`. Issuing one
/// replaces the account's earlier links. **Role: admin.**
#[utoipa::path(
    tag = "users",
    params(("id" = uuid::Uuid, Path, description = "The user's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The link's token", body = PasswordReset,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        AdminsOnly,
        (status = 404, description = "No such user", body = Problem),
    )
)]
#[post("/users/{id}/password-reset")]
pub async fn issue_password_reset(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let reset = services.issue_password_reset(caller.0, &path.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(PasswordReset::from(reset)))
}
