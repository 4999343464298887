//! `/tags`.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::IntoParams;

use super::bodies::TagBody;
use super::extract::{Caller, JsonBody};
use super::params::{ParamParser, next_link};
use super::problem::Problem;
use super::views::{Tag, TagList};
use crate::error::AppError;
use crate::service::Services;
use crate::service::taxonomy::TagInput;

const PROBLEM: &str = "application/problem+json";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagListParams {
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List tags
///
/// In slug order, a page at a time.
#[utoipa::path(
    tag = "tags",
    params(TagListParams),
    responses(
        (status = 200, description = "A page of tags", body = TagList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tags")]
pub async fn list_tags(
    services: Data<Services>,
    params: Query<TagListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let mut p = ParamParser::default();
    let limit = p.limit(params.limit.as_deref(), "limit");
    p.finish()?;
    let page = services.list_tags(limit, params.cursor).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(TagList {
        data: page.items.into_iter().map(Tag::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get one tag
#[utoipa::path(
    tag = "tags",
    params(("slug" = String, Path, description = "The tag's slug")),
    responses(
        (status = 200, description = "The tag", body = Tag, headers(("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 404, description = "No such tag", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tags/{slug}")]
pub async fn get_tag(services: Data<Services>, path: Path<String>) -> Result<HttpResponse, AppError> {
    let tag = services.get_tag(&path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Tag::from(tag)))
}

/// Create a tag
///
/// **Role: editor or higher.**
#[utoipa::path(
    tag = "tags",
    request_body = TagBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new tag", body = Tag, headers(("Location" = String))),
        (status = 400, description = "Invalid input", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The slug is taken", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/tags")]
pub async fn create_tag(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<TagBody>,
) -> Result<HttpResponse, AppError> {
    let tag = services.create_tag(caller.0, TagInput { slug: body.0.slug, name: body.0.name }).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/tags/{}", tag.slug)))
        .json(Tag::from(tag)))
}

/// Change a tag
///
/// **Role: editor or higher.**
#[utoipa::path(
    tag = "tags",
    request_body = TagBody,
    params(("slug" = String, Path, description = "The tag's slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed tag", body = Tag),
        (status = 400, description = "Invalid input", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such tag", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The slug is taken", body = Problem, content_type = PROBLEM),
    )
)]
#[patch("/tags/{slug}")]
pub async fn update_tag(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<TagBody>,
) -> Result<HttpResponse, AppError> {
    let patch = TagInput { slug: body.0.slug, name: body.0.name };
    Ok(HttpResponse::Ok().json(Tag::from(services.update_tag(caller.0, path.into_inner(), patch).await?)))
}

/// Delete a tag
///
/// Articles that carried it simply lose it. **Role: editor or higher.**
#[utoipa::path(
    tag = "tags",
    params(("slug" = String, Path, description = "The tag's slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such tag", body = Problem, content_type = PROBLEM),
    )
)]
#[delete("/tags/{slug}")]
pub async fn delete_tag(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.delete_tag(caller.0, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
