//! Compression of cached responses: gzip only, made once per kept response.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

/// Bodies smaller than this are not worth compressing.
pub const MIN_GZIP_BYTES: usize = 1024;

pub fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Whether the client takes gzip (`Accept-Encoding`, q above zero).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        },
    )
}

/// Narrows `Accept-Encoding` to gzip when the client takes it: brotli and
/// zstd compress a little smaller but cost several times more per dynamic
/// response, and gzip is what the response cache keeps.
pub async fn prefer_gzip(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if accepts_gzip(req.headers()) {
        req.headers_mut().insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_acceptance() {
        let hv = |s: &str| HeaderValue::from_str(s).unwrap();
        let mut headers = HeaderMap::new();
        assert!(!accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, hv("br, gzip;q=0.8"));
        assert!(accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, hv("gzip;q=0, br"));
        assert!(!accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, hv("identity"));
        assert!(!accepts_gzip(&headers));
    }
}
