//! Conditional GETs and cache headers for every successful read: an ETag
//! (a hash of the body, weak because compression may re-encode it), `304 Not
//! Modified` on a matching `If-None-Match`, and `Cache-Control` public for
//! anonymous callers (CDN-friendly), private for signed-in ones.
//!
//! What anonymous reads answered is remembered until the next committed
//! write (exact invalidation, by the database generation): always their
//! validators, so a matching `If-None-Match` is a 304 without touching the
//! database, and with the response cache on their bodies too.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use lru::LruCache;

use crate::service::Services;

/// Caching of reads: how long shared caches may keep anonymous responses,
/// and this instance's own cache of them.
pub struct HttpCache {
    pub max_age_secs: u32,
    store: Mutex<LruCache<String, Arc<Stored>>>,
    /// The response cache: keep bodies, not only validators.
    keep_bodies: bool,
}

/// Responses larger than this are not kept.
const MAX_ENTRY_BYTES: usize = 64 * 1024;
/// Distinct responses kept, least recently used dropped first.
const ENTRIES: usize = 1024;

/// A kept response, valid while the database generation it was read at is current.
struct Stored {
    generation: u64,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// `None` with the response cache off: then only a 304 can be answered from here.
    body: Option<Bytes>,
    /// The body gzipped, made on the first request that accepts it: a kept
    /// response is then compressed once, not on every hit.
    gzip: OnceLock<Option<Bytes>>,
}

/// Bodies smaller than this are not worth compressing.
const MIN_GZIP_BYTES: usize = 1024;

fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Whether the client takes gzip (`Accept-Encoding`, q above zero).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        },
    )
}

impl HttpCache {
    pub fn new(max_age_secs: u32, response_cache: bool) -> Self {
        let capacity = NonZeroUsize::new(ENTRIES).unwrap_or(NonZeroUsize::MIN);
        Self { max_age_secs, store: Mutex::new(LruCache::new(capacity)), keep_bodies: response_cache }
    }

    fn lookup(&self, key: &str, generation: u64) -> Option<Arc<Stored>> {
        let mut store = self.store.lock().ok()?;
        match store.get(key) {
            Some(stored) if stored.generation == generation => Some(stored.clone()),
            Some(_) => {
                store.pop(key);
                None
            }
            None => None,
        }
    }

    fn keep(&self, key: String, stored: Stored) {
        if let Ok(mut store) = self.store.lock() {
            store.put(key, Arc::new(stored));
        }
    }
}

/// What identifies an anonymous read: its path and query, and for GraphQL
/// the media type asked for (it changes the response).
fn cache_key(req: &ServiceRequest) -> String {
    let mut key = String::with_capacity(req.path().len() + req.query_string().len() + 1);
    key.push_str(req.path());
    key.push('?');
    key.push_str(req.query_string());
    if req.path().starts_with("/graphql")
        && let Some(accept) = req.headers().get(header::ACCEPT).and_then(|a| a.to_str().ok())
    {
        key.push('|');
        key.push_str(accept);
    }
    key
}

/// Conditional GETs and cache headers for every successful read. Anonymous
/// reads are answered from memory (a 304 always; the body too with the
/// response cache on) until any write commits and the database generation
/// moves, so a publish, an edit or a new comment is visible on the very next
/// request.
pub async fn conditional_get(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_get = *req.method() == Method::GET;
    let gzip_ok = accepts_gzip(req.headers());
    let anonymous = !req.headers().contains_key(header::AUTHORIZATION);
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let cache = req.app_data::<web::Data<HttpCache>>().cloned();
    let max_age = cache.as_ref().map_or(0, |c| c.max_age_secs);

    // Anonymous GETs only, keyed by what they asked.
    let mut kept_as = None;
    if is_get
        && anonymous
        && let (Some(cache), Some(services)) = (&cache, req.app_data::<web::Data<Services>>())
    {
        let generation = services.db_generation();
        let key = cache_key(&req);
        if let Some(stored) = cache.lookup(&key, generation) {
            let answer = match not_modified(&stored, if_none_match.as_ref()) {
                Some(reply) => Some(reply),
                None => replay(&stored, gzip_ok),
            };
            if let Some(answer) = answer {
                let (request, _) = req.into_parts();
                return Ok(ServiceResponse::new(request, answer));
            }
        }
        kept_as = Some((key, generation));
    }

    let response = next.call(req).await?;
    if !is_get || response.status() != StatusCode::OK {
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
    let policy_set_by_handler = headers.contains_key(header::CACHE_CONTROL);
    if !policy_set_by_handler {
        let policy =
            if anonymous { format!("public, max-age={max_age}") } else { "private, no-cache".to_owned() };
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&policy).map_err(actix_web::error::ErrorInternalServerError)?,
        );
    }
    headers.append(header::VARY, HeaderValue::from_static("Authorization"));

    if let (Some(cache), Some((key, generation))) = (&cache, kept_as)
        && !policy_set_by_handler
        && bytes.len() <= MAX_ENTRY_BYTES
    {
        let headers = headers.iter().map(|(name, value)| (name.clone(), value.clone())).collect();
        let body = cache.keep_bodies.then(|| bytes.clone());
        cache.keep(key, Stored { generation, headers, body, gzip: OnceLock::new() });
    }

    let not_modified = match (&if_none_match, headers.get(header::ETAG)) {
        (Some(wanted), Some(etag)) => etag_matches(wanted, etag),
        _ => false,
    };
    let response = if not_modified {
        not_modified_reply(headers.iter())
    } else {
        response.set_body(bytes).map_into_boxed_body()
    };
    Ok(ServiceResponse::new(request, response))
}

/// A 304 if the client has the kept response already.
fn not_modified(stored: &Stored, if_none_match: Option<&HeaderValue>) -> Option<HttpResponse> {
    let etag = stored.headers.iter().find(|(name, _)| *name == header::ETAG).map(|(_, v)| v)?;
    etag_matches(if_none_match?, etag).then(|| not_modified_reply(stored.headers.iter().map(|(n, v)| (n, v))))
}

/// The kept response, gzipped if the client takes it; `None` when only its
/// validators were kept.
fn replay(stored: &Stored, gzip_ok: bool) -> Option<HttpResponse> {
    let body = stored.body.as_ref()?;
    let mut reply = HttpResponse::Ok();
    for (name, value) in &stored.headers {
        reply.append_header((name.clone(), value.clone()));
    }
    reply.append_header((header::VARY, HeaderValue::from_static("Accept-Encoding")));
    if gzip_ok
        && body.len() >= MIN_GZIP_BYTES
        && let Some(compressed) = stored.gzip.get_or_init(|| gzip(body))
    {
        // Already encoded: the compression middleware leaves it as it is.
        reply.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")));
        return Some(reply.body(compressed.clone()));
    }
    Some(reply.body(body.clone()))
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

/// A 304 carrying what it must repeat of the response it stands for.
fn not_modified_reply<'a>(headers: impl Iterator<Item = (&'a HeaderName, &'a HeaderValue)>) -> HttpResponse {
    const VALIDATORS: [HeaderName; 4] = [header::ETAG, header::CACHE_CONTROL, header::VARY, header::LINK];
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
    fn gzip_acceptance() {
        let mut headers = HeaderMap::new();
        assert!(!accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, hv("br, gzip;q=0.8"));
        assert!(accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, hv("gzip;q=0, br"));
        assert!(!accepts_gzip(&headers));
        headers.insert(header::ACCEPT_ENCODING, hv("identity"));
        assert!(!accepts_gzip(&headers));
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
