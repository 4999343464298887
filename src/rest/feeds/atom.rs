//! Atom 1.0 (RFC 4287).

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};

use super::{FeedFormat, entry_guid, item_image, updated};
use crate::domain::site::Site;
use crate::error::{AppError, AppResult};
use crate::service::distribution::feeds::FeedContent;

fn link(href: String, rel: &str, media_type: Option<&str>) -> Link {
    Link { href, rel: rel.into(), mime_type: media_type.map(str::to_owned), ..Link::default() }
}

pub fn render(feed: &FeedContent, site: &Site) -> AppResult<Vec<u8>> {
    let self_url = site.own_url(&format!("{}{}", feed.path, FeedFormat::Atom.file_name()));
    let entries = feed
        .articles
        .iter()
        .map(|article| {
            let url = site.article_url(article);
            let mut links = vec![link(url, "alternate", Some("text/html"))];
            if let Some(image) = item_image(article, site) {
                links.push(link(image.url, "enclosure", image.content_type));
            }
            let mut categories = vec![Category {
                term: article.category.slug.clone(),
                label: Some(article.category.name.clone()),
                ..Category::default()
            }];
            categories.extend(article.tags.iter().map(|t| Category {
                term: t.slug.clone(),
                label: Some(t.name.clone()),
                ..Category::default()
            }));
            Entry {
                title: Text::plain(article.title.clone()),
                id: entry_guid(article),
                updated: FixedDateTime::from(article.updated_at),
                published: article.published_at.map(FixedDateTime::from),
                authors: article
                    .authors
                    .iter()
                    .map(|a| Person {
                        name: a.display_name.clone(),
                        uri: Some(site.author_url(a.id)),
                        ..Person::default()
                    })
                    .collect(),
                categories,
                links,
                summary: Some(Text::plain(article.summary.clone())),
                content: article.body.as_ref().filter(|_| feed.full_content).map(|body| Content {
                    value: Some(body.html.clone()),
                    content_type: Some("html".into()),
                    ..Content::default()
                }),
                ..Entry::default()
            }
        })
        .collect();
    let atom = Feed {
        title: Text::plain(feed.title.clone()),
        // The feed's own address names it: stable while the site's address is.
        id: self_url.clone(),
        updated: FixedDateTime::from(updated(feed)),
        subtitle: Some(Text::plain(feed.description.clone())),
        links: vec![
            link(feed.page_url.clone(), "alternate", Some("text/html")),
            link(self_url, "self", Some(FeedFormat::Atom.media_type())),
        ],
        lang: Some(site.language.tag().to_owned()),
        // Entries name their authors; the publication stands for the feed
        // (RFC 4287 wants one even when there are no entries).
        authors: vec![Person {
            name: site.name.clone(),
            uri: Some(site.public_url.to_string()),
            ..Person::default()
        }],
        entries,
        ..Feed::default()
    };
    // The writer puts the XML declaration first.
    atom.write_to(Vec::new()).map_err(AppError::internal)
}
