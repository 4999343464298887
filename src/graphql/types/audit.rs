//! The audit log in GraphQL.

use async_graphql::{ID, Object};

use super::time::Timestamp;
use super::user::UserObject;
use crate::domain::audit::{AuditAction, AuditEntry, AuditTarget};

/// One staff action.
pub struct AuditEntryObject(pub AuditEntry);

#[Object(name = "AuditEntry")]
impl AuditEntryObject {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.at)
    }
    /// Who did it; null for the scheduler (a scheduled publication, an
    /// expiry, a breaking-news window ending).
    async fn actor(&self) -> Option<UserObject> {
        self.0.actor.clone().map(UserObject::from)
    }
    async fn action(&self) -> AuditAction {
        self.0.action
    }
    /// What kind of thing `targetId` names.
    async fn target(&self) -> AuditTarget {
        self.0.target
    }
    async fn target_id(&self) -> ID {
        ID(self.0.target_id.clone())
    }
    /// The target's version before the action, where it has versions.
    async fn before_version(&self) -> Option<i64> {
        self.0.before_version
    }
    /// The target's version after the action, where it has versions.
    async fn after_version(&self) -> Option<i64> {
        self.0.after_version
    }
}
