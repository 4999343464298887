//! `/tags`.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{self, IfNoneMatch, next_link};
use super::problem::Problem;
use super::responses::{BadBody, BadParameters, Conditional, EditorsOnly};
use super::views::{Tag, TagList};
use crate::domain::field::{AllValid, FieldError, Invalid, optional};
use crate::domain::page::{CursorKind, KeyCursor};
use crate::domain::text::Name;
use crate::domain::{Slug, SlugChoice};
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::tags::{NewTag, TagPatch};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagBody {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    #[schema(example = "Energy")]
    pub name: Option<String>,
}

impl TryFrom<TagBody> for NewTag {
    type Error = Invalid;

    fn try_from(b: TagBody) -> Result<Self, Invalid> {
        let (slug, name) = (
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            match b.name.as_deref() {
                Some(name) => Name::parse(name, "name"),
                None => Err(FieldError::new("name", "is required")),
            },
        )
            .all_valid()?;
        Ok(Self { slug: SlugChoice::new(slug, name.as_str(), "name")?, name })
    }
}

impl TryFrom<TagBody> for TagPatch {
    type Error = Invalid;

    fn try_from(b: TagBody) -> Result<Self, Invalid> {
        let (slug, name) = (
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(b.name.as_deref(), |n| Name::parse(n, "name")),
        )
            .all_valid()?;
        Ok(Self { slug, name })
    }
}

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
    params(TagListParams, IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "A page of tags", body = TagList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
    )
)]
#[get("/tags")]
pub async fn list_tags(
    services: Data<Services>,
    params: Query<TagListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let (limit, after) = (
        params::limit(params.limit.as_deref(), "limit"),
        optional(params.cursor.as_deref(), |c| KeyCursor::decode(CursorKind::Tags, c, "cursor")),
    )
        .all_valid()?;
    let page = services.list_tags(limit, after).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(TagList {
        data: page.items.into_iter().map(|t| Tag::new(t, services.site())).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get one tag
#[utoipa::path(
    tag = "tags",
    params(("slug" = String, Path, description = "The tag's slug"), IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "The tag", body = Tag, headers(("ETag" = String))),
        Conditional,
        (status = 404, description = "No such tag", body = Problem),
    )
)]
#[get("/tags/{slug}")]
pub async fn get_tag(services: Data<Services>, path: Path<String>) -> Result<HttpResponse, AppError> {
    let tag = services.get_tag(&path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Tag::new(tag, services.site())))
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
        BadBody,
        EditorsOnly,
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[post("/tags")]
pub async fn create_tag(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<TagBody>,
) -> Result<HttpResponse, AppError> {
    let tag = services.create_tag(caller.0, body.0.try_into()?).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/tags/{}", tag.slug)))
        .json(Tag::new(tag, services.site())))
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
        BadBody,
        EditorsOnly,
        (status = 404, description = "No such tag", body = Problem),
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[patch("/tags/{slug}")]
pub async fn update_tag(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<TagBody>,
) -> Result<HttpResponse, AppError> {
    let patch = body.0.try_into()?;
    Ok(HttpResponse::Ok()
        .json(Tag::new(services.update_tag(caller.0, &path.into_inner(), patch).await?, services.site())))
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
        EditorsOnly,
        (status = 404, description = "No such tag", body = Problem),
    )
)]
#[delete("/tags/{slug}")]
pub async fn delete_tag(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.delete_tag(caller.0, &path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
