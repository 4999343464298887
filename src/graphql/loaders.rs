//! DataLoaders: relations a list asks for are fetched once for the whole
//! list, so a request's statements do not grow with its page size.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use futures_util::future::BoxFuture;

use super::errors::Gql;
use crate::domain::article::{Article, ArticleBody, Revision};
use crate::domain::comment::Comment;
use crate::domain::page::{Limit, Page};
use crate::domain::{ArticleId, CategoryId, CommentId, UserId, Viewer};
use crate::error::AppResult;
use crate::service::Services;
use crate::service::accounts::Person;
use crate::service::budget::{Budget, within};
use crate::service::comments::Thread;
use crate::service::freshness::{Shown, showing};

/// A loaded answer that may be a refusal, shared by every resolver that asked.
pub type Shared<T> = Arc<AppResult<T>>;

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

/// The first page of thread levels (an article's comments, a comment's
/// replies), for every parent on the page at once.
pub struct ThreadLoader {
    pub services: Services,
    pub viewer: Viewer,
}

impl Loader<(Thread, Limit)> for ThreadLoader {
    type Value = Shared<Page<Comment>>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[(Thread, Limit)],
    ) -> Result<HashMap<(Thread, Limit), Self::Value>, Self::Error> {
        let mut answers = HashMap::new();
        for (limit, threads) in by_page_size(keys) {
            let pages = self.services.first_comment_pages(self.viewer, threads, limit).await.gql()?;
            answers.extend(pages.into_iter().map(|(thread, page)| ((thread, limit), Arc::new(page))));
        }
        Ok(answers)
    }
}

/// The first page of the public feed of sections, for every section at once.
pub struct SectionFeedLoader(pub Services);

impl Loader<(CategoryId, Limit)> for SectionFeedLoader {
    type Value = Page<Article>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[(CategoryId, Limit)],
    ) -> Result<HashMap<(CategoryId, Limit), Self::Value>, Self::Error> {
        let mut answers = HashMap::new();
        for (limit, sections) in by_page_size(keys) {
            let pages = self.0.section_pages(sections, limit).await.gql()?;
            answers.extend(pages.into_iter().map(|(section, page)| ((section, limit), page)));
        }
        Ok(answers)
    }
}

/// The revisions of articles, for every article at once.
pub struct RevisionLoader {
    pub services: Services,
    pub viewer: Viewer,
}

impl Loader<ArticleId> for RevisionLoader {
    type Value = Shared<Vec<Revision>>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[ArticleId]) -> Result<HashMap<ArticleId, Self::Value>, Self::Error> {
        let answers = self.services.revisions_of_many(self.viewer, keys.to_vec()).await.gql()?;
        Ok(answers.into_iter().map(|(id, answer)| (id, Arc::new(answer))).collect())
    }
}

/// The keys of a batch grouped by the page size asked with them, each size
/// once, in the order first asked: one load per size.
fn by_page_size<K: Copy>(keys: &[(K, Limit)]) -> Vec<(Limit, Vec<K>)> {
    let mut groups: Vec<(Limit, Vec<K>)> = Vec::new();
    for &(key, limit) in keys {
        match groups.iter_mut().find(|(l, _)| *l == limit) {
            Some((_, group)) => group.push(key),
            None => groups.push((limit, vec![key])),
        }
    }
    groups
}

/// How many times a batch lets the request's own task run before it loads.
const SIBLING_TURNS: usize = 64;

/// Starts a batch once the request has asked for every key it is about to:
/// a request and its batches share one worker thread, so the batch simply
/// yields until the request's resolvers have all had their turn. The
/// executor polls a long list of fields 32 at a time, yielding between; a
/// timer (the loaders' default) would cut a batch at one of those yields.
/// What the batch reads is shown by the request, for the response cache.
fn after_the_request(batch: BoxFuture<'static, ()>) -> actix_web::rt::task::JoinHandle<()> {
    let (shown, budget) = (Shown::current(), Budget::current());
    actix_web::rt::spawn(async move {
        for _ in 0..SIBLING_TURNS {
            tokio::task::yield_now().await;
        }
        // The batch spends the request's budget of database calls too.
        let batch: BoxFuture<'static, ()> = match budget {
            Some(budget) => Box::pin(within(budget, batch)),
            None => batch,
        };
        match shown {
            Some(shown) => showing(shown, batch).await,
            None => batch.await,
        }
    })
}

fn loader<T: Loader<K>, K>(loader: T) -> DataLoader<T>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
{
    DataLoader::new(loader, after_the_request).delay(std::time::Duration::ZERO)
}

/// Everything a request's resolvers may load in batches, for `viewer`.
pub fn install(data: &mut async_graphql::Data, services: &Services, viewer: Viewer) {
    data.insert(loader::<_, ArticleId>(BodyLoader(services.clone())));
    data.insert(loader::<_, CommentId>(CommentLoader { services: services.clone(), viewer }));
    data.insert(loader::<_, UserId>(PersonLoader { services: services.clone(), viewer }));
    data.insert(loader::<_, (Thread, Limit)>(ThreadLoader { services: services.clone(), viewer }));
    data.insert(loader::<_, (CategoryId, Limit)>(SectionFeedLoader(services.clone())));
    data.insert(loader::<_, ArticleId>(RevisionLoader { services: services.clone(), viewer }));
}
