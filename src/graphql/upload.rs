//! `POST /graphql` as `multipart/form-data`: the GraphQL multipart request
//! (operations, map, files), how `uploadMedia` receives its file. The caller
//! must be allowed to upload before a byte of the body is read, and the
//! body is read only up to the upload limit.

use actix_web::http::header;
use actix_web::web::{BytesMut, Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::http::{MultipartOptions, receive_body};
use futures_util::StreamExt;

use super::Schemas;
use super::http::{Endpoint, JSON, app_error, execute, response_type, varies_on_accept};
use super::persisted::PersistedQueries;
use crate::error::AppError;
use crate::http::cache::HttpCache;
use crate::http::extract::{ClientIp, caller, declared_length};
use crate::service::Services;
use crate::service::media::too_large;

/// Room beyond the file for the `operations` and `map` parts.
const OPERATIONS_BYTES: u64 = 64 * 1024;

/// Whether a request is a multipart one (for the route's guard).
pub fn is_multipart(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    crate::http::extract::is_multipart(ctx.head().headers())
}

/// `POST /graphql` with `multipart/form-data`.
pub async fn post(
    schemas: Data<Schemas>,
    persisted: Data<PersistedQueries>,
    services: Data<Services>,
    cache: Data<HttpCache>,
    req: HttpRequest,
    ip: ClientIp,
    payload: Payload,
) -> HttpResponse {
    let media = response_type(&req).unwrap_or(JSON);
    let allowed = caller(&req).and_then(|viewer| services.may_upload_media(viewer));
    if let Err(error) = allowed {
        return varies_on_accept(app_error(&error, media));
    }
    let max_file = services.media_upload_limit();
    let body = match read_capped(&req, payload, max_file.saturating_add(OPERATIONS_BYTES)).await {
        Ok(body) => body,
        Err(error) => return varies_on_accept(app_error(&error, media)),
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let options = MultipartOptions::default()
        .max_file_size(usize::try_from(max_file).unwrap_or(usize::MAX))
        .max_num_files(1);
    let request = match receive_body(content_type, futures_util::io::Cursor::new(body), options).await {
        Ok(request) => request,
        Err(async_graphql::ParseRequestError::PayloadTooLarge) => {
            return varies_on_accept(app_error(&too_large(max_file), media));
        }
        Err(error) => {
            let error = AppError::BadRequest(format!("malformed GraphQL multipart request: {error}"));
            return varies_on_accept(app_error(&error, media));
        }
    };
    let endpoint = Endpoint { schemas: &schemas, persisted: &persisted, services: &services, cache: &cache };
    varies_on_accept(execute(endpoint, &req, ip, request, None).await)
}

/// The whole body, refused with 413 past `max` bytes (declared or sent).
async fn read_capped(req: &HttpRequest, mut payload: Payload, max: u64) -> Result<BytesMut, AppError> {
    let too_large = || {
        AppError::PayloadTooLarge(format!("the request is larger than the {max} bytes an upload may have"))
    };
    if declared_length(req.headers()).is_some_and(|length| length > max) {
        return Err(too_large());
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::BadRequest(format!("the request body could not be read: {e}")))?;
        if (body.len() + chunk.len()) as u64 > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
