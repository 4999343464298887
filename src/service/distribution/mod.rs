//! What carries published stories beyond the API: feeds, sitemaps, and the
//! public addresses they are written with.

pub mod feeds;
pub mod sitemaps;
