//! Credentials: password hashes, access tokens (JWT) and refresh tokens.

pub mod jwt;
pub mod password;
pub mod refresh;
