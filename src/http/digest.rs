//! SHA-256 as lower-case hex: the hash an Apollo persisted query is named
//! by, and the key the response cache keeps a long request under.

use sha2::{Digest, Sha256};

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
