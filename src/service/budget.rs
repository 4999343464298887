//! What one request may ask of the database (see `db::budget`): adapters run
//! a request's work within a budget; the service layer's reads spend it.

pub use crate::db::budget::{Budget, CALLS_PER_REQUEST, within};
