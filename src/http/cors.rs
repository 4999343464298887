//! Cross-origin requests from browsers: which origins may call the API, and
//! refusals as problem+json like every other error.

use actix_cors::{Cors, CorsError};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{ResponseError, http};

use super::rate_limit_headers;
use crate::error::AppError;

/// The CORS policy for `origins` (`*` for any), none when empty.
pub fn cors(origins: &[String]) -> Cors {
    let base = Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"])
        .allowed_headers([
            http::header::AUTHORIZATION,
            http::header::CONTENT_TYPE,
            http::header::IF_MATCH,
            http::header::IF_NONE_MATCH,
        ])
        .expose_headers([
            http::header::ETAG,
            http::header::LINK,
            http::header::LOCATION,
            http::header::RETRY_AFTER,
            http::header::HeaderName::from_static("x-request-id"),
            rate_limit_headers::LIMIT,
            rate_limit_headers::REMAINING,
            rate_limit_headers::RESET,
        ])
        .max_age(3600);
    if origins.iter().any(|o| o.trim() == "*") {
        return base.allow_any_origin();
    }
    origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .fold(base, |cors, origin| cors.allowed_origin(origin))
}

/// A refused preflight (an origin, method or header not allowed), answered
/// as problem+json instead of the CORS middleware's plain text.
pub async fn refusals_as_problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?;
    let refusal =
        response.response().error().and_then(|e| e.as_error::<CorsError>()).map(ToString::to_string);
    match refusal {
        Some(reason) => {
            let (request, _) = response.into_parts();
            let problem =
                AppError::BadRequest(format!("cross-origin request refused: {reason}")).error_response();
            Ok(ServiceResponse::new(request, problem))
        }
        None => Ok(response.map_into_boxed_body()),
    }
}
