//! Conditional GETs and cache headers for every successful read: an ETag
//! (a hash of the body, weak because compression may re-encode it), `304 Not
//! Modified` on a matching `If-None-Match`, and `Cache-Control` public for
//! anonymous callers (CDN-friendly), private for signed-in ones.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

/// How long shared caches may keep anonymous reads.
#[derive(Debug, Clone, Copy)]
pub struct CachePolicy {
    pub max_age_secs: u32,
}

pub async fn conditional_get(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_read = matches!(*req.method(), Method::GET | Method::HEAD);
    let anonymous = !req.headers().contains_key(header::AUTHORIZATION);
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let max_age = req.app_data::<web::Data<CachePolicy>>().map_or(0, |p| p.max_age_secs);

    let response = next.call(req).await?;
    if !is_read || response.status() != StatusCode::OK {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut response, body) = response.into_parts();
    let bytes = body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("response body failed"))?;

    let headers = response.headers_mut();
    if !headers.contains_key(header::ETAG) {
        let etag = format!("W/\"{:016x}\"", body_hash(&bytes));
        headers.insert(
            header::ETAG,
            HeaderValue::from_str(&etag).map_err(actix_web::error::ErrorInternalServerError)?,
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let policy =
            if anonymous { format!("public, max-age={max_age}") } else { "private, no-cache".to_owned() };
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&policy).map_err(actix_web::error::ErrorInternalServerError)?,
        );
    }
    headers.append(header::VARY, HeaderValue::from_static("Authorization"));

    let not_modified = match (&if_none_match, headers.get(header::ETAG)) {
        (Some(wanted), Some(etag)) => etag_matches(wanted, etag),
        _ => false,
    };
    let response = if not_modified {
        let mut reply = HttpResponse::NotModified();
        copy_validators(headers, &mut reply);
        reply.finish()
    } else {
        response.set_body(bytes).map_into_boxed_body()
    };
    Ok(ServiceResponse::new(request, response))
}

/// A fast, stable digest of a response body, for ETags.
pub fn body_hash(body: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(body)
}

/// `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`.
fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(wanted), Ok(etag)) = (if_none_match.to_str(), etag.to_str()) else {
        return false;
    };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let etag = opaque(etag);
    wanted.split(',').any(|candidate| candidate.trim() == "*" || opaque(candidate) == etag)
}

fn copy_validators(from: &HeaderMap, to: &mut actix_web::HttpResponseBuilder) {
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY, header::LINK] {
        for value in from.get_all(&name) {
            to.append_header((name.clone(), value.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hv(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    #[test]
    fn weak_comparison() {
        assert!(etag_matches(&hv("W/\"abc\""), &hv("W/\"abc\"")));
        assert!(etag_matches(&hv("\"abc\""), &hv("W/\"abc\"")));
        assert!(etag_matches(&hv("\"x\", W/\"abc\""), &hv("W/\"abc\"")));
        assert!(etag_matches(&hv("*"), &hv("W/\"abc\"")));
        assert!(!etag_matches(&hv("W/\"abd\""), &hv("W/\"abc\"")));
        assert!(!etag_matches(&hv(""), &hv("W/\"abc\"")));
    }
}
