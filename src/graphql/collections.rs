//! Mutations of collections, merged into the schema's `Mutation` type.

use async_graphql::{Context, ID, Object};

use super::context::{services, viewer};
use super::errors::Gql;
use super::types::collection::{CollectionObject, CreateCollectionInput, UpdateCollectionInput};
use crate::domain::ArticleId;
use crate::domain::collection::item_list;
use crate::domain::field::Named;

#[derive(Default)]
pub struct CollectionMutations;

#[Object]
impl CollectionMutations {
    /// Starts an empty collection. Editors and up.
    async fn create_collection(
        &self,
        ctx: &Context<'_>,
        input: CreateCollectionInput,
    ) -> async_graphql::Result<CollectionObject> {
        let new = input.try_into().gql()?;
        Ok(CollectionObject(services(ctx).create_collection(viewer(ctx), new).await.gql()?))
    }

    /// Changes a collection's own fields, only if still at
    /// `expectedVersion` when given. Editors and up.
    async fn update_collection(
        &self,
        ctx: &Context<'_>,
        slug: String,
        expected_version: Option<i64>,
        input: UpdateCollectionInput,
    ) -> async_graphql::Result<CollectionObject> {
        let patch = input.try_into().gql()?;
        let collection =
            services(ctx).update_collection(viewer(ctx), &slug, expected_version, patch).await.gql()?;
        Ok(CollectionObject(collection))
    }

    /// Replaces a collection's whole list with `articleIds`, in that order,
    /// only if it is still at `expectedVersion` (else `PRECONDITION_FAILED`).
    /// Editors and up.
    async fn set_collection_items(
        &self,
        ctx: &Context<'_>,
        slug: String,
        expected_version: i64,
        article_ids: Vec<ID>,
    ) -> async_graphql::Result<CollectionObject> {
        let ids = article_ids
            .iter()
            .map(|id| ArticleId::parse_field(id, "articleIds"))
            .collect::<Result<Vec<_>, _>>()
            .and_then(|ids| item_list(ids, "articleIds"))
            .gql()?;
        let collection = services(ctx)
            .set_collection_items(viewer(ctx), &slug, expected_version, Named::new(ids, "articleIds"))
            .await
            .gql()?;
        Ok(CollectionObject(collection))
    }

    /// Deletes a collection (never its articles). Editors and up.
    async fn delete_collection(
        &self,
        ctx: &Context<'_>,
        slug: String,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<bool> {
        services(ctx).delete_collection(viewer(ctx), &slug, expected_version).await.gql()?;
        Ok(true)
    }
}
