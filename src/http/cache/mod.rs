//! Conditional GETs and cache headers for every successful read: an ETag
//! (a hash of the body, weak because compression may re-encode it), `304 Not
//! Modified` on a matching `If-None-Match`, and `Cache-Control` public for
//! anonymous callers (CDN-friendly), private for signed-in ones.
//!
//! What anonymous reads answered is remembered until a committed write
//! changes something they showed (exact, targeted invalidation: see
//! `db::freshness`): always their validators, so a matching `If-None-Match`
//! is a 304 without touching the database, and with the response cache on
//! their bodies too. What they showed is also their `Surrogate-Key`, the tags
//! a CDN purges by. A response
//! that varies on a request header (`Vary`) is kept with that header's value
//! and answers only requests alike in it.

mod coalesce;
mod gzip;
mod store;
mod validators;

use std::sync::{Arc, OnceLock};

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};

pub use coalesce::Reading;
pub use gzip::prefer_gzip;
pub use store::{HttpCache, compact_key};
pub use validators::{body_hash, etag_matches, weak_etag};

use coalesce::{Turn, finished};
use gzip::{MIN_GZIP_BYTES, accepts_gzip};
use store::{MAX_ENTRY_BYTES, Stored, varies};
use validators::not_modified_reply;

use crate::service::Services;
use crate::service::freshness::{Feed, Key, Shown, showing};

/// Where image files are served.
pub const MEDIA_FILES: &str = "/media/";

/// Where preview links are read: each token is a credential, and its answer
/// is the caller's alone (`private, no-store`).
pub const PREVIEWS: &str = "/api/v1/previews/";

/// Whether a request is for a preview link, however its path is spelt: it
/// is judged by the path the router matches (`%70reviews` is `previews`).
pub fn is_preview(req: &ServiceRequest) -> bool {
    req.match_info().as_str().starts_with(PREVIEWS)
}

/// What identifies an anonymous read: its path and query.
fn cache_key(req: &ServiceRequest) -> String {
    let mut key = String::with_capacity(req.path().len() + req.query_string().len() + 1);
    key.push_str(req.path());
    key.push('?');
    key.push_str(req.query_string());
    compact_key(key)
}

/// Conditional GETs and cache headers for every successful read. Anonymous
/// reads are answered from memory (a 304 always; the body too with the
/// response cache on) until a write changes something they showed, so a
/// publish, an edit or a new comment is visible on the very next request.
pub async fn conditional_get(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Image files carry validators of their own (their names are content
    // addresses) and are too large to hold in memory or hash per request.
    // Previews are never answered from memory nor kept there.
    if req.path().starts_with(MEDIA_FILES) || is_preview(&req) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let is_get = *req.method() == Method::GET;
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
        // Stamped before reading: a write that commits from here on makes it stale.
        let stamp = services.db_generation();
        let key = cache_key(&req);
        match cache.answer_or_read(&key, req.headers(), |s, k| services.is_fresh(s, k)).await {
            Ok(answer) => {
                let (request, _) = req.into_parts();
                return Ok(ServiceResponse::new(request, answer));
            }
            Err(reading) => kept_as = Some((key, stamp, Shown::default(), reading)),
        }
    }

    let response = match &kept_as {
        Some((_, _, shown, _)) => showing(shown.clone(), next.call(req)).await?,
        None => next.call(req).await?,
    };
    let no_store = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    // What must not be stored (probes, metrics, errors) gets no validator either.
    if !is_get || response.status() != StatusCode::OK || no_store {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut response, body) = response.into_parts();
    let bytes = body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("response body failed"))?;

    let headers = response.headers_mut();
    if !headers.contains_key(header::ETAG) {
        headers.insert(
            header::ETAG,
            HeaderValue::from_str(&weak_etag(&bytes)).map_err(actix_web::error::ErrorInternalServerError)?,
        );
    }
    let policy_set_by_handler = headers.contains_key(header::CACHE_CONTROL);
    if !policy_set_by_handler {
        // A CDN may serve a copy a little past its age while it asks again,
        // and a day past it while Newsdesk does not answer.
        let policy = if anonymous {
            format!("public, max-age={max_age}, stale-while-revalidate={max_age}, stale-if-error=86400")
        } else {
            "private, no-cache".to_owned()
        };
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&policy).map_err(actix_web::error::ErrorInternalServerError)?,
        );
    }
    crate::http::vary::add(headers, "Authorization");

    if let (Some(cache), Some((key, stamp, shown, _reading))) = (&cache, kept_as)
        && !policy_set_by_handler
    {
        cache.remember(key, None, stamp, shown.keys(), headers, request.headers(), &bytes);
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

impl HttpCache {
    /// The kept answer to a request with `headers` under `key`, if `fresh`
    /// says nothing it showed has changed since: a 304 when its ETag is in
    /// `If-None-Match`, else the body (gzipped if the client takes it) when
    /// bodies are kept.
    pub fn answer(
        &self,
        key: &str,
        headers: &HeaderMap,
        fresh: impl Fn(u64, &[Key]) -> bool,
    ) -> Option<HttpResponse> {
        let stored = self.lookup(key, fresh).filter(|s| s.fits(headers))?;
        let answer = match not_modified(&stored, headers.get(header::IF_NONE_MATCH)) {
            Some(reply) => Some(reply),
            // Only the validators kept (the response cache off): read anew.
            None => replay(&stored, accepts_gzip(headers)),
        };
        if answer.is_some() {
            self.count_hit();
        }
        answer
    }

    /// As `answer`; on a miss with bodies kept, either this request's turn
    /// to read the page (`Err(Some)`: hold it until the answer is
    /// remembered) or, when another request is reading it already, that
    /// request's answer once kept. `Err(None)`: read it without a turn.
    pub async fn answer_or_read(
        &self,
        key: &str,
        headers: &HeaderMap,
        fresh: impl Fn(u64, &[Key]) -> bool,
    ) -> Result<HttpResponse, Option<Reading>> {
        if let Some(answer) = self.answer(key, headers, &fresh) {
            return Ok(answer);
        }
        if !self.keep_bodies {
            return Err(None);
        }
        match self.readings.turn(key) {
            Turn::Read(reading) => Err(Some(reading)),
            Turn::Wait(reader) => {
                finished(reader).await;
                self.answer(key, headers, fresh).ok_or(None)
            }
        }
    }

    /// Keeps a response read at `stamp` that showed `keys` under `key`: its
    /// headers (the validators), its body with the response cache on, and
    /// the values of the request headers it varies on. A replay may come
    /// gzipped, so the response's Vary names Accept-Encoding from this first
    /// answer on: the 200s and 304s that follow then agree with it. Its
    /// `Surrogate-Key` names what it showed, and `all`. Kept under `also`
    /// too, if given (another way of asking the same).
    #[allow(clippy::too_many_arguments)]
    pub fn remember(
        &self,
        key: String,
        also: Option<String>,
        stamp: u64,
        keys: Vec<Key>,
        response: &mut HeaderMap,
        request: &HeaderMap,
        body: &Bytes,
    ) {
        let tags = surrogate_keys(&keys);
        if let Ok(value) = HeaderValue::from_str(&tags) {
            response.insert(header::HeaderName::from_static("surrogate-key"), value);
        }
        // Cloudflare's spelling of the same tags.
        if let Ok(value) = HeaderValue::from_str(&tags.replace(' ', ",")) {
            response.insert(header::HeaderName::from_static("cache-tag"), value);
        }
        self.count_miss();
        crate::http::vary::add(response, "Accept-Encoding");
        let varies = varies(response, request);
        let headers = response.iter().map(|(name, value)| (name.clone(), value.clone())).collect();
        // A body too large to hold keeps its validators all the same: a
        // long page still gets its 304s without a query.
        let body = (self.keep_bodies && body.len() <= MAX_ENTRY_BYTES).then(|| body.clone());
        let stored = Arc::new(Stored { stamp, keys, varies, headers, body, gzip: OnceLock::new() });
        if let Some(also) = also {
            self.keep(also, stored.clone());
        }
        self.keep(key, stored);
    }

    /// Whether bodies are kept (the response cache is on), not only validators.
    pub fn keeps_bodies(&self) -> bool {
        self.keep_bodies
    }
}

/// The longest `Surrogate-Key` sent: proxies refuse long header blocks (a
/// default nginx buffers 4 KB), so a response showing more (a list of 100)
/// names only `all` and expires by its `max-age`.
const MAX_SURROGATE_KEY_BYTES: usize = 3_000;

/// The `Surrogate-Key` of a response that showed `keys`: `all` (what a
/// write that changed everything purges), then what the list depends on
/// (its feed, with `home` for the site's, its sections), then each article
/// and thread shown. Too long for a proxy, the articles are left out: a
/// change to a listed article that moves no feed (a new comment count) then
/// shows when the copy expires.
fn surrogate_keys(keys: &[Key]) -> String {
    let item = |k: &&Key| matches!(k, Key::Article(_) | Key::Thread(_));
    let mut tags = Key::Everything.to_string();
    for key in keys.iter().filter(|k| **k != Key::Everything && !item(k)) {
        tags.push(' ');
        tags.push_str(&key.to_string());
        if *key == Key::Feed(Feed::All) {
            tags.push_str(" home");
        }
    }
    if tags.len() > MAX_SURROGATE_KEY_BYTES {
        return Key::Everything.to_string();
    }
    let mut with_items = tags.clone();
    for key in keys.iter().filter(item) {
        with_items.push(' ');
        with_items.push_str(&key.to_string());
    }
    if with_items.len() > MAX_SURROGATE_KEY_BYTES { tags } else { with_items }
}

/// A 304 if the client has the kept response already.
fn not_modified(stored: &Stored, if_none_match: Option<&HeaderValue>) -> Option<HttpResponse> {
    etag_matches(if_none_match?, stored.etag()?)
        .then(|| not_modified_reply(stored.headers.iter().map(|(n, v)| (n, v))))
}

/// The kept response, gzipped if the client takes it; `None` when only its
/// validators were kept.
fn replay(stored: &Stored, gzip_ok: bool) -> Option<HttpResponse> {
    let body = stored.body.as_ref()?;
    let gzipped = (gzip_ok && body.len() >= MIN_GZIP_BYTES)
        .then(|| stored.gzip.get_or_init(|| gzip::gzip(body)).clone())
        .flatten();
    let mut reply = HttpResponse::Ok().body(gzipped.clone().unwrap_or_else(|| body.clone()));
    let headers = reply.headers_mut();
    for (name, value) in &stored.headers {
        headers.append(name.clone(), value.clone());
    }
    if gzipped.is_some() {
        // Already encoded: the compression middleware leaves it as it is.
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    Some(reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ArticleId;

    #[test]
    fn surrogate_keys_name_what_was_shown_within_a_size_a_proxy_takes() {
        let a = Key::Article(ArticleId::generate());
        assert_eq!(surrogate_keys(&[a, Key::Sections]), format!("all sections {a}"));
        assert_eq!(surrogate_keys(&[Key::Feed(Feed::All)]), "all feed home");
        assert_eq!(surrogate_keys(&[Key::Everything]), "all");
        let mut page: Vec<Key> = (0..100).map(|_| Key::Article(ArticleId::generate())).collect();
        assert_eq!(surrogate_keys(&page), "all", "too long for a proxy: only `all`");
        page.push(Key::Feed(Feed::All));
        assert_eq!(surrogate_keys(&page), "all feed home", "the list's own keys stay");
    }

    #[test]
    fn a_body_too_large_to_keep_still_keeps_its_validators() {
        let cache = HttpCache::new(60, true);
        let request = HeaderMap::new();
        let mut response = HeaderMap::new();
        response.insert(header::ETAG, HeaderValue::from_static("W/\"long\""));
        let body = Bytes::from(vec![b'x'; MAX_ENTRY_BYTES + 1]);
        cache.remember("/long".into(), None, 1, vec![Key::Everything], &mut response, &request, &body);

        let mut conditional = HeaderMap::new();
        conditional.insert(header::IF_NONE_MATCH, HeaderValue::from_static("W/\"long\""));
        let answer = cache.answer("/long", &conditional, |_, _| true).expect("a 304 from the validators");
        assert_eq!(answer.status(), StatusCode::NOT_MODIFIED);
        assert!(cache.answer("/long", &request, |_, _| true).is_none(), "the body itself is read anew");
    }
}
