//! DataLoaders: relations a list asks for are fetched once for the whole
//! list, so a request's statements do not grow with its page size.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::errors::Gql;
use crate::domain::article::ArticleBody;
use crate::domain::comment::Comment;
use crate::domain::{ArticleId, CommentId, Viewer};
use crate::service::Services;

/// Article bodies (lists leave them out).
pub struct BodyLoader(pub Services);

impl Loader<ArticleId> for BodyLoader {
    type Value = ArticleBody;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[ArticleId]) -> Result<HashMap<ArticleId, ArticleBody>, Self::Error> {
        self.0.article_bodies(keys.to_vec()).await.gql()
    }
}

/// Comments by id (a reply's parent), as the requesting viewer may see them.
pub struct CommentLoader {
    pub services: Services,
    pub viewer: Viewer,
}

impl Loader<CommentId> for CommentLoader {
    type Value = Comment;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[CommentId]) -> Result<HashMap<CommentId, Comment>, Self::Error> {
        let comments = self.services.comments_by_ids(self.viewer, keys.to_vec()).await.gql()?;
        Ok(comments.into_iter().map(|c| (c.id, c)).collect())
    }
}
