//! RFC 9457 problem details: how every REST failure looks on the wire.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, ErrorCode};

pub const CONTENT_TYPE: &str = "application/problem+json";

/// An error, as `application/problem+json` (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "about:blank",
    "title": "Bad Request",
    "status": 400,
    "detail": "invalid input: limit: must be between 1 and 100",
    "code": "VALIDATION_FAILED",
    "errors": [{"field": "limit", "message": "must be between 1 and 100"}]
}))]
pub struct Problem {
    /// Always `about:blank`: `code` says what went wrong.
    #[serde(rename = "type")]
    pub problem_type: &'static str,
    /// The HTTP status phrase.
    pub title: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, for people.
    pub detail: String,
    /// What went wrong, for programs; the same codes as GraphQL's `extensions.code`.
    #[schema(value_type = ProblemCode)]
    pub code: &'static str,
    /// The fields that were refused, on `VALIDATION_FAILED`; on a `CONFLICT`
    /// that fields settle (publishing without alt text), the ones to fill in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// On a refused lifecycle move: the article's status now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_status: Option<&'static str>,
}

/// One refused input.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The query parameter, header or JSON member.
    #[schema(example = "limit")]
    pub field: String,
    #[schema(example = "must be between 1 and 100")]
    pub message: String,
}

/// The stable error codes, listed from [`ErrorCode::ALL`] so the contract
/// cannot forget one.
pub struct ProblemCode;

impl utoipa::PartialSchema for ProblemCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(ErrorCode::ALL.iter().map(|c| c.as_str())))
            .description(Some("A stable, machine-readable error code."))
            .into()
    }
}

impl ToSchema for ProblemCode {}

fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        status_of(self.code())
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            AppError::Unavailable(reason) => tracing::warn!(%reason, "service unavailable"),
            _ => {}
        }
        let status = self.status_code();
        let problem = Problem {
            problem_type: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: self.public_message(),
            code: self.code().as_str(),
            errors: self
                .field_errors()
                .iter()
                .map(|e| ProblemField { field: e.field.clone(), message: e.message.clone() })
                .collect(),
            current_status: match self {
                AppError::Conflict { current_status, .. } => *current_status,
                _ => None,
            },
        };
        let mut response = HttpResponse::build(status);
        response.content_type(CONTENT_TYPE);
        response.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        match self {
            AppError::Unauthenticated(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            AppError::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            AppError::Unavailable(_) => {
                // An outage or a busy database: worth another try soon.
                response
                    .insert_header((header::RETRY_AFTER, HeaderValue::from_static(RETRY_UNAVAILABLE_SECS)));
            }
            AppError::MethodNotAllowed(allowed) => {
                response.insert_header((header::ALLOW, allowed.join(", ")));
            }
            _ => {}
        }
        response.json(problem)
    }
}

/// How long a client should wait before retrying a 503, in seconds.
pub const RETRY_UNAVAILABLE_SECS: &str = "1";

/// Unparseable query strings (for instance a parameter given twice), as problems.
pub fn query_error(error: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest(format!("malformed query string: {error}")).into()
}

/// Unparseable path segments, as problems.
pub fn path_error(error: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest(format!("malformed path: {error}")).into()
}
