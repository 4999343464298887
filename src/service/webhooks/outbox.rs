//! Events written to the outbox in the transaction of the change they
//! report: a change that commits always has its event, one rolled back
//! never does. One delivery per subscribed endpoint is written with it.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use crate::db::DbConn;
use crate::db::repo::webhooks::{self as repo, DeliveryRow, EventRow};
use crate::domain::article::Article;
use crate::domain::ids::{DeliveryId, EventId};
use crate::domain::site::Site;
use crate::domain::time::{now, to_db};
use crate::domain::webhook::{DeliveryStatus, WebhookEvent};
use crate::domain::{ArticleStatus, CommentId, CommentStatus};
use crate::error::AppResult;
use crate::service::freshness::{Feed, Key, article_changed};

/// The words a CDN purges by for `keys` (as `Surrogate-Key` names them),
/// each once; `home` with the site's feed.
pub fn purge_keys(keys: &[Key]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for key in keys {
        let word = key.to_string();
        if !words.contains(&word) {
            words.push(word);
        }
        if *key == Key::Feed(Feed::All) && !words.iter().any(|w| w == "home") {
            words.push("home".into());
        }
    }
    words
}

/// Writes `event` with `data` for every enabled endpoint that hears of it;
/// nothing when none does.
pub fn record(conn: &mut DbConn, event: WebhookEvent, data: Value, purge: Vec<String>) -> AppResult<()> {
    let subscribed: Vec<_> = repo::enabled(conn)?
        .into_iter()
        .filter(|(_, events)| {
            serde_json::from_str::<Vec<String>>(events).is_ok_and(|e| e.iter().any(|n| n == event.as_str()))
        })
        .map(|(id, _)| id)
        .collect();
    if subscribed.is_empty() {
        return Ok(());
    }
    let at = now();
    let payload = json!({
        "type": event.as_str(),
        "timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data,
        "purge_keys": purge,
    });
    let id = EventId::generate();
    repo::insert_event(
        conn,
        &EventRow { id, event_type: event, payload: payload.to_string(), created_at: to_db(at) },
    )?;
    let deliveries: Vec<DeliveryRow> = subscribed
        .into_iter()
        .map(|webhook_id| DeliveryRow {
            id: DeliveryId::generate(),
            webhook_id,
            event_id: id,
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: Some(to_db(at)),
            created_at: to_db(at),
            updated_at: to_db(at),
        })
        .collect();
    repo::insert_deliveries(conn, &deliveries)
}

/// An article as events show it.
fn article_data(article: &Article, site: &Site) -> Value {
    let time =
        |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
    json!({
        "id": article.id.to_string(),
        "slug": article.slug,
        "title": article.title,
        "url": site.article_url(article),
        "status": article.status.as_str(),
        "section": {"id": article.category.id.to_string(), "slug": article.category.slug},
        "tags": article.tags.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(),
        "published_at": time(article.published_at),
        "updated_at": time(Some(article.updated_at)),
        "version": article.version,
    })
}

/// The event a change to an article is, if the public saw it: it went
/// live, changed while live, left the site, or was deleted while live.
pub fn article_event(
    conn: &mut DbConn,
    site: &Site,
    before: Option<&Article>,
    after: Option<&Article>,
) -> AppResult<()> {
    let live = |a: Option<&Article>| a.is_some_and(|a| a.status == ArticleStatus::Published);
    let event = match (live(before), live(after), after) {
        (false, true, _) => WebhookEvent::ArticlePublished,
        (true, true, _) => WebhookEvent::ArticleUpdated,
        (true, false, Some(_)) => WebhookEvent::ArticleUnpublished,
        (true, false, None) => WebhookEvent::ArticleDeleted,
        (false, false, _) => return Ok(()),
    };
    let Some(shown) = after.or(before) else { return Ok(()) };
    let purge = purge_keys(&article_changed(before, after));
    record(conn, event, article_data(shown, site), purge)
}

/// What a comment event says of the comment.
#[derive(Debug, Clone, Copy)]
pub struct CommentFacts {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    pub status: CommentStatus,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A comment's event: created, or hidden by a moderator.
pub fn comment_event(
    conn: &mut DbConn,
    site: &Site,
    event: WebhookEvent,
    comment: CommentFacts,
    article: &Article,
) -> AppResult<()> {
    let data = json!({
        "id": comment.id.to_string(),
        "article": {"id": article.id.to_string(), "slug": article.slug, "url": site.article_url(article)},
        "parent_id": comment.parent_id.map(|p| p.to_string()),
        "status": comment.status.as_str(),
        "created_at": comment.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    let purge = purge_keys(&[Key::Article(article.id), Key::Thread(article.id)]);
    record(conn, event, data, purge)
}
