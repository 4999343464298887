use async_graphql::connection::Connection;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ErrorExtensions, ID, Json, Object, SimpleObject};

use super::comment::CommentObject;
use super::correction::CorrectionObject;
use super::diff::RevisionDiffObject;
use super::inputs::page_size;
use super::media::ImageObject;
use super::seo::SeoObject;
use super::taxonomy::{CategoryObject, TagObject};
use super::time::Timestamp;
use super::user::UserObject;
use super::{connection, first_thread_page};
use crate::domain::article::{Article, Revision};
use crate::domain::field::{AllValid, optional};
use crate::domain::page::{CursorKind, TimeCursor};
use crate::domain::time::now;
use crate::domain::{ArticleStatus, CommentsMode};
use crate::graphql::context::{categories, services, viewer};
use crate::graphql::errors::Gql;
use crate::graphql::loaders::{BodyLoader, RevisionLoader};
use crate::service::comments::{CommentQuery, Thread};

/// A story.
pub struct ArticleObject(pub Article);

#[Object(name = "Article")]
impl ArticleObject {
    pub async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Unique, URL-safe; derived from the title unless set.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The one-line standfirst.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The article's canonical page on the public site.
    async fn url(&self, ctx: &Context<'_>) -> String {
        services(ctx).site().article_url(&self.0)
    }
    /// What search engines and social cards show: overrides, or fallbacks.
    async fn seo(&self, ctx: &Context<'_>) -> SeoObject {
        services(ctx).site().seo(&self.0).into()
    }
    /// The article as a schema.org `NewsArticle` in JSON-LD.
    async fn structured_data(&self, ctx: &Context<'_>) -> Json<serde_json::Value> {
        Json(services(ctx).site().structured_data(&self.0))
    }
    /// The Markdown source.
    #[graphql(complexity = "crate::graphql::cost::BODY")]
    async fn body(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        if let Some(body) = &self.0.body {
            return Ok(body.markdown.clone());
        }
        let loader = ctx.data_unchecked::<DataLoader<BodyLoader>>();
        Ok(loader.load_one(self.0.id).await?.map(|b| b.markdown).unwrap_or_default())
    }
    /// The body rendered to HTML and sanitized: safe to insert into a page.
    #[graphql(complexity = "crate::graphql::cost::BODY")]
    async fn body_html(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        if let Some(body) = &self.0.body {
            return Ok(body.html.clone());
        }
        let loader = ctx.data_unchecked::<DataLoader<BodyLoader>>();
        Ok(loader.load_one(self.0.id).await?.map(|b| b.html).unwrap_or_default())
    }
    /// A library image (with renditions) or one hosted elsewhere.
    async fn cover_image(&self) -> Option<ImageObject> {
        ImageObject::cover_of(&self.0)
    }
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<CategoryObject> {
        let id = self.0.category.id;
        categories(ctx)
            .await?
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .map(CategoryObject)
            .ok_or_else(|| async_graphql::Error::new("the article's section vanished"))
    }
    async fn tags(&self) -> Vec<TagObject> {
        self.0.tags.iter().cloned().map(TagObject::from).collect()
    }
    async fn authors(&self) -> Vec<UserObject> {
        self.0.authors.iter().cloned().map(UserObject::from).collect()
    }
    /// Corrections and updates an editor appended, oldest first. Each moves
    /// `updatedAt` to its time.
    async fn corrections(&self) -> Vec<CorrectionObject> {
        self.0.corrections.iter().cloned().map(CorrectionObject).collect()
    }
    async fn status(&self) -> ArticleStatus {
        self.0.status
    }
    /// Whether readers may comment, and whether their comments wait for
    /// an editor's approval.
    async fn comments_mode(&self) -> CommentsMode {
        self.0.comments_mode
    }
    /// Featured by the editors (a home page's lead stories).
    async fn featured(&self) -> bool {
        self.0.featured
    }
    /// Breaking news now: published, with `breakingUntil` still ahead.
    async fn breaking(&self) -> bool {
        self.0.is_breaking(now())
    }
    /// When the breaking-news window ends; null when none is set (a window
    /// that has passed is cleared).
    async fn breaking_until(&self) -> Option<Timestamp> {
        self.0.breaking_until.map(Timestamp)
    }
    /// When the article leaves the site: the scheduler archives it then.
    async fn expires_at(&self) -> Option<Timestamp> {
        self.0.expires_at.map(Timestamp)
    }
    async fn published_at(&self) -> Option<Timestamp> {
        self.0.published_at.map(Timestamp)
    }
    async fn scheduled_at(&self) -> Option<Timestamp> {
        self.0.scheduled_at.map(Timestamp)
    }
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
    /// Increases with every change; pass it as `expectedVersion` to edit.
    async fn version(&self) -> i64 {
        self.0.version
    }
    /// Words / 200, rounded up, at least 1.
    async fn reading_time_minutes(&self) -> i32 {
        self.0.reading_time_minutes
    }
    /// Visible comments.
    async fn comment_count(&self) -> i32 {
        self.0.comment_count
    }
    /// In search results only (`filter: {search}`): a passage of the
    /// standfirst or body where the words were found, HTML-escaped, each
    /// matching word in `<mark>`: safe to insert into a page. Null elsewhere.
    async fn snippet(&self) -> Option<&str> {
        self.0.snippet.as_deref()
    }
    /// The top-level comments, oldest first.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn comments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, CommentObject>> {
        let (limit, after) = (
            page_size(first),
            optional(after.as_deref(), |c| TimeCursor::decode(CursorKind::Comments, c, "after")),
        )
            .all_valid()
            .gql()?;
        let page = match after {
            None => first_thread_page(ctx, Thread::Article(self.0.id), limit).await?,
            after => {
                let query = CommentQuery { parent: None, limit, after };
                services(ctx).list_comments(viewer(ctx), self.0.id, query).await.gql()?
            }
        };
        Ok(connection(page, CommentObject))
    }
    /// Every earlier version of the text, newest first: for the article's
    /// authors and editors.
    async fn revisions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RevisionObject>> {
        let loader = ctx.data_unchecked::<DataLoader<RevisionLoader>>();
        match loader.load_one(self.0.id).await?.as_deref() {
            Some(Ok(revisions)) => Ok(revisions.iter().cloned().map(RevisionObject::from).collect()),
            Some(Err(error)) => Err(error.extend()),
            None => Ok(Vec::new()),
        }
    }
    /// What changed from the text at `version` (a listed revision, or the
    /// current version) to the text at `against` (the current text when
    /// absent): for the article's authors and editors.
    #[graphql(complexity = "crate::graphql::cost::BODY * 3")]
    async fn revision_diff(
        &self,
        ctx: &Context<'_>,
        version: i64,
        against: Option<i64>,
    ) -> async_graphql::Result<RevisionDiffObject> {
        let changes = services(ctx).revision_diff(viewer(ctx), self.0.id, version, against).await.gql()?;
        Ok(changes.into())
    }
}

/// An earlier version of an article's text.
#[derive(SimpleObject)]
#[graphql(name = "Revision")]
pub struct RevisionObject {
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// Who wrote this version.
    pub editor: UserObject,
    /// When this version was written.
    pub created_at: Timestamp,
}

impl From<Revision> for RevisionObject {
    fn from(r: Revision) -> Self {
        Self {
            version: r.version,
            title: r.title,
            summary: r.summary,
            body: r.body,
            editor: r.editor.into(),
            created_at: Timestamp(r.created_at),
        }
    }
}
