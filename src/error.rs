//! The one error type of Newsdesk. Every layer returns it; the REST adapter
//! renders it as RFC 9457 problem+json and the GraphQL adapter as
//! `extensions.code`, so both APIs fail the same way by construction.

use crate::domain::field::{FieldError, Invalid};
use crate::domain::policy::Denied;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed as HTTP: bad JSON, wrong content type. No field to name.
    #[error("{0}")]
    BadRequest(String),
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Validation(Vec<FieldError>),
    #[error("authentication required")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("this resource answers {}", .0.join(", "))]
    MethodNotAllowed(Vec<&'static str>),
    #[error("{message}")]
    Conflict { message: String, current_status: Option<&'static str> },
    /// A move the resource is not ready for until the named fields are
    /// filled in (publishing a cover image without alt text).
    #[error("{message}")]
    Incomplete { message: String, fields: Vec<FieldError> },
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// A body in a format this resource does not take (an upload that is
    /// not one of the image formats).
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("too many requests, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Every error's stable, machine-readable code, shared by REST and GraphQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadRequest,
    ValidationFailed,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 14] = [
        Self::BadRequest,
        Self::ValidationFailed,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Conflict,
        Self::PreconditionFailed,
        Self::PreconditionRequired,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "BAD_REQUEST",
            Self::ValidationFailed => "VALIDATION_FAILED",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::Conflict => "CONFLICT",
            Self::PreconditionFailed => "PRECONDITION_FAILED",
            Self::PreconditionRequired => "PRECONDITION_REQUIRED",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::RateLimited => "RATE_LIMITED",
            Self::Unavailable => "UNAVAILABLE",
            Self::Internal => "INTERNAL",
        }
    }

    /// The HTTP status a REST response carries for this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest | Self::ValidationFailed => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PreconditionFailed => 412,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::PreconditionRequired => 428,
            Self::RateLimited => 429,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::Conflict { .. } | Self::Incomplete { .. } => ErrorCode::Conflict,
            Self::PreconditionFailed(_) => ErrorCode::PreconditionFailed,
            Self::PreconditionRequired(_) => ErrorCode::PreconditionRequired,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// One invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict { message: message.into(), current_status: None }
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    /// What the caller is told. Internal causes stay in the logs.
    pub fn public_message(&self) -> String {
        match self {
            Self::Internal(_) => "internal error; it has been logged".to_owned(),
            Self::Unavailable(_) => "service temporarily unavailable; retry shortly".to_owned(),
            Self::Unauthenticated(reason) => reason.clone(),
            other => other.to_string(),
        }
    }

    /// The per-field details of a validation failure, or the fields an
    /// incomplete resource lacks (empty otherwise).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Validation(errors) | Self::Incomplete { fields: errors, .. } => errors,
            _ => &[],
        }
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        Self::Validation(vec![error])
    }
}

impl From<Invalid> for AppError {
    fn from(invalid: Invalid) -> Self {
        Self::Validation(invalid.0)
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::SignedOut => Self::Unauthenticated("sign in first".into()),
            Denied::Forbidden(reason) => Self::Forbidden(reason),
            Denied::Hidden(what) => Self::NotFound(what),
            Denied::NotNow(message) => Self::conflict(message),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_name_and_an_error_status() {
        let mut names: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for code in ErrorCode::ALL {
            assert!((400..600).contains(&code.http_status()), "{code:?}");
        }
    }

    #[test]
    fn internal_causes_are_not_shown() {
        let error = AppError::internal(anyhow::anyhow!("password=hunter2 in a stack trace"));
        assert!(!error.public_message().contains("hunter2"));
        assert_eq!(error.code(), ErrorCode::Internal);
    }
}
