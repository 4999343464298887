//! Query-string values arrive as text and are parsed here, so that a bad one
//! is refused with its parameter's name rather than a generic parse error.

use chrono::{DateTime, Utc};
use utoipa::IntoParams;

use crate::domain::field::FieldError;
use crate::domain::page::Limit;

/// The validator every read takes: documented once, for every GET.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfNoneMatch {
    /// An ETag this API sent: answered `304 Not Modified` while it is current.
    #[param(rename = "If-None-Match")]
    #[expect(dead_code, reason = "read by the conditional-GET middleware, documented here")]
    if_none_match: Option<String>,
}

/// A page size: 1 to 100, 20 when absent.
pub fn limit(raw: Option<&str>, field: &str) -> Result<Limit, FieldError> {
    let n = match raw {
        None => None,
        Some(raw) => {
            Some(raw.trim().parse::<i64>().map_err(|_| FieldError::new(field, "must be an integer"))?)
        }
    };
    Limit::new(n, field)
}

/// `true`/`1` or `false`/`0`.
pub fn flag(raw: Option<&str>, field: &str) -> Result<Option<bool>, FieldError> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(_) => Err(FieldError::new(field, "must be true or false")),
    }
}

/// An RFC 3339 time, in any offset.
pub fn time(raw: Option<&str>, field: &str) -> Result<Option<DateTime<Utc>>, FieldError> {
    raw.map(|raw| {
        DateTime::parse_from_rfc3339(raw.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| FieldError::new(field, "must be an RFC 3339 time, like 2026-11-28T09:30:00Z"))
    })
    .transpose()
}

/// The request's own path and query with `cursor` replaced: the `Link: rel="next"` target.
pub fn next_link(req: &actix_web::HttpRequest, cursor: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if key != "cursor" {
            query.append_pair(&key, &value);
        }
    }
    query.append_pair("cursor", cursor);
    format!("<{}?{}>; rel=\"next\"", req.path(), query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_parsed_with_their_names() {
        assert_eq!(limit(Some("12"), "limit").unwrap().get(), 12);
        assert_eq!(limit(None, "limit").unwrap().get(), 20);
        assert_eq!(limit(Some("x"), "limit").unwrap_err().message, "must be an integer");
        assert_eq!(limit(Some("500"), "limit").unwrap_err().field, "limit");
        assert_eq!(flag(Some("yes"), "featured").unwrap_err().field, "featured");
        assert_eq!(flag(Some("1"), "featured"), Ok(Some(true)));
        assert!(time(Some("2026-01-01T00:00:00+02:00"), "from").unwrap().is_some());
        assert_eq!(time(Some("yesterday"), "to").unwrap_err().field, "to");
    }

    #[test]
    fn next_link_keeps_filters_and_replaces_the_cursor() {
        let req = actix_web::test::TestRequest::get()
            .uri("/api/v1/articles?tag=energy&cursor=old&limit=5")
            .to_http_request();
        assert_eq!(next_link(&req, "new"), "</api/v1/articles?tag=energy&limit=5&cursor=new>; rel=\"next\"");
    }
}
