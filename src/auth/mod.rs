//! Credentials: password hashing now, tokens with the accounts work.

pub mod password;
