//! Automatic persisted queries (the Apollo APQ protocol): a client sends the
//! SHA-256 of a query instead of the query; the first time, it sends both
//! and the server keeps the pair. Apps then fetch with short, cacheable GETs.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use lru::LruCache;

pub use crate::digest::sha256_hex;

/// How many distinct queries are remembered; the least recently used go first.
const CAPACITY: usize = 10_000;
/// How many bytes of documents are remembered in all: the least recently
/// used go first, so a flood of registrations cannot grow memory.
const MAX_TOTAL_BYTES: usize = 4 * 1024 * 1024;
/// The largest document remembered. A larger one still runs when sent,
/// but is not kept: an app's queries are a few kilobytes.
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024;

pub struct PersistedQueries {
    store: Mutex<Store>,
}

struct Store {
    queries: LruCache<String, String>,
    bytes: usize,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        let capacity = NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN);
        Self { store: Mutex::new(Store { queries: LruCache::new(capacity), bytes: 0 }) }
    }
}

/// What the `persistedQuery` extension asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The query to run, remembered under its hash.
    Found(String),
    /// The query sent with its hash, which matches: to be remembered (with
    /// [`PersistedQueries::keep`]) once it is known to be a valid document.
    Registering(String),
    /// The hash is unknown: the client must send the query with it.
    NotFound,
    /// The query does not hash to the hash sent with it.
    Mismatch,
    /// The extension is malformed or of an unknown version.
    Invalid,
}

impl PersistedQueries {
    /// Resolves a request's query against its `persistedQuery` extension.
    pub fn resolve(&self, extension: &serde_json::Value, query: &str) -> Lookup {
        let version = extension.get("version").and_then(serde_json::Value::as_i64);
        let Some(hash) = extension.get("sha256Hash").and_then(serde_json::Value::as_str) else {
            return Lookup::Invalid;
        };
        if version != Some(1) || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Lookup::Invalid;
        }
        let hash = hash.to_ascii_lowercase();
        if !query.is_empty() {
            return if sha256_hex(query) == hash { Lookup::Registering(hash) } else { Lookup::Mismatch };
        }
        let Ok(mut store) = self.store.lock() else {
            return Lookup::NotFound;
        };
        store.queries.get(&hash).cloned().map_or(Lookup::NotFound, Lookup::Found)
    }

    /// Remembers a valid document under its hash, within the byte budget.
    pub fn keep(&self, hash: String, query: &str) {
        if query.len() > MAX_DOCUMENT_BYTES {
            return;
        }
        let Ok(mut store) = self.store.lock() else { return };
        if let Some(old) = store.queries.pop(&hash) {
            store.bytes -= old.len();
        }
        while store.bytes + query.len() > MAX_TOTAL_BYTES || store.queries.len() == CAPACITY {
            match store.queries.pop_lru() {
                Some((_, old)) => store.bytes -= old.len(),
                None => break,
            }
        }
        store.bytes += query.len();
        store.queries.put(hash, query.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(hash: &str) -> serde_json::Value {
        serde_json::json!({"version": 1, "sha256Hash": hash})
    }

    #[test]
    fn registers_then_serves_by_hash() {
        let store = PersistedQueries::default();
        let query = "{ categories { slug } }";
        let hash = sha256_hex(query);
        assert_eq!(store.resolve(&ext(&hash), ""), Lookup::NotFound);
        assert_eq!(store.resolve(&ext(&hash), query), Lookup::Registering(hash.clone()));
        assert_eq!(store.resolve(&ext(&hash), ""), Lookup::NotFound, "kept only when told to");
        store.keep(hash.clone(), query);
        assert_eq!(store.resolve(&ext(&hash.to_uppercase()), ""), Lookup::Found(query.into()));
    }

    #[test]
    fn memory_is_bounded_by_bytes_not_only_by_count() {
        let store = PersistedQueries::default();
        let big = format!("{{ categories {{ slug }} }} #{}", "x".repeat(MAX_DOCUMENT_BYTES - 40));
        for n in 0..1_000 {
            let query = format!("{big}{n}");
            store.keep(sha256_hex(&query), &query);
        }
        let kept = store.store.lock().unwrap().bytes;
        assert!(kept <= MAX_TOTAL_BYTES, "{kept} bytes kept");
        let newest = format!("{big}999");
        assert_eq!(store.resolve(&ext(&sha256_hex(&newest)), ""), Lookup::Found(newest), "the newest stay");
        let oversized = "#".repeat(MAX_DOCUMENT_BYTES + 1);
        store.keep(sha256_hex(&oversized), &oversized);
        assert_eq!(store.resolve(&ext(&sha256_hex(&oversized)), ""), Lookup::NotFound);
    }

    #[test]
    fn refuses_wrong_hashes_and_versions() {
        let store = PersistedQueries::default();
        assert_eq!(store.resolve(&ext(&sha256_hex("{ a }")), "{ b }"), Lookup::Mismatch);
        assert_eq!(
            store.resolve(&serde_json::json!({"version": 2, "sha256Hash": sha256_hex("x")}), "x"),
            Lookup::Invalid
        );
        assert_eq!(store.resolve(&ext("xyz"), ""), Lookup::Invalid);
        assert_eq!(store.resolve(&serde_json::json!({}), ""), Lookup::Invalid);
    }
}
