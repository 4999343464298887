//! `/articles/{id_or_slug}/comments`: reader comment threads.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{self, IfNoneMatch, next_link};
use super::problem::Problem;
use super::responses::{BadBody, BadParameters, Conditional, EditorsOnly, SignedIn, TooLarge};
use super::views::{Comment, CommentList};
use crate::domain::CommentId;
use crate::domain::field::{AllValid, Invalid, Named, optional};
use crate::domain::page::{CursorKind, TimeCursor};
use crate::domain::text::CommentText;
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::comments::{CommentQuery, NewComment};

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

impl TryFrom<CommentListParams> for CommentQuery {
    type Error = Invalid;

    fn try_from(p: CommentListParams) -> Result<Self, Invalid> {
        let (parent, limit, after) = (
            optional(p.parent.as_deref(), |id| CommentId::parse_field(id, "parent")),
            params::limit(p.limit.as_deref(), "limit"),
            optional(p.cursor.as_deref(), |c| TimeCursor::decode(CursorKind::Comments, c, "cursor")),
        )
            .all_valid()?;
        Ok(Self { parent, limit, after })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommentBody {
    /// Plain text, 1 to 2,000 characters; markup is shown as typed.
    #[schema(example = "Good to see the cap finally agreed.")]
    pub body: String,
    /// Reply to this comment (on the same article).
    pub parent_id: Option<uuid::Uuid>,
}

impl TryFrom<CreateCommentBody> for NewComment {
    type Error = Invalid;

    fn try_from(b: CreateCommentBody) -> Result<Self, Invalid> {
        let body = CommentText::parse(&b.body, "body")?;
        Ok(Self { body, parent: b.parent_id.map(|id| Named::new(CommentId::from(id), "parent_id")) })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditCommentBody {
    pub body: String,
}

/// List an article's comments
///
/// The top-level comments, oldest first, each with its `reply_count`; with
/// `parent`, that comment's replies. A deleted comment stays in place as a
/// tombstone (`status: "deleted"`, no body, no author).
#[utoipa::path(
    tag = "comments",
    params(("id_or_slug" = String, Path, description = "The article's id or slug"), CommentListParams, IfNoneMatch),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of comments", body = CommentList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
        (status = 404, description = "No such article or parent comment", body = Problem),
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
    let query = CommentQuery::try_from(params.into_inner())?;
    let page = services.list_comments(caller.0, path.into_inner(), query).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(CommentList {
        data: page.items.into_iter().map(Comment::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Post a comment
///
/// On a published article; with `parent_id`, a reply. Limited per user.
/// On a `premoderated` article a reader's comment comes back `held`: only
/// editors see it until one approves it (`POST /api/v1/comments/{id}/approve`),
/// so its `Location` answers 404 to its author meanwhile. Staff and
/// `trusted` accounts are never held. **Role: any signed-in user.**
#[utoipa::path(
    tag = "comments",
    request_body = CreateCommentBody,
    params(("id_or_slug" = String, Path, description = "The article's id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new comment", body = Comment, headers(("Location" = String))),
        (status = 400, description = "Invalid input, or no such parent on this article", body = Problem),
        TooLarge,
        SignedIn,
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "The article is not published, its comments are closed \
                                       (`comments_mode: closed`), or the parent was removed", body = Problem),
        (status = 429, description = "Commenting too fast", body = Problem, headers(("Retry-After" = u64))),
    )
)]
#[post("/articles/{id_or_slug}/comments")]
pub async fn create_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<CreateCommentBody>,
) -> Result<HttpResponse, AppError> {
    let comment = services.post_comment(caller.0, path.into_inner(), body.0.try_into()?).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/comments/{}", comment.id)))
        .json(Comment::from(comment)))
}

/// Get a comment
#[utoipa::path(
    tag = "comments",
    params(("id" = uuid::Uuid, Path, description = "The comment's id"), IfNoneMatch),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The comment", body = Comment, headers(("ETag" = String))),
        Conditional,
        (status = 404, description = "No such comment, or not visible to the caller", body = Problem),
    )
)]
#[get("/comments/{id}")]
pub async fn get_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(Comment::from(services.get_comment(caller.0, &path.into_inner()).await?)))
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
        BadBody,
        SignedIn,
        (status = 403, description = "Not the comment's author", body = Problem),
        (status = 404, description = "No such comment", body = Problem),
        (status = 409, description = "The comment was removed (`current_status`)", body = Problem),
    )
)]
#[patch("/comments/{id}")]
pub async fn edit_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<EditCommentBody>,
) -> Result<HttpResponse, AppError> {
    let text = CommentText::parse(&body.0.body, "body")?;
    Ok(HttpResponse::Ok()
        .json(Comment::from(services.edit_comment(caller.0, &path.into_inner(), text).await?)))
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
        SignedIn,
        (status = 403, description = "Not the comment's author", body = Problem),
        (status = 404, description = "No such comment", body = Problem),
        (status = 409, description = "Already deleted", body = Problem),
    )
)]
#[delete("/comments/{id}")]
pub async fn delete_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.delete_comment(caller.0, &path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hide a comment
///
/// Moderation: only editors see it afterwards. Hiding a `held` comment
/// rejects it; hiding closes the comment's open reports, so either way it
/// leaves the moderation queue. **Role: editor or higher.**
#[utoipa::path(
    tag = "comments",
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The hidden comment", body = Comment),
        EditorsOnly,
        (status = 404, description = "No such comment", body = Problem),
        (status = 409, description = "Neither visible nor held (`current_status`)", body = Problem),
    )
)]
#[post("/comments/{id}/hide")]
pub async fn hide_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .json(Comment::from(services.moderate_comment(caller.0, &path.into_inner(), true).await?)))
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
        EditorsOnly,
        (status = 404, description = "No such comment", body = Problem),
        (status = 409, description = "Not hidden (`current_status`)", body = Problem),
    )
)]
#[post("/comments/{id}/unhide")]
pub async fn unhide_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .json(Comment::from(services.moderate_comment(caller.0, &path.into_inner(), false).await?)))
}
