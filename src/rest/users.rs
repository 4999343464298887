//! `/users`: account administration.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, patch, post};
use serde::Deserialize;
use utoipa::IntoParams;

use super::bodies::{CreateUserBody, UpdateUserBody};
use super::extract::{Caller, JsonBody};
use super::params::{ParamParser, next_link};
use super::problem::Problem;
use super::views::{User, UserList};
use crate::domain::Role;
use crate::error::AppError;
use crate::service::Services;
use crate::service::accounts::{NewUser, UserPatch};

const PROBLEM: &str = "application/problem+json";

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
    params(UserListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accounts", body = UserList),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Admins only", body = Problem, content_type = PROBLEM),
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
    let mut p = ParamParser::default();
    let limit = p.limit(params.limit.as_deref(), "limit");
    p.finish()?;
    let page = services.list_users(caller.0, limit, params.cursor).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(UserList {
        data: page.items.into_iter().map(User::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get an account
///
/// **Role: admin.**
#[utoipa::path(
    tag = "users",
    params(("id" = uuid::Uuid, Path, description = "The user's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = User),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Admins only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such user", body = Problem, content_type = PROBLEM),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(User::from(services.get_user(caller.0, path.into_inner()).await?)))
}

/// Create an account
///
/// With any role: how admins add staff. **Role: admin.**
#[utoipa::path(
    tag = "users",
    request_body = CreateUserBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new account", body = User),
        (status = 400, description = "Invalid input", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Admins only", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The email is already registered", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/users")]
pub async fn create_user(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<CreateUserBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let role = Role::parse_field(b.role.trim(), "role")?;
    let new =
        NewUser { email: b.email, password: b.password, display_name: b.display_name, bio: b.bio, role };
    let user = services.create_user(caller.0, new).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)))
        .json(User::from(user)))
}

/// Change an account
///
/// Role, disabled flag, name, bio. A role change applies from the user's
/// next token refresh; disabling ends their sessions at once. Admins cannot
/// disable or demote themselves. **Role: admin.**
#[utoipa::path(
    tag = "users",
    request_body = UpdateUserBody,
    params(("id" = uuid::Uuid, Path, description = "The user's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed account", body = User),
        (status = 400, description = "Invalid input", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Admins only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such user", body = Problem, content_type = PROBLEM),
        (status = 409, description = "An admin disabling or demoting themselves", body = Problem, content_type = PROBLEM),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<UpdateUserBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let patch = UserPatch { display_name: b.display_name, bio: b.bio, role: b.role, disabled: b.disabled };
    Ok(HttpResponse::Ok().json(User::from(services.update_user(caller.0, path.into_inner(), patch).await?)))
}
