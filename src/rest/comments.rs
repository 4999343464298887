//! `/articles/{id_or_slug}/comments`: reader comment threads.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::IntoParams;

use super::bodies::{CreateCommentBody, EditCommentBody};
use super::extract::{Caller, JsonBody};
use super::params::{ParamParser, next_link};
use super::problem::Problem;
use super::views::{Comment, CommentList};
use crate::error::AppError;
use crate::service::Services;
use crate::service::comments::CommentListRequest;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentListParams {
    /// List this comment's replies instead of the top level.
    #[param(value_type = Option<uuid::Uuid>)]
    parent: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List an article's comments
///
/// The top-level comments, oldest first, each with its `reply_count`; with
/// `parent`, that comment's replies. A deleted comment stays in place as a
/// tombstone (`status: "deleted"`, no body, no author).
#[utoipa::path(
    tag = "comments",
    params(("id_or_slug" = String, Path, description = "The article's id or slug"), CommentListParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of comments", body = CommentList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article or parent comment", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{id_or_slug}/comments")]
pub async fn list_comments(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    params: Query<CommentListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let mut p = ParamParser::default();
    let request = CommentListRequest {
        limit: p.limit(params.limit.as_deref(), "limit"),
        parent: params.parent,
        cursor: params.cursor,
    };
    p.finish()?;
    let page = services.list_comments(caller.0, path.into_inner(), request).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(CommentList {
        data: page.items.into_iter().map(Comment::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

const PROBLEM: &str = "application/problem+json";

/// Post a comment
///
/// On a published article; with `parent_id`, a reply. Limited per user.
/// **Role: any signed-in user.**
#[utoipa::path(
    tag = "comments",
    request_body = CreateCommentBody,
    params(("id_or_slug" = String, Path, description = "The article's id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new comment", body = Comment, headers(("Location" = String))),
        (status = 400, description = "Invalid input, or no such parent on this article", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The article is not published, or the parent was removed", body = Problem, content_type = PROBLEM),
        (status = 429, description = "Commenting too fast", body = Problem, content_type = PROBLEM, headers(("Retry-After" = u64))),
    )
)]
#[post("/articles/{id_or_slug}/comments")]
pub async fn create_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<CreateCommentBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let comment = services
        .post_comment(caller.0, path.into_inner(), b.body, b.parent_id.map(|p| p.to_string()))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/comments/{}", comment.id)))
        .json(Comment::from(comment)))
}

/// Get a comment
#[utoipa::path(
    tag = "comments",
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The comment", body = Comment, headers(("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 404, description = "No such comment, or not visible to the caller", body = Problem, content_type = PROBLEM),
    )
)]
#[get("/comments/{id}")]
pub async fn get_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(Comment::from(services.get_comment(caller.0, path.into_inner()).await?)))
}

/// Edit a comment
///
/// **Role: the comment's author.**
#[utoipa::path(
    tag = "comments",
    request_body = EditCommentBody,
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The edited comment", body = Comment),
        (status = 400, description = "Invalid input", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Not the comment's author", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such comment", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The comment was removed (`current_status`)", body = Problem, content_type = PROBLEM),
    )
)]
#[patch("/comments/{id}")]
pub async fn edit_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<EditCommentBody>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .json(Comment::from(services.edit_comment(caller.0, path.into_inner(), body.0.body).await?)))
}

/// Delete a comment
///
/// It stays in the thread as a tombstone, so replies keep their place.
/// **Role: the comment's author.**
#[utoipa::path(
    tag = "comments",
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Not the comment's author", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such comment", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Already deleted", body = Problem, content_type = PROBLEM),
    )
)]
#[delete("/comments/{id}")]
pub async fn delete_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.delete_comment(caller.0, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hide a comment
///
/// Moderation: only editors see it afterwards. **Role: editor or higher.**
#[utoipa::path(
    tag = "comments",
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The hidden comment", body = Comment),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such comment", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Not visible (`current_status`)", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/comments/{id}/hide")]
pub async fn hide_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .json(Comment::from(services.moderate_comment(caller.0, path.into_inner(), true).await?)))
}

/// Unhide a comment
///
/// **Role: editor or higher.**
#[utoipa::path(
    tag = "comments",
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The visible comment", body = Comment),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such comment", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Not hidden (`current_status`)", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/comments/{id}/unhide")]
pub async fn unhide_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .json(Comment::from(services.moderate_comment(caller.0, path.into_inner(), false).await?)))
}
