use async_graphql::connection::Connection;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object};

use super::inputs::page_size;
use super::time::Timestamp;
use super::user::UserObject;
use super::{connection, first_thread_page};
use crate::domain::CommentStatus;
use crate::domain::comment::Comment;
use crate::domain::field::{AllValid, optional};
use crate::domain::page::{CursorKind, TimeCursor};
use crate::graphql::context::{services, viewer};
use crate::graphql::errors::Gql;
use crate::graphql::loaders::CommentLoader;
use crate::service::comments::{CommentQuery, Thread};

/// A reader comment.
pub struct CommentObject(pub Comment);

#[Object(name = "Comment")]
impl CommentObject {
    pub async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn article_id(&self) -> ID {
        self.0.article_id.into()
    }
    /// Null on a deleted comment.
    async fn author(&self) -> Option<UserObject> {
        self.0.author.clone().map(UserObject::from)
    }
    /// Plain text, never markup. Null on a deleted comment.
    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
    async fn status(&self) -> CommentStatus {
        self.0.status
    }
    /// Replies in public view (visible ones and tombstones).
    async fn reply_count(&self) -> i32 {
        self.0.reply_count
    }
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
    async fn edited_at(&self) -> Option<Timestamp> {
        self.0.edited_at.map(Timestamp)
    }
    /// The comment this replies to; null at the top level.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CommentObject>> {
        let Some(parent) = self.0.parent_id else { return Ok(None) };
        let loader = ctx.data_unchecked::<DataLoader<CommentLoader>>();
        Ok(loader.load_one(parent).await?.map(CommentObject))
    }
    /// The replies, oldest first.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn replies(
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
            None => first_thread_page(ctx, Thread::Replies(self.0.id), limit).await?,
            after => {
                let query = CommentQuery { parent: Some(self.0.id), limit, after };
                services(ctx).list_comments(viewer(ctx), self.0.article_id, query).await.gql()?
            }
        };
        Ok(connection(page, CommentObject))
    }
}
