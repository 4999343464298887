//! The memory of anonymous reads: their validators always, their bodies with
//! the response cache on, each valid until a write changes something it
//! showed.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use lru::LruCache;

use super::coalesce::Readings;
use crate::service::freshness::Key;

/// Response bodies larger than this are not kept (their validators are).
pub const MAX_ENTRY_BYTES: usize = 64 * 1024;
/// Distinct responses kept, least recently used dropped first.
const ENTRIES: usize = 1024;
/// Keys longer than this are kept as their SHA-256 digest, so that what
/// the cache holds is bounded by its entries and their bodies: a key is the
/// request (a GraphQL POST's whole body), and a client posting megabyte
/// documents would otherwise have each kept, twice, beside a small answer.
const MAX_KEY_BYTES: usize = 512;

/// The key a request is kept under: itself, or its digest when long. (A
/// digest cannot pass for a short key: those begin with a path or a method.)
pub fn compact_key(key: String) -> String {
    if key.len() <= MAX_KEY_BYTES {
        return key;
    }
    format!("sha256:{}", crate::digest::sha256_hex(&key))
}

/// Caching of reads: how long shared caches may keep anonymous responses,
/// and this instance's own memory of them.
pub struct HttpCache {
    pub max_age_secs: u32,
    store: Mutex<LruCache<String, Arc<Stored>>>,
    /// The response cache: keep bodies, not only validators.
    pub(super) keep_bodies: bool,
    hits: AtomicU64,
    misses: AtomicU64,
    /// The pages being read anew right now, one request each.
    pub(super) readings: Readings,
}

/// A kept response.
pub(super) struct Stored {
    /// The tick it was read at, and what it showed: fresh while none of
    /// these keys has changed since.
    pub stamp: u64,
    pub keys: Vec<Key>,
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
    crate::http::vary::names(response)
        .filter_map(|name| HeaderName::from_bytes(name.as_bytes()).ok())
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
        Self {
            max_age_secs,
            store: Mutex::new(LruCache::new(capacity)),
            keep_bodies: response_cache,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            readings: Readings::default(),
        }
    }

    /// The response kept under `key`, if `fresh` says nothing it showed has
    /// changed since.
    pub(super) fn lookup(&self, key: &str, fresh: impl Fn(u64, &[Key]) -> bool) -> Option<Arc<Stored>> {
        self.store.lock().ok().and_then(|mut store| match store.get(key) {
            Some(stored) if fresh(stored.stamp, &stored.keys) => Some(stored.clone()),
            Some(_) => {
                store.pop(key);
                None
            }
            None => None,
        })
    }

    /// An anonymous read answered from memory.
    pub(super) fn count_hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    /// An anonymous read that was read anew and kept.
    pub(super) fn count_miss(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
    }

    /// Anonymous reads answered from memory, and those read anew and kept,
    /// since start-up.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    pub(super) fn keep(&self, key: String, stored: Arc<Stored>) {
        if let Ok(mut store) = self.store.lock() {
            store.put(key, stored);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_keys_are_kept_as_digests() {
        assert_eq!(compact_key("/api/v1/articles?".into()), "/api/v1/articles?");
        let long = format!("POST /graphql\n{}", "x".repeat(1_000_000));
        let compact = compact_key(long.clone());
        assert_eq!(compact.len(), 71);
        assert!(compact.starts_with("sha256:"));
        assert_eq!(compact, compact_key(long), "the same request, the same key");
        assert_ne!(compact, compact_key(format!("POST /graphql\n{}", "y".repeat(1_000_000))));
    }

    #[test]
    fn responses_fit_only_requests_alike_in_what_they_vary_on() {
        let mut response = HeaderMap::new();
        response.append(header::VARY, HeaderValue::from_static("Authorization"));
        response.append(header::VARY, HeaderValue::from_static("Accept, Accept-Encoding"));
        let mut request = HeaderMap::new();
        request.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let varies = varies(&response, &request);
        assert_eq!(varies, vec![(header::ACCEPT, Some(HeaderValue::from_static("application/json")))]);
        let stored = Stored {
            stamp: 0,
            keys: Vec::new(),
            varies,
            headers: Vec::new(),
            body: None,
            gzip: OnceLock::new(),
        };
        assert!(stored.fits(&request));
        request.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
        assert!(!stored.fits(&request));
        assert!(!stored.fits(&HeaderMap::new()));
    }
}
