//! `/articles/{id_or_slug}/comments`: reader comment threads.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get};
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::{ParamParser, next_link};
use super::problem::Problem;
use super::views::{Comment, CommentList};
use crate::domain::Viewer;
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
    let page = services.list_comments(Viewer::Anonymous, path.into_inner(), request).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(CommentList {
        data: page.items.into_iter().map(Comment::from).collect(),
        next_cursor: page.next_cursor,
    }))
}
