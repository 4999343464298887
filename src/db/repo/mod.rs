//! Queries, one file per table family. Each function takes a `&mut DbConn`
//! and is compiled for both backends through `on_backend!`.

pub mod articles;
pub mod audit;
pub mod categories;
pub mod collections;
pub mod comments;
pub mod limits;
pub mod media;
pub mod old_slugs;
pub mod password_resets;
pub mod previews;
pub mod reports;
pub mod sessions;
pub mod sitemaps;
pub mod tags;
pub mod trash;
pub mod users;
pub mod webhooks;
