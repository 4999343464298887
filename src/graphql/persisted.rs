//! Automatic persisted queries (the Apollo APQ protocol): a client sends the
//! SHA-256 of a query instead of the query; the first time, it sends both
//! and the server keeps the pair. Apps then fetch with short, cacheable GETs.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use lru::LruCache;
use sha2::{Digest, Sha256};

/// How many distinct queries are remembered; the least recently used go first.
const CAPACITY: usize = 10_000;

pub struct PersistedQueries {
    queries: Mutex<LruCache<String, String>>,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        Self { queries: Mutex::new(LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN))) }
    }
}

/// What the `persistedQuery` extension asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The query to run.
    Found(String),
    /// The hash is unknown: the client must send the query with it.
    NotFound,
    /// The query does not hash to the hash sent with it.
    Mismatch,
    /// The extension is malformed or of an unknown version.
    Invalid,
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
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
        let Ok(mut queries) = self.queries.lock() else {
            return Lookup::NotFound;
        };
        if query.is_empty() {
            return queries.get(&hash).cloned().map_or(Lookup::NotFound, Lookup::Found);
        }
        if sha256_hex(query) != hash {
            return Lookup::Mismatch;
        }
        queries.put(hash, query.to_owned());
        Lookup::Found(query.to_owned())
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
        assert_eq!(store.resolve(&ext(&hash), query), Lookup::Found(query.into()));
        assert_eq!(store.resolve(&ext(&hash.to_uppercase()), ""), Lookup::Found(query.into()));
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
