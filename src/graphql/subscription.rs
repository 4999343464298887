//! Live updates over WebSocket (graphql-transport-ws).

use std::sync::Arc;

use async_graphql::{Context, ID, Subscription};
use futures_util::Stream;
use futures_util::stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::context::{categories, services};
use super::errors::Gql;
use super::types::article::ArticleObject;
use super::types::collection::CollectionObject;
use super::types::comment::CommentObject;
use crate::domain::article::Article;
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
        let sections = sections_of(ctx, category).await?;
        Ok(articles(ctx, move |event| match event {
            Event::ArticlePublished(article) if in_sections(&sections, article) => Some(article.clone()),
            _ => None,
        }))
    }

    /// Fires when a published article becomes breaking news: an editor opens
    /// its window, or it goes live with one open. With `category` (a slug),
    /// only for that section and its sub-sections.
    async fn article_breaking(
        &self,
        ctx: &Context<'_>,
        category: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = ArticleObject> + use<>> {
        let sections = sections_of(ctx, category).await?;
        Ok(articles(ctx, move |event| match event {
            Event::ArticleBreaking(article) if in_sections(&sections, article) => Some(article.clone()),
            _ => None,
        }))
    }

    /// Fires when a collection changes (its list or its fields), with the
    /// collection as readers now see it.
    async fn collection_changed(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> async_graphql::Result<impl Stream<Item = CollectionObject> + use<>> {
        // Only collections that exist can be followed; followed by id, so a
        // new slug does not lose the subscriber.
        let id = services(ctx).get_collection(super::context::viewer(ctx), &slug).await.gql()?.info.id;
        let events = BroadcastStream::new(services(ctx).subscribe());
        Ok(events.filter_map(move |event| {
            let wanted = match event {
                Ok(Event::CollectionChanged(collection)) if collection.info.id == id => {
                    Some(CollectionObject((*collection).clone()))
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

/// The section a `category` argument names, with its sub-sections; `None`
/// for every section.
async fn sections_of(
    ctx: &Context<'_>,
    category: Option<String>,
) -> async_graphql::Result<Option<Vec<CategoryId>>> {
    let Some(slug) = category else { return Ok(None) };
    let slug = slug.trim().to_lowercase();
    let all = categories(ctx).await?;
    let root = all
        .iter()
        .find(|c| c.slug == slug)
        .ok_or_else(|| AppError::invalid("category", "no section has this slug"))
        .gql()?;
    Ok(Some(subtree(root.id, all)))
}

fn in_sections(sections: &Option<Vec<CategoryId>>, article: &Article) -> bool {
    sections.as_ref().is_none_or(|ids| ids.contains(&article.category.id))
}

/// The articles `pick` takes from the events from now on.
fn articles<Pick>(ctx: &Context<'_>, pick: Pick) -> impl Stream<Item = ArticleObject> + use<Pick>
where
    Pick: Fn(&Event) -> Option<Arc<Article>> + Send + 'static,
{
    BroadcastStream::new(services(ctx).subscribe()).filter_map(move |event| {
        let wanted = event.ok().as_ref().and_then(&pick).map(|article| ArticleObject((*article).clone()));
        async move { wanted }
    })
}
