//! Reading.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Interface, Object};

use super::context::{categories, services, viewer};
use super::errors::Gql;
use super::types::account::AccountExportObject;
use super::types::article::ArticleObject;
use super::types::article_inputs::{ArticleFilter, article_query};
use super::types::audit::AuditEntryObject;
use super::types::collection::CollectionObject;
use super::types::comment::CommentObject;
use super::types::connection;
use super::types::facets::{ArticleConnection, article_connection};
use super::types::inputs::page_size;
use super::types::media::{MediaObject, MediaUsage, MediaUse};
use super::types::moderation::QueueEntryObject;
use super::types::preview::mark_private;
use super::types::taxonomy::{CategoryObject, TagObject};
use super::types::time::Timestamp;
use super::types::trash::TrashedArticleObject;
use super::types::user::UserObject;
use crate::domain::audit::{AuditAction, AuditQuery, target_filter};
use crate::domain::field::{AllValid, optional};
use crate::domain::filters::SearchText;
use crate::domain::page::{CursorKind, KeyCursor, TimeCursor};
use crate::domain::{MediaId, UserId};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::articles::TrashQuery;
use crate::service::media::MediaQuery;

pub struct QueryRoot;

/// `NOT_FOUND` as `null`: the GraphQL way to say a single thing is absent.
fn found<T>(result: AppResult<T>) -> async_graphql::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.code() == ErrorCode::NotFound => Ok(None),
        Err(error) => Err(error).gql(),
    }
}

/// Anything with a global id, fetched again by it (Relay's object
/// identification). Ids are UUIDs, unique across kinds.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    /// Boxed: an article is many times the size of the others.
    Article(Box<ArticleObject>),
    Comment(CommentObject),
    Category(CategoryObject),
    Tag(TagObject),
    User(UserObject),
}

#[Object(name = "Query")]
impl QueryRoot {
    /// Published articles, newest first (headline matches first with `search`).
    #[graphql(complexity = "crate::graphql::cost::articles(first, filter.as_ref(), child_complexity)")]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
        filter: Option<ArticleFilter>,
    ) -> async_graphql::Result<ArticleConnection> {
        let query = article_query(filter.unwrap_or_default(), first, after.as_deref()).gql()?;
        let page = services(ctx).list_articles(viewer(ctx), query.clone()).await.gql()?;
        Ok(article_connection(page, query))
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

    /// The article a preview link opens, as it is now, whatever its status
    /// and whoever asks; null once the link expired or was revoked. The
    /// answer is never cached (`Cache-Control: private, no-store`). Its
    /// `comments` and `revisions` follow the caller's own rights, as on
    /// `article`: ask for them on published stories only.
    async fn preview(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> async_graphql::Result<Option<ArticleObject>> {
        mark_private(ctx);
        Ok(found(services(ctx).read_preview(&token).await)?.map(ArticleObject))
    }

    /// One comment; null if there is none the caller may see.
    async fn comment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<CommentObject>> {
        Ok(found(services(ctx).get_comment(viewer(ctx), &id).await)?.map(CommentObject))
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
        if let Some(found) = categories(ctx).await?.iter().find(|c| c.slug == slug) {
            return Ok(Some(CategoryObject(found.clone())));
        }
        // A slug the section had before resolves to it.
        Ok(found(services(ctx).get_category(&slug).await)?.map(CategoryObject))
    }

    /// Tags in slug order, a page at a time.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn tags(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, TagObject>> {
        let (limit, after) = (
            page_size(first),
            optional(after.as_deref(), |c| KeyCursor::decode(CursorKind::Tags, c, "after")),
        )
            .all_valid()
            .gql()?;
        let page = services(ctx).list_tags(limit, after).await.gql()?;
        Ok(connection(page, TagObject::from))
    }

    /// One tag, by slug or id; null if there is none.
    async fn tag(&self, ctx: &Context<'_>, slug: String) -> async_graphql::Result<Option<TagObject>> {
        Ok(found(services(ctx).get_tag(&slug).await)?.map(TagObject::from))
    }

    /// Every collection with its articles, in slug order: a home screen's
    /// curated lists in one request. Readers see the published articles
    /// only; editors every one.
    #[graphql(complexity = "crate::graphql::cost::collections(child_complexity)")]
    async fn collections(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CollectionObject>> {
        let all = services(ctx).list_collections(viewer(ctx)).await.gql()?;
        Ok(all.into_iter().map(CollectionObject).collect())
    }

    /// One collection by slug; null if there is none.
    async fn collection(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> async_graphql::Result<Option<CollectionObject>> {
        Ok(found(services(ctx).get_collection(viewer(ctx), &slug).await)?.map(CollectionObject))
    }

    /// The signed-in account; null for anonymous callers.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        if viewer(ctx).principal().is_none() {
            return Ok(None);
        }
        Ok(Some(UserObject::account(services(ctx).me(viewer(ctx)).await.gql()?)))
    }

    /// Everything kept about the signed-in user: the account, every comment
    /// they wrote in any state, every report they filed. Signed-in users.
    async fn account_export(&self, ctx: &Context<'_>) -> async_graphql::Result<AccountExportObject> {
        Ok(AccountExportObject(services(ctx).export_account(viewer(ctx)).await.gql()?))
    }

    /// One account. Admins only; null if there is none.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<UserObject>> {
        Ok(found(services(ctx).get_user(viewer(ctx), &id).await)?.map(UserObject::account))
    }

    /// Every account, oldest first. Admins only.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
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
        Ok(connection(page, UserObject::account))
    }

    /// Comments waiting for an editor, on every article, oldest first: held
    /// for approval, and visible ones readers reported. Editors and up.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn moderation_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, QueueEntryObject>> {
        let (limit, after) = (
            page_size(first),
            optional(after.as_deref(), |c| TimeCursor::decode(CursorKind::Queue, c, "after")),
        )
            .all_valid()
            .gql()?;
        let page = services(ctx).moderation_queue(viewer(ctx), limit, after).await.gql()?;
        Ok(connection(page, QueueEntryObject))
    }

    /// Every staff action, newest first, narrowed by any of the filters:
    /// who did it (`actor`), what (`action`), to which thing (`target`, its
    /// id), and when (`from` inclusive, `to` exclusive). Admins.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    #[allow(clippy::too_many_arguments, reason = "one argument per filter, as REST has one parameter each")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
        actor: Option<ID>,
        action: Option<AuditAction>,
        target: Option<ID>,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> async_graphql::Result<Connection<String, AuditEntryObject>> {
        let (limit, after, actor, target) = (
            page_size(first),
            optional(after.as_deref(), |c| TimeCursor::decode(CursorKind::Audit, c, "after")),
            optional(actor.as_ref().map(|id| id.0.as_str()), |id| UserId::parse_field(id, "actor")),
            optional(target.as_ref().map(|id| id.0.as_str()), target_filter),
        )
            .all_valid()
            .gql()?;
        let query =
            AuditQuery { actor, action, target, from: from.map(|t| t.0), to: to.map(|t| t.0), limit, after };
        let page = services(ctx).audit_log(viewer(ctx), query).await.gql()?;
        Ok(connection(page, AuditEntryObject))
    }

    /// Articles deleted within the retention window (30 days unless
    /// configured), most recently deleted first; `restoreArticle` brings
    /// one back. Editors and up.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn trash(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, TrashedArticleObject>> {
        let (limit, after) = (
            page_size(first),
            optional(after.as_deref(), |c| TimeCursor::decode(CursorKind::Trash, c, "after")),
        )
            .all_valid()
            .gql()?;
        let page = services(ctx).list_trash(viewer(ctx), TrashQuery { limit, after }).await.gql()?;
        Ok(connection(page, TrashedArticleObject))
    }

    /// One item of the media library; null if there is none. Authors and up.
    async fn media(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<MediaObject>> {
        let Ok(id) = MediaId::parse_field(&id, "id") else { return Ok(None) };
        Ok(found(services(ctx).get_media(viewer(ctx), id).await)?.map(MediaObject))
    }

    /// The media library, newest first; `search` finds words in captions,
    /// credits and alt text. Authors and up.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn media_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
        search: Option<String>,
    ) -> async_graphql::Result<Connection<String, MediaObject>> {
        let (limit, after, search) = (
            page_size(first),
            optional(after.as_deref(), |c| TimeCursor::decode(CursorKind::Media, c, "after")),
            search.as_deref().map_or(Ok(None), |q| SearchText::parse(q, "search")),
        )
            .all_valid()
            .gql()?;
        let page = services(ctx).list_media(viewer(ctx), MediaQuery { limit, after, search }).await.gql()?;
        Ok(connection(page, MediaObject))
    }

    /// The articles using an image, as cover or in the body. Authors and up.
    async fn media_usage(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<MediaUsage> {
        let id = MediaId::parse_field(&id, "id").map_err(|_| AppError::NotFound("media item")).gql()?;
        let (users, others) = services(ctx).media_used_by(viewer(ctx), id).await.gql()?;
        let articles = users
            .into_iter()
            .map(|u| MediaUse { id: ID(u.id.to_string()), slug: u.slug, title: u.title, status: u.status })
            .collect();
        Ok(MediaUsage { articles, others: i32::try_from(others).unwrap_or(i32::MAX) })
    }

    /// Anything by its id: an article, comment, section, tag or person the
    /// caller may see; null otherwise.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        let (services, viewer) = (services(ctx), viewer(ctx));
        let Ok(uuid) = id.trim().parse::<uuid::Uuid>() else { return Ok(None) };
        if let Some(article) =
            found(services.get_article(viewer, crate::domain::ArticleId::from(uuid)).await)?
        {
            return Ok(Some(Node::Article(Box::new(ArticleObject(article)))));
        }
        if let Some(comment) = found(services.get_comment(viewer, &id).await)? {
            return Ok(Some(Node::Comment(CommentObject(comment))));
        }
        let section = crate::domain::CategoryId::from(uuid);
        if let Some(category) = categories(ctx).await?.iter().find(|c| c.id == section) {
            return Ok(Some(Node::Category(CategoryObject(category.clone()))));
        }
        if let Some(tag) = found(services.get_tag(&id).await)? {
            return Ok(Some(Node::Tag(tag.into())));
        }
        let people = services.people(viewer, vec![crate::domain::UserId::from(uuid)]).await.gql()?;
        Ok(people.into_iter().next().map(|person| Node::User(UserObject::person(person))))
    }
}
