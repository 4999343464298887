//! Live updates over WebSocket (graphql-transport-ws).

use async_graphql::{Context, ID, Subscription};
use futures_util::Stream;
use futures_util::stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::context::{categories, services};
use super::errors::Gql;
use super::types::article::ArticleObject;
use super::types::comment::CommentObject;
use crate::domain::taxonomy::subtree;
use crate::domain::{ArticleId, CategoryId};
use crate::error::AppError;
use crate::service::events::Event;

pub struct SubscriptionRoot;

#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Fires when an article goes live, published now or reaching its
    /// scheduled time. With `category` (a slug), only for that section and
    /// its sub-sections.
    async fn article_published(
        &self,
        ctx: &Context<'_>,
        category: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = ArticleObject> + use<>> {
        let sections: Option<Vec<CategoryId>> = match category {
            None => None,
            Some(slug) => {
                let slug = slug.trim().to_lowercase();
                let all = categories(ctx).await?;
                let root = all
                    .iter()
                    .find(|c| c.slug == slug)
                    .ok_or_else(|| AppError::invalid("category", "no section has this slug"))
                    .gql()?;
                Some(subtree(root.id, all))
            }
        };
        let events = BroadcastStream::new(services(ctx).subscribe());
        Ok(events.filter_map(move |event| {
            let wanted = match event {
                Ok(Event::ArticlePublished(article))
                    if sections.as_ref().is_none_or(|ids| ids.contains(&article.category.id)) =>
                {
                    Some(ArticleObject((*article).clone()))
                }
                _ => None,
            };
            async move { wanted }
        }))
    }

    /// Fires when a comment is posted on the article.
    async fn comment_added(
        &self,
        ctx: &Context<'_>,
        article_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = CommentObject> + use<>> {
        let id = ArticleId::parse_field(&article_id, "articleId").gql()?;
        // Only articles the caller may read can be followed.
        services(ctx).get_article(super::context::viewer(ctx), id).await.gql()?;
        let events = BroadcastStream::new(services(ctx).subscribe());
        Ok(events.filter_map(move |event| {
            let wanted = match event {
                Ok(Event::CommentAdded(comment)) if comment.article_id == id => {
                    Some(CommentObject((*comment).clone()))
                }
                _ => None,
            };
            async move { wanted }
        }))
    }
}
