//! Credentials: password hashes, access tokens (JWT), and the opaque tokens
//! of refresh and preview links.

pub mod jwt;
pub mod opaque;
pub mod password;
