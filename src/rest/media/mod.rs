//! `/media`: the media library (upload, browse, edit, delete), and
//! `/media/{sha256}/{file}`: the image files themselves.

mod files;
mod upload;
pub mod views;

pub use files::serve_file;

use actix_web::http::header;
use actix_web::web::{Data, Path, Payload, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{self, IfNoneMatch, next_link};
use super::patch::double_option;
use super::problem::Problem;
use super::responses::{AuthorsAndUp, BadBody, BadParameters, Conditional};
use crate::domain::MediaId;
use crate::domain::field::{AllValid, FieldError, Invalid, optional};
use crate::domain::filters::SearchText;
use crate::domain::media::FocalPoint;
use crate::domain::page::{CursorKind, TimeCursor};
use crate::domain::text::{AltText, Caption, Credit, License};
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::media::{MediaPatch, MediaQuery};
use views::{Media, MediaList, MediaUsage, MediaUse};

/// The multipart form of an upload (documentation only: read part by part).
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "describes the multipart body for OpenAPI")]
pub struct UploadForm {
    /// The image: JPEG, PNG, WebP or GIF (its first frame), recognised by its bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Read out in the image's place; required before an article with it as cover is published.
    alt_text: Option<String>,
    caption: Option<String>,
    /// Photographer or agency.
    credit: Option<String>,
    license: Option<String>,
    /// Where crops are centred, 0 (left) to 1 (right); with `focal_y`.
    focal_x: Option<f64>,
    /// 0 (top) to 1 (bottom); with `focal_x`.
    focal_y: Option<f64>,
}

/// Upload an image
///
/// The image is recognised by its bytes (JPEG, PNG, WebP, GIF), its EXIF
/// orientation applied and every metadata block (EXIF, GPS, XMP, ICC,
/// comments) removed before it is stored. The same file uploaded again
/// answers `200` with the item it made. **Role: author or higher.**
#[utoipa::path(
    tag = "media",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new item", body = Media, headers(("Location" = String))),
        (status = 200, description = "The same file was uploaded before: its item, as it is (the fields sent are not applied)", body = Media,
            headers(("Location" = String))),
        (status = 400, description = "A field is invalid, or the image is corrupt, truncated or has too many pixels", body = Problem),
        (status = 413, description = "The file is larger than the upload limit", body = Problem),
        (status = 415, description = "Not a JPEG, PNG, WebP or GIF image, or not multipart/form-data", body = Problem),
        AuthorsAndUp,
    )
)]
#[post("/media")]
pub async fn upload_media(
    services: Data<Services>,
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, AppError> {
    // Refused before the body is read: a reader's upload costs nothing.
    services.may_upload_media(caller.0)?;
    let (file, fields) = upload::read(&req, payload, services.media_upload_limit()).await?;
    let (item, created) = services.upload_media(caller.0, file, fields).await?;
    let location = format!("/api/v1/media/{}", item.id);
    let mut response = if created { HttpResponse::Created() } else { HttpResponse::Ok() };
    Ok(response.insert_header((header::LOCATION, location)).json(Media::from(item)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MediaListParams {
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Words to find in captions, credits and alt text (up to 200 characters).
    #[param(max_length = 200)]
    q: Option<String>,
}

/// List the media library
///
/// Newest first, a page at a time. **Role: author or higher.**
#[utoipa::path(
    tag = "media",
    params(MediaListParams, IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the library", body = MediaList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
        AuthorsAndUp,
    )
)]
#[get("/media")]
pub async fn list_media(
    services: Data<Services>,
    caller: Caller,
    params: Query<MediaListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let (limit, after, search) = (
        params::limit(params.limit.as_deref(), "limit"),
        optional(params.cursor.as_deref(), |c| TimeCursor::decode(CursorKind::Media, c, "cursor")),
        params.q.as_deref().map_or(Ok(None), |q| SearchText::parse(q, "q")),
    )
        .all_valid()?;
    let page = services.list_media(caller.0, MediaQuery { limit, after, search }).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(MediaList {
        data: page.items.into_iter().map(Media::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

fn media_id(raw: &str) -> Result<MediaId, AppError> {
    MediaId::parse_field(raw, "id").map_err(|_| AppError::NotFound("media item"))
}

/// Get one media item
///
/// **Role: author or higher.**
#[utoipa::path(
    tag = "media",
    params(("id" = Uuid, Path, description = "The item's id"), IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The item", body = Media, headers(("ETag" = String))),
        Conditional,
        AuthorsAndUp,
        (status = 404, description = "No such item", body = Problem),
    )
)]
#[get("/media/{id}")]
pub async fn get_media(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let item = services.get_media(caller.0, media_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(Media::from(item)))
}

/// Which articles use a media item
///
/// As cover or in the body, by title: those the caller may read, and how
/// many others. **Role: author or higher.**
#[utoipa::path(
    tag = "media",
    params(("id" = Uuid, Path, description = "The item's id"), IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The articles", body = MediaUsage, headers(("ETag" = String))),
        Conditional,
        AuthorsAndUp,
        (status = 404, description = "No such item", body = Problem),
    )
)]
#[get("/media/{id}/usage")]
pub async fn media_usage(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let (users, others) = services.media_used_by(caller.0, media_id(&path)?).await?;
    let data = users
        .into_iter()
        .map(|u| MediaUse { id: u.id.uuid(), slug: u.slug, title: u.title, status: u.status })
        .collect();
    Ok(HttpResponse::Ok().json(MediaUsage { data, others }))
}

/// Changes to an item's editorial fields: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaPatchBody {
    /// `null` or `""` removes it (refused while a published article's cover is the image).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub alt_text: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub caption: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub credit: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub license: Option<Option<String>>,
    /// Where crops are centred.
    pub focal_point: Option<FocalPointBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocalPointBody {
    /// 0 (left) to 1 (right).
    pub x: f64,
    /// 0 (top) to 1 (bottom).
    pub y: f64,
}

impl TryFrom<MediaPatchBody> for MediaPatch {
    type Error = Invalid;

    fn try_from(b: MediaPatchBody) -> Result<Self, Invalid> {
        // `null` clears a text: the same as "".
        fn text<T>(
            raw: Option<Option<String>>,
            parse: impl FnOnce(&str) -> Result<T, FieldError>,
        ) -> Result<Option<T>, FieldError> {
            raw.map(|v| parse(v.as_deref().unwrap_or(""))).transpose()
        }
        let (alt_text, caption, credit, license) = (
            text(b.alt_text, |v| AltText::parse(v, "alt_text")),
            text(b.caption, |v| Caption::parse(v, "caption")),
            text(b.credit, |v| Credit::parse(v, "credit")),
            text(b.license, |v| License::parse(v, "license")),
        )
            .all_valid()?;
        let focal = b
            .focal_point
            .map(|f| FocalPoint::parse(f.x, f.y, "focal_point.x", "focal_point.y"))
            .transpose()
            .map_err(Invalid)?;
        Ok(Self { alt_text, caption, credit, license, focal })
    }
}

/// Change a media item's editorial fields
///
/// Articles with the image as cover show the change at once; moving the
/// focal point gives the crops new URLs. **Role: the uploader, or an editor.**
#[utoipa::path(
    tag = "media",
    request_body = MediaPatchBody,
    params(("id" = Uuid, Path, description = "The item's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed item", body = Media),
        BadBody,
        AuthorsAndUp,
        (status = 404, description = "No such item", body = Problem),
        (status = 409, description = "Alt text cannot be removed from a published article's cover (`errors` names it)", body = Problem),
    )
)]
#[patch("/media/{id}")]
pub async fn update_media(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<MediaPatchBody>,
) -> Result<HttpResponse, AppError> {
    let id = media_id(&path)?;
    let patch = body.0.try_into()?;
    Ok(HttpResponse::Ok().json(Media::from(services.update_media(caller.0, id, patch).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteMediaParams {
    /// Delete even if articles use it, taking it off them (editors only).
    #[param(value_type = Option<bool>)]
    force: Option<String>,
}

/// Delete a media item
///
/// Refused (`409`, naming the articles) while an article uses it, unless
/// `force=true`. **Role: the uploader, or an editor; `force`: editors.**
#[utoipa::path(
    tag = "media",
    params(("id" = Uuid, Path, description = "The item's id"), DeleteMediaParams),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted, with its files"),
        BadParameters,
        AuthorsAndUp,
        (status = 404, description = "No such item", body = Problem),
        (status = 409, description = "Articles use it (named in `detail`)", body = Problem),
    )
)]
#[delete("/media/{id}")]
pub async fn delete_media(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    params: Query<DeleteMediaParams>,
) -> Result<HttpResponse, AppError> {
    let id = media_id(&path)?;
    let force = params::flag(params.force.as_deref(), "force")?.unwrap_or(false);
    services.delete_media(caller.0, id, force).await?;
    Ok(HttpResponse::NoContent().finish())
}
