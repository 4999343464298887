//! `/categories`: the sections.

use actix_web::http::header;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, delete, get, patch, post};

use super::bodies::{CreateCategoryBody, UpdateCategoryBody};
use super::extract::{Caller, JsonBody};
use super::problem::Problem;
use super::views::{Category, CategoryList};
use crate::error::AppError;
use crate::service::Services;
use crate::service::taxonomy::{CategoryPatch, NewCategory};

const PROBLEM: &str = "application/problem+json";

/// List sections
///
/// Every section, in tree order: each parent followed by its sub-sections,
/// siblings by position. Not paginated.
#[utoipa::path(
    tag = "categories",
    responses(
        (status = 200, description = "All sections", body = CategoryList, headers(("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
    )
)]
#[get("/categories")]
pub async fn list_categories(services: Data<Services>) -> Result<HttpResponse, AppError> {
    let categories = services.list_categories().await?;
    Ok(HttpResponse::Ok().json(CategoryList { data: categories.into_iter().map(Category::from).collect() }))
}

/// Get one section
#[utoipa::path(
    tag = "categories",
    params(("slug" = String, Path, description = "The section's slug")),
    responses(
        (status = 200, description = "The section", body = Category, headers(("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories/{slug}")]
pub async fn get_category(services: Data<Services>, path: Path<String>) -> Result<HttpResponse, AppError> {
    let category = services.get_category(&path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Category::from(category)))
}

/// Create a section
///
/// **Role: editor or higher.**
#[utoipa::path(
    tag = "categories",
    request_body = CreateCategoryBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new section", body = Category, headers(("Location" = String))),
        (status = 400, description = "Invalid input, or no such parent", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The slug is taken", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/categories")]
pub async fn create_category(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<CreateCategoryBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let new = NewCategory {
        slug: b.slug,
        name: b.name,
        description: b.description,
        parent: b.parent,
        position: b.position,
    };
    let category = services.create_category(caller.0, new).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/categories/{}", category.slug)))
        .json(Category::from(category)))
}

/// Change a section
///
/// Rename, re-describe, reorder or move it (`parent`); a section cannot move
/// under itself or its own sub-sections. **Role: editor or higher.**
#[utoipa::path(
    tag = "categories",
    request_body = UpdateCategoryBody,
    params(("slug" = String, Path, description = "The section's slug or id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed section", body = Category),
        (status = 400, description = "Invalid input, no such parent, or a cycle", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such section", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The slug is taken", body = Problem, content_type = PROBLEM),
    )
)]
#[patch("/categories/{slug}")]
pub async fn update_category(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<UpdateCategoryBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let patch = CategoryPatch {
        slug: b.slug,
        name: b.name,
        description: b.description,
        parent: b.parent,
        position: b.position,
    };
    Ok(HttpResponse::Ok()
        .json(Category::from(services.update_category(caller.0, path.into_inner(), patch).await?)))
}

/// Delete a section
///
/// Refused with 409 while articles are filed under it or it has
/// sub-sections: move those first. **Role: editor or higher.**
#[utoipa::path(
    tag = "categories",
    params(("slug" = String, Path, description = "The section's slug or id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such section", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Still in use", body = Problem, content_type = PROBLEM),
    )
)]
#[delete("/categories/{slug}")]
pub async fn delete_category(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.delete_category(caller.0, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
