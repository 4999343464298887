//! Opaque tokens (refresh tokens, preview links): 256 random bits, handed to
//! the client once and stored only as a SHA-256 digest, so a copy of the
//! database can neither sign anyone in nor open a preview.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A new token and the digest to store.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let digest = digest(&token);
    (token, digest)
}

/// The stored form of a token.
pub fn digest(token: &str) -> String {
    crate::digest::sha256_hex(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, a_digest) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a), a_digest);
        assert_eq!(a_digest.len(), 64);
        assert!(!a_digest.contains(&a));
    }
}
