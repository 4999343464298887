//! `GET /media/{sha256}/{file}`: an image file. Names are content
//! addresses (a file never changes under its name), so caches may keep them
//! for a year without asking again.

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get};

use crate::error::AppError;
use crate::http::cache::etag_matches;
use crate::rest::problem::Problem;
use crate::service::Services;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Get an image file
///
/// `original.{ext}` is the stored master; renditions are named
/// `{width}.{ext}` or `{width}-{crop}-f{x}-{y}.{ext}` (as listed in an
/// item's `renditions`) and made on first request. Public.
#[utoipa::path(
    tag = "media",
    params(
        ("sha256" = String, Path, description = "The item's `sha256`"),
        ("file" = String, Path, description = "`original.jpg`, `640.webp`, `1024-16x9-f500-500.jpg`…"),
        ("If-None-Match" = Option<String>, Header, description = "The file's ETag: answered 304"),
    ),
    security(()),
    responses(
        (status = 200, description = "The image", content(
            (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"), (Vec<u8> = "image/gif")),
            headers(("ETag" = String), ("Cache-Control" = String, description = "`public, max-age=31536000, immutable`"))),
        (status = 304, description = "Not modified", headers(("ETag" = String))),
        (status = 404, description = "No such image or rendition", body = Problem),
        (status = 503, description = "The media store does not answer", body = Problem,
            headers(("Retry-After" = String))),
    )
)]
#[get("/media/{sha256}/{file}")]
pub async fn serve_file(
    services: Data<Services>,
    path: Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (sha256, file) = path.into_inner();
    // The name is the content: so is its ETag.
    let etag = format!("\"{sha256}/{file}\"");
    let etag = HeaderValue::from_str(&etag).map_err(|_| AppError::NotFound("image"))?;
    let immutable = |mut response: actix_web::HttpResponseBuilder| {
        response
            .insert_header((header::ETAG, etag.clone()))
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")));
        response
    };
    // A copy the caller holds of this name is current for good: no read.
    if req.headers().get(header::IF_NONE_MATCH).is_some_and(|wanted| etag_matches(wanted, &etag)) {
        return Ok(immutable(HttpResponse::NotModified()).finish());
    }
    let found = services.media_file(&sha256, &file).await?;
    Ok(immutable(HttpResponse::Ok()).content_type(found.format.content_type()).body(found.bytes))
}
