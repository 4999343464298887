//! `/categories`: the sections.

use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get};

use super::problem::Problem;
use super::views::{Category, CategoryList};
use crate::error::AppError;
use crate::service::Services;

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
