//! ETags and `304 Not Modified`.

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderName, HeaderValue};

/// A fast, stable digest of a response body, for ETags.
pub fn body_hash(body: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(body)
}

/// The weak ETag of a body: weak, because compression may re-encode it.
pub fn weak_etag(body: &[u8]) -> String {
    format!("W/\"{:016x}\"", body_hash(body))
}

/// `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`.
pub fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(wanted), Ok(etag)) = (if_none_match.to_str(), etag.to_str()) else {
        return false;
    };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let etag = opaque(etag);
    wanted.split(',').any(|candidate| candidate.trim() == "*" || opaque(candidate) == etag)
}

/// A 304 carrying what it must repeat of the response it stands for.
pub fn not_modified_reply<'a>(
    headers: impl Iterator<Item = (&'a HeaderName, &'a HeaderValue)>,
) -> HttpResponse {
    const VALIDATORS: [HeaderName; 5] = [
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::LINK,
        HeaderName::from_static("surrogate-key"),
    ];
    let mut reply = HttpResponse::NotModified();
    for (name, value) in headers.filter(|(name, _)| VALIDATORS.contains(name)) {
        reply.append_header((name.clone(), value.clone()));
    }
    reply.finish()
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
