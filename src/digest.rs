//! SHA-256 as lower-case hex: the hash an Apollo persisted query is named
//! by, the key the response cache keeps a long request under, and the name
//! of a media item's files.

use sha2::{Digest, Sha256};

pub fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    Sha256::digest(data.as_ref()).iter().map(|b| format!("{b:02x}")).collect()
}
