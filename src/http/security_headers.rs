//! Headers that tell a browser how little to trust a response: never guess
//! its type, never send a referrer onwards, never show it in a frame, and
//! run nothing it did not come with. API answers (JSON) may load nothing at
//! all; the two HTML pages (Swagger UI at `/docs/`, GraphiQL at `/graphql`)
//! load only their own vendored files from this host.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;

/// Data and errors: nothing to load, nothing to frame.
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// The browsable pages: scripts and styles from this host only (their inline
/// `style` attributes, set by the UI libraries, allowed), icons and
/// GraphiQL's fonts as data URLs, requests and WebSockets back to this host.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                           img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
                           object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    add(response.headers_mut());
    Ok(response)
}

/// Adds each header the handler did not set itself.
fn add(headers: &mut HeaderMap) {
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|media| media.starts_with("text/html"));
    let policy = if html { PAGE_POLICY } else { API_POLICY };
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, policy),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_may_load_their_own_files_and_data_nothing() {
        let mut json = HeaderMap::new();
        json.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        add(&mut json);
        assert_eq!(json.get(header::CONTENT_SECURITY_POLICY).unwrap(), API_POLICY);
        assert_eq!(json.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");

        let mut page = HeaderMap::new();
        page.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        add(&mut page);
        assert_eq!(page.get(header::CONTENT_SECURITY_POLICY).unwrap(), PAGE_POLICY);
        assert_eq!(page.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    }
}
