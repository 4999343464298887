//! Deleted articles in the trash, in GraphQL.

use async_graphql::{ID, Object};

use super::time::Timestamp;
use super::user::UserObject;
use crate::domain::ArticleStatus;
use crate::domain::trash::TrashedArticle;

/// A deleted article, restorable until `purgeAt`.
pub struct TrashedArticleObject(pub TrashedArticle);

#[Object(name = "TrashedArticle")]
impl TrashedArticleObject {
    /// The id it had, and has again once restored.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Its status when deleted, which it has again once restored.
    async fn status(&self) -> ArticleStatus {
        self.0.status
    }
    async fn version(&self) -> i64 {
        self.0.version
    }
    /// Its comments, which come back with it.
    async fn comment_count(&self) -> i32 {
        self.0.comment_count
    }
    async fn deleted_by(&self) -> UserObject {
        self.0.deleted_by.clone().into()
    }
    async fn deleted_at(&self) -> Timestamp {
        Timestamp(self.0.deleted_at)
    }
    /// When it is purged for good; restoring is refused from then on.
    async fn purge_at(&self) -> Timestamp {
        Timestamp(self.0.purge_at)
    }
}
