//! Versions on the wire: what an edit sends in `If-Match`, and the ETag a
//! versioned resource (an article, a collection) is answered with, which
//! `If-Match` takes back.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::error::AppError;
use crate::http::cache::body_hash;

/// `W/"v{version}-{hash of the body}"`: weak (the body may be sent
/// compressed), and carrying the version an edit needs.
fn versioned_etag(version: i64, body: &[u8]) -> String {
    format!("W/\"v{version}-{:016x}\"", body_hash(body))
}

/// Replies with `view` as JSON and an ETag carrying `version`, which
/// `If-Match` takes back; a 201 also says where it now lives.
pub fn versioned_json(
    status: StatusCode,
    version: i64,
    view: &impl Serialize,
    location: impl FnOnce() -> String,
) -> Result<HttpResponse, AppError> {
    let body = serde_json::to_vec(view).map_err(AppError::internal)?;
    let mut response = HttpResponse::build(status);
    response.insert_header((header::ETAG, versioned_etag(version, &body)));
    if status == StatusCode::CREATED {
        response.insert_header((header::LOCATION, location()));
    }
    Ok(response.content_type("application/json").body(body))
}

/// The version in `If-Match`: `"7"`, or an ETag this API sent (`W/"v7-…"`);
/// none without one, or for `*` (any current version, RFC 9110).
pub fn if_match(req: &HttpRequest) -> Result<Option<i64>, AppError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let invalid = || AppError::invalid("If-Match", "must be a version or an ETag this API sent");
    let raw = value.to_str().map_err(|_| invalid())?.trim();
    if raw == "*" {
        return Ok(None);
    }
    let unquoted = raw.trim_start_matches("W/").trim_matches('"');
    let digits = unquoted.trim_start_matches('v').split('-').next().unwrap_or_default();
    digits.parse::<i64>().map(Some).map_err(|_| invalid())
}

/// The version in `If-Match`, which a write of `what` ("the article") must
/// send: without one (or with `*`) it is a 428, so that no change is lost.
pub fn required_if_match(req: &HttpRequest, what: &str) -> Result<i64, AppError> {
    if_match(req)?.ok_or_else(|| {
        AppError::PreconditionRequired(format!(
            "send `If-Match` with {what}'s version or ETag (not `*`), so that no change is lost"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_takes_versions_and_our_etags() {
        let read = |v: &str| {
            if_match(
                &actix_web::test::TestRequest::default().insert_header(("If-Match", v)).to_http_request(),
            )
        };
        assert_eq!(read("\"7\"").unwrap(), Some(7));
        assert_eq!(read("7").unwrap(), Some(7));
        assert_eq!(read("W/\"v12-00ff00ff00ff00ff\"").unwrap(), Some(12));
        assert_eq!(read("*").unwrap(), None, "any current version");
        assert!(read("\"abc\"").is_err());
        assert_eq!(if_match(&actix_web::test::TestRequest::default().to_http_request()).unwrap(), None);
    }
}
