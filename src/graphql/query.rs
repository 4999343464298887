//! Reading.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object};

use super::context::{categories, services, viewer};
use super::errors::Gql;
use super::types::article::ArticleObject;
use super::types::connection;
use super::types::inputs::{ArticleFilter, article_query, page_size};
use super::types::taxonomy::{CategoryObject, TagObject};
use super::types::user::UserObject;
use crate::domain::field::{AllValid, optional};
use crate::domain::page::{CursorKind, KeyCursor};
use crate::error::{AppError, ErrorCode};

pub struct QueryRoot;

/// `NOT_FOUND` as `null`: the GraphQL way to say a single thing is absent.
fn found<T>(result: crate::error::AppResult<T>) -> async_graphql::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.code() == ErrorCode::NotFound => Ok(None),
        Err(error) => Err(error).gql(),
    }
}

#[Object(name = "Query")]
impl QueryRoot {
    /// Published articles, newest first (by relevance with `search`).
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
        filter: Option<ArticleFilter>,
    ) -> async_graphql::Result<Connection<String, ArticleObject>> {
        let query = article_query(filter.unwrap_or_default(), first, after.as_deref()).gql()?;
        let page = services(ctx).list_articles(viewer(ctx), query).await.gql()?;
        Ok(connection(page, ArticleObject))
    }

    /// One article, by id or by slug; null if there is none the caller may see.
    async fn article(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        slug: Option<String>,
    ) -> async_graphql::Result<Option<ArticleObject>> {
        let key = match (id, slug) {
            (Some(id), None) => id.0,
            (None, Some(slug)) => slug,
            _ => return Err(AppError::invalid("id", "give exactly one of `id` and `slug`")).gql(),
        };
        Ok(found(services(ctx).get_article(viewer(ctx), key).await)?.map(ArticleObject))
    }

    /// Every section, in tree order (each parent followed by its children).
    async fn categories(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CategoryObject>> {
        Ok(categories(ctx).await?.iter().cloned().map(CategoryObject).collect())
    }

    /// One section by slug; null if there is none.
    async fn category(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> async_graphql::Result<Option<CategoryObject>> {
        let slug = slug.trim().to_lowercase();
        Ok(categories(ctx).await?.iter().find(|c| c.slug == slug).cloned().map(CategoryObject))
    }

    /// Every tag, in slug order.
    async fn tags(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TagObject>> {
        Ok(services(ctx).all_tags().await.gql()?.into_iter().map(TagObject::from).collect())
    }

    /// The signed-in account; null for anonymous callers.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        if viewer(ctx).principal().is_none() {
            return Ok(None);
        }
        Ok(Some(services(ctx).me(viewer(ctx)).await.gql()?.into()))
    }

    /// Every account, oldest first. Admins only.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, UserObject>> {
        let (limit, after) = (
            page_size(first),
            optional(after.as_deref(), |c| KeyCursor::decode(CursorKind::Users, c, "after")),
        )
            .all_valid()
            .gql()?;
        let page = services(ctx).list_users(viewer(ctx), limit, after).await.gql()?;
        Ok(connection(page, UserObject::from))
    }
}
