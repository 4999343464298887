//! RSS 2.0, with the Atom self link, Dublin Core creators and Media RSS
//! pictures feed readers show.

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid, Item};

use super::{FeedFormat, entry_guid, item_image, updated};
use crate::domain::site::Site;
use crate::error::{AppError, AppResult};
use crate::service::distribution::feeds::FeedContent;

const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

pub fn render(feed: &FeedContent, site: &Site) -> AppResult<Vec<u8>> {
    let namespaces = BTreeMap::from([("media".to_owned(), MEDIA_NS.to_owned())]);
    let self_link = Link {
        href: site.own_url(&format!("{}{}", feed.path, FeedFormat::Rss.file_name())),
        rel: "self".into(),
        mime_type: Some(FeedFormat::Rss.media_type().into()),
        ..Link::default()
    };
    let channel = Channel {
        title: feed.title.clone(),
        link: feed.page_url.clone(),
        description: feed.description.clone(),
        language: Some(site.language.tag().to_owned()),
        last_build_date: Some(updated(feed).to_rfc2822()),
        generator: Some("Newsdesk".into()),
        atom_ext: Some(AtomExtension { links: vec![self_link] }),
        items: feed
            .articles
            .iter()
            .map(|article| {
                let image = item_image(article, site);
                let mut extensions = ExtensionMap::new();
                if let Some(image) = image {
                    let mut attrs = BTreeMap::from([
                        ("url".to_owned(), image.url),
                        ("medium".to_owned(), "image".to_owned()),
                    ]);
                    let optional = [
                        ("type", image.content_type.map(str::to_owned)),
                        ("width", image.width.map(|w| w.to_string())),
                        ("height", image.height.map(|h| h.to_string())),
                    ];
                    attrs.extend(optional.into_iter().filter_map(|(k, v)| Some((k.to_owned(), v?))));
                    let content = Extension { name: "media:content".into(), attrs, ..Extension::default() };
                    extensions
                        .insert("media".into(), BTreeMap::from([("content".to_owned(), vec![content])]));
                }
                let mut categories = vec![Category { name: article.category.name.clone(), domain: None }];
                categories
                    .extend(article.tags.iter().map(|t| Category { name: t.name.clone(), domain: None }));
                Item {
                    title: Some(article.title.clone()),
                    link: Some(site.article_url(article)),
                    description: Some(article.summary.clone()),
                    categories,
                    guid: Some(Guid { value: entry_guid(article), permalink: false }),
                    pub_date: article.published_at.map(|at| at.to_rfc2822()),
                    content: article.body.as_ref().filter(|_| feed.full_content).map(|b| b.html.clone()),
                    extensions,
                    dublin_core_ext: Some(DublinCoreExtension {
                        creators: article.authors.iter().map(|a| a.display_name.clone()).collect(),
                        ..DublinCoreExtension::default()
                    }),
                    ..Item::default()
                }
            })
            .collect(),
        namespaces,
        ..Channel::default()
    };
    // The writer declares the namespaces its own extensions use
    // (`content`, `dc`, `atom`) and the ones given.
    channel.write_to(Vec::new()).map_err(AppError::internal)
}
