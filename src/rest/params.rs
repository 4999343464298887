//! Query-string values arrive as text and are parsed here, so that a bad one
//! is refused with its parameter's name rather than a generic parse error.

use chrono::{DateTime, Utc};

use crate::error::{AppError, FieldError, FieldErrors};

#[derive(Default)]
pub struct ParamParser {
    errors: FieldErrors,
}

impl ParamParser {
    pub fn int(&mut self, raw: Option<&str>, field: &str) -> Option<i64> {
        let raw = raw?;
        raw.trim().parse().map_err(|_| self.errors.push(FieldError::new(field, "must be an integer"))).ok()
    }

    /// A page size, checked against the domain's bounds here so that it is
    /// reported together with any other bad parameter.
    pub fn limit(&mut self, raw: Option<&str>, field: &str) -> Option<i64> {
        let n = self.int(raw, field)?;
        self.errors.check(crate::domain::page::Limit::new(Some(n), field)).map(|_| n)
    }

    pub fn bool(&mut self, raw: Option<&str>, field: &str) -> Option<bool> {
        match raw?.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => {
                self.errors.push(FieldError::new(field, "must be true or false"));
                None
            }
        }
    }

    pub fn time(&mut self, raw: Option<&str>, field: &str) -> Option<DateTime<Utc>> {
        let raw = raw?;
        DateTime::parse_from_rfc3339(raw.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                self.errors
                    .push(FieldError::new(field, "must be an RFC 3339 time, like 2026-11-28T09:30:00Z"))
            })
            .ok()
    }

    /// Fails with every refused parameter at once.
    pub fn finish(self) -> Result<(), AppError> {
        self.errors.finish()
    }
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
    fn collects_every_bad_parameter() {
        let mut p = ParamParser::default();
        assert_eq!(p.int(Some("12"), "limit"), Some(12));
        assert_eq!(p.int(Some("x"), "limit"), None);
        assert_eq!(p.bool(Some("yes"), "featured"), None);
        assert!(p.time(Some("2026-01-01T00:00:00+02:00"), "from").is_some());
        assert_eq!(p.time(Some("yesterday"), "to"), None);
        let AppError::Validation(errors) = p.finish().unwrap_err() else { panic!() };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["limit", "featured", "to"]);
    }

    #[test]
    fn next_link_keeps_filters_and_replaces_the_cursor() {
        let req = actix_web::test::TestRequest::get()
            .uri("/api/v1/articles?tag=energy&cursor=old&limit=5")
            .to_http_request();
        assert_eq!(next_link(&req, "new"), "</api/v1/articles?tag=energy&limit=5&cursor=new>; rel=\"next\"");
    }
}
