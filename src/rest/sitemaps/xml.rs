//! The sitemaps protocol's XML (<https://www.sitemaps.org/protocol.html>)
//! and Google News's extension of it, written element by element.

use std::io;

use chrono::{DateTime, SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::error::{AppError, AppResult};
use crate::service::distribution::sitemaps::{NewsUrl, SitemapUrl};

pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
pub const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

fn w3c(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn document(write: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> AppResult<Vec<u8>> {
    let mut writer = Writer::new(Vec::with_capacity(4096));
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(AppError::internal)?;
    write(&mut writer).map_err(AppError::internal)?;
    Ok(writer.into_inner())
}

fn text(writer: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    writer.create_element(name).write_text_content(BytesText::new(value))?;
    Ok(())
}

/// A `<sitemapindex>` of files at absolute addresses.
pub fn index(files: &[SitemapUrl]) -> AppResult<Vec<u8>> {
    listing("sitemapindex", "sitemap", files)
}

/// A `<urlset>` of pages.
pub fn urlset(urls: &[SitemapUrl]) -> AppResult<Vec<u8>> {
    listing("urlset", "url", urls)
}

/// `<{root}>` holding a `<{entry}>` with `loc` and `lastmod` per address:
/// the index and the page share this shape.
fn listing(root: &str, entry: &str, urls: &[SitemapUrl]) -> AppResult<Vec<u8>> {
    document(|w| {
        w.create_element(root).with_attribute(("xmlns", SITEMAP_NS)).write_inner_content(|w| {
            for url in urls {
                w.create_element(entry).write_inner_content(|w| {
                    text(w, "loc", &url.loc)?;
                    if let Some(at) = url.lastmod {
                        text(w, "lastmod", &w3c(at))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    })
}

/// A Google News `<urlset>`: each article with the publication's name and
/// language, its publication time and title.
pub fn news(urls: &[NewsUrl], publication: &str, language: &str) -> AppResult<Vec<u8>> {
    document(|w| {
        w.create_element("urlset")
            .with_attribute(("xmlns", SITEMAP_NS))
            .with_attribute(("xmlns:news", NEWS_NS))
            .write_inner_content(|w| {
                for url in urls {
                    w.create_element("url").write_inner_content(|w| {
                        text(w, "loc", &url.loc)?;
                        w.create_element("news:news").write_inner_content(|w| {
                            w.create_element("news:publication").write_inner_content(|w| {
                                text(w, "news:name", publication)?;
                                text(w, "news:language", language)
                            })?;
                            text(w, "news:publication_date", &w3c(url.published_at))?;
                            text(w, "news:title", &url.title)
                        })?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}
