//! Bringing deleted articles back, merged into the schema's `Mutation` type.

use async_graphql::{Context, ID, Object};

use super::context::{services, viewer};
use super::errors::Gql;
use super::types::article::ArticleObject;
use crate::domain::ArticleId;
use crate::error::AppError;

#[derive(Default)]
pub struct TrashMutations;

#[Object]
impl TrashMutations {
    /// Brings an article back from the trash as it was when deleted, with
    /// its comments, revisions and notes (not into the collections it was
    /// in). `NOT_FOUND` once purged; `CONFLICT` when its slug was taken or
    /// its section deleted meanwhile. Editors and up.
    async fn restore_article(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ArticleObject> {
        let id = ArticleId::parse_field(&id, "id")
            .map_err(|_| AppError::NotFound("article in the trash"))
            .gql()?;
        Ok(ArticleObject(services(ctx).restore_article(viewer(ctx), id).await.gql()?))
    }
}
