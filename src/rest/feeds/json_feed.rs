//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), written from typed
//! structures: no crate writes it, and serde's are the format's own terms.

use serde::Serialize;

use super::{FeedFormat, entry_guid, item_image};
use crate::domain::site::Site;
use crate::error::{AppError, AppResult};
use crate::service::distribution::feeds::FeedContent;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    description: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    summary: &'a str,
    /// One of the two contents is required: the whole article's HTML…
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    /// …or its summary as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    date_modified: String,
    authors: Vec<JsonAuthor<'a>>,
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    url: String,
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn render(feed: &FeedContent, site: &Site) -> AppResult<Vec<u8>> {
    let items = feed
        .articles
        .iter()
        .map(|article| {
            let html = article.body.as_ref().filter(|_| feed.full_content).map(|b| b.html.as_str());
            JsonItem {
                id: entry_guid(article),
                url: site.article_url(article),
                title: &article.title,
                summary: &article.summary,
                content_html: html,
                content_text: html.is_none().then_some(article.summary.as_str()),
                image: item_image(article, site).map(|i| i.url),
                date_published: article.published_at.map(rfc3339),
                date_modified: rfc3339(article.updated_at),
                authors: article
                    .authors
                    .iter()
                    .map(|a| JsonAuthor { name: &a.display_name, url: site.author_url(a.id) })
                    .collect(),
                tags: std::iter::once(article.category.name.as_str())
                    .chain(article.tags.iter().map(|t| t.name.as_str()))
                    .collect(),
            }
        })
        .collect();
    let json = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.page_url,
        feed_url: site.own_url(&format!("{}{}", feed.path, FeedFormat::Json.file_name())),
        description: &feed.description,
        language: site.language.tag(),
        items,
    };
    serde_json::to_vec(&json).map_err(AppError::internal)
}
