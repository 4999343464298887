//! Database access: one connection type over SQLite and PostgreSQL, a pool,
//! transactions that announce their writes, migrations, and the
//! repositories. Only `service` calls into this module.
//!
//! Queries are plain synchronous diesel. They run on tokio's blocking pool via
//! [`Db::run`], so actix workers never wait on the database.

pub mod budget;
pub mod changes;
mod conn;
mod error;
pub mod freshness;
pub mod maintenance;
pub mod migrate;
pub mod models;
mod pool;
mod replicas;
pub mod repo;
pub mod schema;
pub mod search;
mod sql;
mod sql_types;
mod tx;
mod url;

pub use conn::{DbConn, Engine, on_backend};
pub use pool::Db;
pub use url::{Backend, DatabaseUrl};
