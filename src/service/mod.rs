//! The use-cases of Newsdesk. Every rule (who may see or do what, what input
//! is valid, which moves a story may make) is decided here, once; the REST and
//! GraphQL adapters only translate to and from their wire formats.

pub mod accounts;
pub mod articles;
mod assemble;
pub mod comments;
pub mod taxonomy;

use crate::config::Settings;
use crate::db::Db;

/// The service layer: cheap to clone, shared by every worker and both APIs.
#[derive(Clone)]
pub struct Services {
    db: Db,
}

impl Services {
    pub fn new(db: Db, _settings: &Settings) -> anyhow::Result<Self> {
        Ok(Self { db })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

impl Services {
    /// Fails with `Unavailable` unless the database answers.
    pub async fn check_ready(&self) -> crate::error::AppResult<()> {
        self.db.ping().await.map_err(|e| crate::error::AppError::Unavailable(format!("database: {e}")))
    }
}
