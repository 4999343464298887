//! `/collections`: named, ordered lists of articles kept by editors (a home
//! page's top stories), read by everyone.

mod views;

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put};
use serde::Deserialize;
use utoipa::ToSchema;

pub use self::views::{Collection, CollectionList};
use super::params::IfNoneMatch;
use super::problem::Problem;
use super::responses::{BadBody, Conditional, EditorsOnly, Versioned};
use super::versions::{if_match, required_if_match, versioned_json};
use crate::domain::collection::{self as domain, ItemLimit, item_list};
use crate::domain::field::{AllValid, FieldError, Invalid, Named, optional};
use crate::domain::site::Site;
use crate::domain::text::{Description, Name};
use crate::domain::{ArticleId, Slug, SlugChoice};
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::collections::{CollectionPatch, NewCollection};

/// A new collection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCollectionBody {
    /// Derived from the name when absent; a slug in use is a 409.
    #[schema(example = "top-stories")]
    pub slug: Option<String>,
    /// 1 to 80 characters.
    #[schema(example = "Top stories")]
    pub name: String,
    /// Up to 500 characters.
    pub description: Option<String>,
    /// The most articles it may hold: 1 to 100, 20 when absent.
    #[schema(minimum = 1, maximum = 100)]
    pub max_items: Option<i64>,
}

impl TryFrom<CreateCollectionBody> for NewCollection {
    type Error = Invalid;

    fn try_from(b: CreateCollectionBody) -> Result<Self, Invalid> {
        let (slug, name, description, max_items) = (
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            Name::parse(&b.name, "name"),
            Description::parse(b.description.as_deref().unwrap_or(""), "description"),
            b.max_items.map(|n| ItemLimit::parse(n, "max_items")).transpose(),
        )
            .all_valid()?;
        Ok(Self {
            slug: SlugChoice::new(slug, name.as_str(), "name")?,
            name,
            description,
            max_items: max_items.unwrap_or_default(),
        })
    }
}

/// Changes to a collection's own fields: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCollectionBody {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// 1 to 100, and no fewer than it holds.
    #[schema(minimum = 1, maximum = 100)]
    pub max_items: Option<i64>,
}

impl TryFrom<UpdateCollectionBody> for CollectionPatch {
    type Error = Invalid;

    fn try_from(b: UpdateCollectionBody) -> Result<Self, Invalid> {
        let (slug, name, description, max_items) = (
            optional(b.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(b.name.as_deref(), |n| Name::parse(n, "name")),
            optional(b.description.as_deref(), |d| Description::parse(d, "description")),
            b.max_items.map(|n| ItemLimit::parse(n, "max_items")).transpose(),
        )
            .all_valid()?;
        Ok(Self { slug, name, description, max_items: max_items.map(|m| Named::new(m, "max_items")) })
    }
}

/// A collection's whole list of articles, in order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionItemsBody {
    /// Article ids, each once, at most the collection's `max_items`; any
    /// status (readers see those published). `[]` empties it.
    pub article_ids: Vec<uuid::Uuid>,
}

fn items_of(body: CollectionItemsBody) -> Result<Named<Vec<ArticleId>>, FieldError> {
    let ids = item_list(body.article_ids.into_iter().map(ArticleId::from), "article_ids")?;
    Ok(Named::new(ids, "article_ids"))
}

/// A collection, with an ETag carrying its version (which `If-Match` takes back).
fn collection_response(
    status: StatusCode,
    collection: domain::Collection,
    site: &Site,
) -> Result<HttpResponse, AppError> {
    let view = Collection::new(collection, site);
    versioned_json(status, view.version, &view, || format!("/api/v1/collections/{}", view.slug))
}

/// List collections
///
/// Every collection with its articles, in slug order: a home screen's
/// curated lists in one request. Readers see the published articles only;
/// editors every one.
#[utoipa::path(
    tag = "collections",
    params(IfNoneMatch),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every collection", body = CollectionList, headers(("ETag" = String))),
        Conditional,
    )
)]
#[get("/collections")]
pub async fn list_collections(services: Data<Services>, caller: Caller) -> Result<HttpResponse, AppError> {
    let all = services.list_collections(caller.0).await?;
    let site = services.site();
    Ok(HttpResponse::Ok()
        .json(CollectionList { data: all.into_iter().map(|c| Collection::new(c, site)).collect() }))
}

/// Get one collection
///
/// Its articles in its order; readers see the published ones only.
#[utoipa::path(
    tag = "collections",
    params(("slug" = String, Path, description = "The collection's slug"), IfNoneMatch),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The collection", body = Collection, headers(("ETag" = String))),
        Conditional,
        (status = 404, description = "No such collection", body = Problem),
    )
)]
#[get("/collections/{slug}")]
pub async fn get_collection(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let collection = services.get_collection(caller.0, &path.into_inner()).await?;
    collection_response(StatusCode::OK, collection, services.site())
}

/// Create a collection
///
/// Empty; fill it with `PUT /api/v1/collections/{slug}/items`. **Role:
/// editor or higher.**
#[utoipa::path(
    tag = "collections",
    request_body = CreateCollectionBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new collection", body = Collection,
            headers(("Location" = String), ("ETag" = String))),
        BadBody,
        EditorsOnly,
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[post("/collections")]
pub async fn create_collection(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<CreateCollectionBody>,
) -> Result<HttpResponse, AppError> {
    let collection = services.create_collection(caller.0, body.0.try_into()?).await?;
    collection_response(StatusCode::CREATED, collection, services.site())
}

/// Change a collection's fields
///
/// `If-Match` is optional and checked when sent. **Role: editor or higher.**
#[utoipa::path(
    tag = "collections",
    request_body = UpdateCollectionBody,
    params(
        ("slug" = String, Path, description = "The collection's slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version: `\"4\"` or the ETag from a GET"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The collection", body = Collection, headers(("ETag" = String))),
        Versioned,
        BadBody,
        EditorsOnly,
        (status = 404, description = "No such collection", body = Problem),
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[patch("/collections/{slug}")]
pub async fn update_collection(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
    body: JsonBody<UpdateCollectionBody>,
) -> Result<HttpResponse, AppError> {
    let version = if_match(&req)?;
    let patch = body.0.try_into()?;
    let collection = services.update_collection(caller.0, &path.into_inner(), version, patch).await?;
    collection_response(StatusCode::OK, collection, services.site())
}

/// Order a collection
///
/// Replaces its whole list with `article_ids`, in that order: inserting,
/// moving and removing are all one write of the list as it should be.
/// `If-Match` is required: a list changed by someone else meanwhile is a
/// 412, never overwritten. Subscribers of `collectionChanged` hear of it.
/// **Role: editor or higher.**
#[utoipa::path(
    tag = "collections",
    request_body = CollectionItemsBody,
    params(
        ("slug" = String, Path, description = "The collection's slug"),
        ("If-Match" = String, Header, description = "The version being changed: `\"4\"` or the ETag from a GET"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The collection as it now is", body = Collection, headers(("ETag" = String))),
        Versioned,
        BadBody,
        EditorsOnly,
        (status = 404, description = "No such collection", body = Problem),
        (status = 409, description = "A listed article was deleted meanwhile", body = Problem),
        (status = 428, description = "`If-Match` is missing (or `*`)", body = Problem),
    )
)]
#[put("/collections/{slug}/items")]
pub async fn set_collection_items(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
    body: JsonBody<CollectionItemsBody>,
) -> Result<HttpResponse, AppError> {
    let version = required_if_match(&req, "the collection")?;
    let ids = items_of(body.0)?;
    let collection = services.set_collection_items(caller.0, &path.into_inner(), version, ids).await?;
    collection_response(StatusCode::OK, collection, services.site())
}

/// Delete a collection
///
/// Its articles stay as they are. `If-Match` is optional and checked when
/// sent. **Role: editor or higher.**
#[utoipa::path(
    tag = "collections",
    params(
        ("slug" = String, Path, description = "The collection's slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        Versioned,
        EditorsOnly,
        (status = 404, description = "No such collection", body = Problem),
    )
)]
#[delete("/collections/{slug}")]
pub async fn delete_collection(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    services.delete_collection(caller.0, &path.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
