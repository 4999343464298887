//! Live events for subscribers (GraphQL subscriptions): a story going live,
//! a comment posted. Every instance broadcasts what it does itself.

use std::sync::Arc;

use tokio::sync::broadcast;

use super::Services;
use crate::domain::ArticleId;
use crate::domain::Viewer;
use crate::domain::article::Article;
use crate::domain::comment::Comment;

/// How many events a slow subscriber may fall behind before it skips some.
const BACKLOG: usize = 1024;

#[derive(Debug, Clone)]
pub enum Event {
    /// An article became public: published now, or a scheduled one going live.
    ArticlePublished(Arc<Article>),
    /// A visible comment was posted.
    CommentAdded(Arc<Comment>),
}

pub fn channel() -> broadcast::Sender<Event> {
    broadcast::channel(BACKLOG).0
}

impl Services {
    /// Every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Announces that an article went live, as the public sees it.
    pub(super) async fn announce_published(&self, id: ArticleId) {
        match self.get_article(Viewer::Anonymous, id.to_string()).await {
            Ok(article) => {
                // No subscriber is not an error.
                let _ = self.events.send(Event::ArticlePublished(Arc::new(article)));
            }
            Err(error) => tracing::warn!(%error, %id, "published article could not be announced"),
        }
    }

    pub(super) fn announce_comment(&self, comment: &Comment) {
        let _ = self.events.send(Event::CommentAdded(Arc::new(comment.clone())));
    }
}
