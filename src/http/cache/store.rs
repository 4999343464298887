//! The memory of anonymous reads: their validators always, their bodies with
//! the response cache on, each valid while the database generation it was
//! read at is current.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use lru::LruCache;

/// Responses larger than this are not kept.
pub const MAX_ENTRY_BYTES: usize = 64 * 1024;
/// Distinct responses kept, least recently used dropped first.
const ENTRIES: usize = 1024;

/// Caching of reads: how long shared caches may keep anonymous responses,
/// and this instance's own memory of them.
pub struct HttpCache {
    pub max_age_secs: u32,
    store: Mutex<LruCache<String, Arc<Stored>>>,
    /// The response cache: keep bodies, not only validators.
    pub(super) keep_bodies: bool,
}

/// A kept response.
pub(super) struct Stored {
    pub generation: u64,
    /// The request headers the response varies on (its `Vary`), as they were
    /// when it was kept: a request that differs in one is not answered from here.
    pub varies: Vec<(HeaderName, Option<HeaderValue>)>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// `None` with the response cache off: then only a 304 can be answered from here.
    pub body: Option<Bytes>,
    /// The body gzipped, made on the first request that accepts it: a kept
    /// response is then compressed once, not on every hit.
    pub gzip: OnceLock<Option<Bytes>>,
}

impl Stored {
    /// Whether this response answers a request with `headers`.
    pub fn fits(&self, headers: &HeaderMap) -> bool {
        self.varies.iter().all(|(name, value)| headers.get(name) == value.as_ref())
    }

    pub fn etag(&self) -> Option<&HeaderValue> {
        self.headers.iter().find(|(name, _)| *name == header::ETAG).map(|(_, v)| v)
    }
}

/// The request headers `response` says it varies on, with their values in
/// `request`. `Authorization` is left out (only anonymous reads are kept) and
/// so is `Accept-Encoding` (the cache encodes per request itself).
pub(super) fn varies(response: &HeaderMap, request: &HeaderMap) -> Vec<(HeaderName, Option<HeaderValue>)> {
    response
        .get_all(header::VARY)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .filter(|name| *name != header::AUTHORIZATION && *name != header::ACCEPT_ENCODING)
        .map(|name| {
            let value = request.get(&name).cloned();
            (name, value)
        })
        .collect()
}

impl HttpCache {
    pub fn new(max_age_secs: u32, response_cache: bool) -> Self {
        let capacity = NonZeroUsize::new(ENTRIES).unwrap_or(NonZeroUsize::MIN);
        Self { max_age_secs, store: Mutex::new(LruCache::new(capacity)), keep_bodies: response_cache }
    }

    pub(super) fn lookup(&self, key: &str, generation: u64) -> Option<Arc<Stored>> {
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

    pub(super) fn keep(&self, key: String, stored: Stored) {
        if let Ok(mut store) = self.store.lock() {
            store.put(key, Arc::new(stored));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_fit_only_requests_alike_in_what_they_vary_on() {
        let mut response = HeaderMap::new();
        response.append(header::VARY, HeaderValue::from_static("Authorization"));
        response.append(header::VARY, HeaderValue::from_static("Accept, Accept-Encoding"));
        let mut request = HeaderMap::new();
        request.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let varies = varies(&response, &request);
        assert_eq!(varies, vec![(header::ACCEPT, Some(HeaderValue::from_static("application/json")))]);
        let stored = Stored { generation: 0, varies, headers: Vec::new(), body: None, gzip: OnceLock::new() };
        assert!(stored.fits(&request));
        request.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
        assert!(!stored.fits(&request));
        assert!(!stored.fits(&HeaderMap::new()));
    }
}
