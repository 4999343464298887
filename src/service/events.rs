//! Live events for subscribers (GraphQL subscriptions): a story going live
//! or becoming breaking news, a comment posted, a collection changed. On
//! PostgreSQL they also travel between instances, so a subscriber hears of
//! what happens on any instance behind the balancer.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::Services;
use crate::domain::article::Article;
use crate::domain::collection::Collection;
use crate::domain::comment::Comment;
use crate::domain::time::now;
use crate::domain::{ArticleId, CollectionId, CommentId, Viewer};

/// How many events a slow subscriber may fall behind before it skips some.
const BACKLOG: usize = 1024;

#[derive(Debug, Clone)]
pub enum Event {
    /// An article became public: published now, or a scheduled one going live.
    ArticlePublished(Arc<Article>),
    /// A public article became breaking news: its window was set, or it
    /// went live with one open.
    ArticleBreaking(Arc<Article>),
    /// A visible comment was posted.
    CommentAdded(Arc<Comment>),
    /// A collection was made or changed (its fields or its list), as
    /// readers now see it.
    CollectionChanged(Arc<Collection>),
}

pub fn channel() -> broadcast::Sender<Event> {
    broadcast::channel(BACKLOG).0
}

/// What crosses between instances: which event, about what, from whom.
#[derive(Debug, Serialize, Deserialize)]
struct Notice {
    origin: uuid::Uuid,
    #[serde(flatten)]
    about: About,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
enum About {
    /// Went live.
    Article(ArticleId),
    /// Became breaking news while live.
    Breaking(ArticleId),
    Comment(CommentId),
    Collection(CollectionId),
}

impl Services {
    /// Every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// How many subscribers are listening for events on this instance.
    pub fn subscribers(&self) -> usize {
        self.events.receiver_count()
    }

    /// Announces that an article went live, as the public sees it, and that
    /// it is breaking news if it went live with its window open.
    pub(super) async fn announce_published(&self, id: ArticleId) {
        match self.get_article(Viewer::Anonymous, id).await {
            Ok(article) => {
                let breaking = article.is_breaking(now());
                let article = Arc::new(article);
                self.send_all([Event::ArticlePublished(article.clone())]);
                self.tell_siblings(About::Article(id)).await;
                // Told apart, so that a sibling reading the story later (when
                // an edit may have opened a window) does not tell it twice.
                if breaking {
                    self.send_all([Event::ArticleBreaking(article)]);
                    self.tell_siblings(About::Breaking(id)).await;
                }
            }
            Err(error) => tracing::warn!(%error, %id, "published article could not be announced"),
        }
    }

    /// Announces that a live article became breaking news.
    pub(super) async fn announce_breaking(&self, id: ArticleId) {
        match self.get_article(Viewer::Anonymous, id).await {
            Ok(article) => {
                self.send_all(became_breaking(article));
                self.tell_siblings(About::Breaking(id)).await;
            }
            Err(error) => tracing::warn!(%error, %id, "breaking article could not be announced"),
        }
    }

    fn send_all(&self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            // No subscriber is not an error.
            let _ = self.events.send(event);
        }
    }

    /// Tells this instance's subscribers of a new comment. Other instances
    /// hear of it from [`Services::comment_notice`], sent in the transaction
    /// that wrote it.
    pub(super) fn announce_comment(&self, comment: Comment) {
        let _ = self.events.send(Event::CommentAdded(Arc::new(comment)));
    }

    /// What tells the other instances of comment `id`: sent with
    /// `notify_event` in the transaction that posts it, it arrives when,
    /// and only if, that commits.
    pub(super) fn comment_notice(&self, id: CommentId) -> Option<String> {
        self.notice(About::Comment(id))
    }

    /// Tells the other instances' subscribers of a changed collection.
    pub(super) async fn tell_siblings_of_collection(&self, id: CollectionId) {
        self.tell_siblings(About::Collection(id)).await;
    }

    fn notice(&self, about: About) -> Option<String> {
        serde_json::to_string(&Notice { origin: self.instance, about }).ok()
    }

    async fn tell_siblings(&self, about: About) {
        let Some(payload) = self.notice(about) else { return };
        if let Err(error) = self.db().run(move |conn| conn.notify_event(&payload)).await {
            tracing::warn!(%error, "event not sent to other instances");
        }
    }

    /// Relays other instances' events to this one's subscribers. Runs until
    /// the runtime shuts down.
    pub async fn relay_sibling_events(self) {
        let mut notices = self.db().notices();
        loop {
            let payload = match notices.recv().await {
                Ok(payload) => payload,
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "sibling events missed");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            };
            let Ok(notice) = serde_json::from_str::<Notice>(&payload) else { continue };
            if notice.origin == self.instance {
                continue;
            }
            let events = match notice.about {
                About::Article(id) => self
                    .get_article(Viewer::Anonymous, id)
                    .await
                    .map(|a| vec![Event::ArticlePublished(Arc::new(a))]),
                About::Breaking(id) => self.get_article(Viewer::Anonymous, id).await.map(became_breaking),
                About::Comment(id) => {
                    self.comment(Viewer::Anonymous, id).await.map(|c| vec![Event::CommentAdded(Arc::new(c))])
                }
                About::Collection(id) => self
                    .collection_by_id(Viewer::Anonymous, id)
                    .await
                    .map(|c| vec![Event::CollectionChanged(Arc::new(c))]),
            };
            match events {
                Ok(events) => self.send_all(events),
                Err(error) => tracing::debug!(%error, "sibling event no longer visible"),
            }
        }
    }
}

/// What subscribers hear of an article made breaking: nothing if its window
/// closed (or it left the site) before they could be told.
fn became_breaking(article: Article) -> Vec<Event> {
    if article.is_breaking(now()) { vec![Event::ArticleBreaking(Arc::new(article))] } else { Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip() {
        let notice = Notice { origin: uuid::Uuid::now_v7(), about: About::Article(ArticleId::generate()) };
        let text = serde_json::to_string(&notice).unwrap();
        assert!(text.contains("\"kind\":\"article\""));
        let back: Notice = serde_json::from_str(&text).unwrap();
        assert_eq!(back.origin, notice.origin);
    }
}
