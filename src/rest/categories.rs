//! `/categories`: the sections.

use actix_web::http::header;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::ToSchema;

use super::params::IfNoneMatch;
use super::patch::double_option;
use super::problem::Problem;
use super::redirect::moved_permanently;
use super::responses::{BadBody, Conditional, EditorsOnly};
use super::views::{Category, CategoryList};
use crate::domain::field::{AllValid, Invalid, Named, optional};
use crate::domain::taxonomy::{Position, SectionKey};
use crate::domain::text::{Description, Name};
use crate::domain::{Slug, SlugChoice};
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::sections::{CategoryPatch, NewCategory};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategoryBody {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    #[schema(example = "Europe")]
    pub name: String,
    pub description: Option<String>,
    /// The parent section's slug or id; top level when absent.
    #[schema(example = "world")]
    pub parent: Option<String>,
    /// Order among siblings (0-9999); after the last one when absent.
    #[schema(minimum = 0, maximum = 9999)]
    pub position: Option<i32>,
}

impl TryFrom<CreateCategoryBody> for NewCategory {
    type Error = Invalid;

    fn try_from(b: CreateCategoryBody) -> Result<Self, Invalid> {
        let (slug, name, description, parent, position) = (
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            Name::parse(&b.name, "name"),
            b.description
                .as_deref()
                .map_or(Ok(Description::empty()), |d| Description::parse(d, "description")),
            optional(b.parent.as_deref(), |p| SectionKey::parse_field(p, "parent")),
            b.position.map(|p| Position::parse(p, "position")).transpose(),
        )
            .all_valid()?;
        Ok(Self {
            slug: SlugChoice::new(slug, name.as_str(), "name")?,
            name,
            description,
            parent: parent.map(|p| Named::new(p, "parent")),
            position,
        })
    }
}

/// Changes to a section: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategoryBody {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// Move under this section (slug or id); `null` moves to the top level.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub parent: Option<Option<String>>,
    /// Order among siblings (0-9999).
    #[schema(minimum = 0, maximum = 9999)]
    pub position: Option<i32>,
}

impl TryFrom<UpdateCategoryBody> for CategoryPatch {
    type Error = Invalid;

    fn try_from(b: UpdateCategoryBody) -> Result<Self, Invalid> {
        let parent =
            b.parent.map(|parent| optional(parent.as_deref(), |p| SectionKey::parse_field(p, "parent")));
        let (slug, name, description, parent, position) = (
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(b.name.as_deref(), |n| Name::parse(n, "name")),
            optional(b.description.as_deref(), |d| Description::parse(d, "description")),
            parent.transpose(),
            b.position.map(|p| Position::parse(p, "position")).transpose(),
        )
            .all_valid()?;
        Ok(Self {
            slug,
            name,
            description,
            parent: parent.map(|p| p.map(|key| Named::new(key, "parent"))),
            position,
        })
    }
}

/// List sections
///
/// Every section, in tree order: each parent followed by its sub-sections,
/// siblings by position. Not paginated.
#[utoipa::path(
    tag = "categories",
    params(IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "All sections", body = CategoryList, headers(("ETag" = String))),
        Conditional,
    )
)]
#[get("/categories")]
pub async fn list_categories(services: Data<Services>) -> Result<HttpResponse, AppError> {
    let categories = services.list_categories().await?;
    Ok(HttpResponse::Ok().json(CategoryList {
        data: categories.into_iter().map(|c| Category::new(c, services.site())).collect(),
    }))
}

/// Get one section
#[utoipa::path(
    tag = "categories",
    params(("slug" = String, Path, description = "The section's slug"), IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "The section", body = Category, headers(("ETag" = String))),
        Conditional,
        (status = 301, description = "A slug the section had before: `Location` is its current address",
            headers(("Location" = String, description = "`/api/v1/categories/{current slug}`"), ("Cache-Control" = String, description = "Public for a few minutes to anonymous callers"), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        (status = 404, description = "No such section", body = Problem),
    )
)]
#[get("/categories/{slug}")]
pub async fn get_category(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let asked = path.into_inner();
    let category = services.get_category(&asked).await?;
    if category.slug != asked.trim().to_lowercase() {
        let location = format!("/api/v1/categories/{}", category.slug);
        return Ok(moved_permanently(location, "all sections", caller.0));
    }
    Ok(HttpResponse::Ok().json(Category::new(category, services.site())))
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
        BadBody,
        EditorsOnly,
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[post("/categories")]
pub async fn create_category(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<CreateCategoryBody>,
) -> Result<HttpResponse, AppError> {
    let category = services.create_category(caller.0, body.0.try_into()?).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/categories/{}", category.slug)))
        .json(Category::new(category, services.site())))
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
        BadBody,
        EditorsOnly,
        (status = 404, description = "No such section", body = Problem),
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[patch("/categories/{slug}")]
pub async fn update_category(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<UpdateCategoryBody>,
) -> Result<HttpResponse, AppError> {
    let patch = body.0.try_into()?;
    Ok(HttpResponse::Ok().json(Category::new(
        services.update_category(caller.0, &path.into_inner(), patch).await?,
        services.site(),
    )))
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
        EditorsOnly,
        (status = 404, description = "No such section", body = Problem),
        (status = 409, description = "Still in use", body = Problem),
    )
)]
#[delete("/categories/{slug}")]
pub async fn delete_category(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.delete_category(caller.0, &path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
