//! DataLoaders: relations a list asks for are fetched once for the whole
//! list, so a request's statements do not grow with its page size.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use super::errors::Gql;
use crate::domain::article::ArticleBody;
use crate::domain::comment::Comment;
use crate::domain::{ArticleId, CommentId, UserId, Viewer};
use crate::service::Services;
use crate::service::accounts::Person;

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

/// People (bylines, comment authors), as the requesting viewer may see them.
pub struct PersonLoader {
    pub services: Services,
    pub viewer: Viewer,
}

impl Loader<UserId> for PersonLoader {
    type Value = Person;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[UserId]) -> Result<HashMap<UserId, Person>, Self::Error> {
        let people = self.services.people(self.viewer, keys.to_vec()).await.gql()?;
        Ok(people.into_iter().map(|p| (p.id, p)).collect())
    }
}

/// Everything a request's resolvers may load in batches, for `viewer`.
pub fn install(data: &mut async_graphql::Data, services: &Services, viewer: Viewer) {
    use async_graphql::dataloader::DataLoader;
    let spawn = actix_web::rt::spawn;
    data.insert(DataLoader::new(BodyLoader(services.clone()), spawn));
    data.insert(DataLoader::new(CommentLoader { services: services.clone(), viewer }, spawn));
    data.insert(DataLoader::new(PersonLoader { services: services.clone(), viewer }, spawn));
}
