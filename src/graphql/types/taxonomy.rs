use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object};

use super::article_inputs::{ArticleFilter, article_query};
use super::facets::{ArticleConnection, article_connection};
use super::time::Timestamp;
use crate::domain::TagId;
use crate::domain::page::Page;
use crate::domain::taxonomy::{self, Category};
use crate::graphql::context::{categories, services, viewer};
use crate::graphql::errors::Gql;
use crate::graphql::loaders::SectionFeedLoader;

/// A section. Sections form a tree (World › Europe).
pub struct CategoryObject(pub Category);

#[Object(name = "Category")]
impl CategoryObject {
    pub async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The section's page on the public site.
    async fn url(&self, ctx: &Context<'_>) -> String {
        services(ctx).site().section_url(self.0.id, &self.0.slug)
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Order among its siblings.
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
    /// The parent section; null at the top level.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CategoryObject>> {
        let Some(parent) = self.0.parent_id else { return Ok(None) };
        Ok(categories(ctx).await?.iter().find(|c| c.id == parent).cloned().map(CategoryObject))
    }
    /// The sub-sections, in order.
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CategoryObject>> {
        let all = categories(ctx).await?;
        Ok(taxonomy::tree_order(all.to_vec())
            .into_iter()
            .filter(|c| c.parent_id == Some(self.0.id))
            .map(CategoryObject)
            .collect())
    }
    /// Published articles in this section and its sub-sections, newest first.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ArticleConnection> {
        let filter = ArticleFilter { category: Some(self.0.slug.clone()), ..ArticleFilter::default() };
        let query = article_query(filter, first, after.as_deref()).gql()?;
        let page = match &query.after {
            // The first page of every section on the request comes in one batch.
            None => {
                let loader = ctx.data_unchecked::<DataLoader<SectionFeedLoader>>();
                loader.load_one((self.0.id, query.limit)).await?.unwrap_or_else(Page::empty)
            }
            Some(_) => services(ctx).list_articles(viewer(ctx), query.clone()).await.gql()?,
        };
        Ok(article_connection(page, query))
    }
}

/// A tag.
pub struct TagObject {
    id: TagId,
    slug: String,
    name: String,
}

#[Object(name = "Tag")]
impl TagObject {
    pub async fn id(&self) -> ID {
        self.id.into()
    }
    async fn slug(&self) -> &str {
        &self.slug
    }
    async fn name(&self) -> &str {
        &self.name
    }
    /// The tag's page on the public site.
    async fn url(&self, ctx: &Context<'_>) -> String {
        services(ctx).site().tag_url(self.id, &self.slug)
    }
}

impl From<taxonomy::Tag> for TagObject {
    fn from(t: taxonomy::Tag) -> Self {
        Self { id: t.id, slug: t.slug, name: t.name }
    }
}

impl From<crate::domain::article::TagRef> for TagObject {
    fn from(t: crate::domain::article::TagRef) -> Self {
        Self { id: t.id, slug: t.slug, name: t.name }
    }
}
