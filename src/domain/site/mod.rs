//! The public site Newsdesk feeds: its address, name and language, and where
//! on it each article, section, tag and author lives. Feeds, sitemaps,
//! structured data and every `url` field are written from these.

mod image;
mod seo;
pub mod sitemap;
mod structured_data;
mod template;

use std::fmt;
use std::str::FromStr;

pub use image::{PageImage, SHARE_WIDTH};
pub use seo::{Seo, SeoChange, SeoFields};
pub use template::{Placeholder, UrlTemplate};

use super::article::Article;
use super::language::SiteLanguage;
use super::{ArticleId, CategoryId, TagId, UserId};
use chrono::{DateTime, Utc};

/// The site's address: an absolute http(s) URL without query, fragment or
/// trailing slash (`https://news.example.org`, `https://example.org/news`).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An absolute URL for `path` (which starts with `/`) on the site.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim().trim_end_matches('/');
        let rest = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://"));
        let host = rest.map(|r| r.split('/').next().unwrap_or_default());
        let ok = host.is_some_and(|h| !h.is_empty() && !h.contains('@'))
            && raw.len() <= 500
            && !raw
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '{' | '}'));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err("must be an absolute http(s) URL without query or fragment (https://news.example.org)".into())
        }
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Where the site's pages are: one template per kind of page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplates {
    pub article: UrlTemplate,
    pub section: UrlTemplate,
    pub tag: UrlTemplate,
    pub author: UrlTemplate,
}

impl Default for UrlTemplates {
    fn default() -> Self {
        let parse = |raw: &str, allowed| UrlTemplate::parse(raw, allowed).unwrap_or_else(|_| unreachable!());
        Self {
            article: parse(UrlTemplate::ARTICLE_DEFAULT, Placeholder::FOR_ARTICLES),
            section: parse(UrlTemplate::SECTION_DEFAULT, Placeholder::FOR_SECTIONS),
            tag: parse(UrlTemplate::TAG_DEFAULT, Placeholder::FOR_TAGS),
            author: parse(UrlTemplate::AUTHOR_DEFAULT, Placeholder::FOR_AUTHORS),
        }
    }
}

/// What an article's address is made of.
#[derive(Debug, Clone, Copy)]
pub struct ArticleAddress<'a> {
    pub id: ArticleId,
    pub slug: &'a str,
    /// Its section's slug.
    pub section: &'a str,
    /// When it was published (created, before it).
    pub published_at: DateTime<Utc>,
}

/// The public site.
#[derive(Debug, Clone)]
pub struct Site {
    pub public_url: PublicUrl,
    /// The publication's name: feeds' titles, the publisher in structured
    /// data, the Google News publication name.
    pub name: String,
    pub language: SiteLanguage,
    pub urls: UrlTemplates,
}

impl Site {
    /// The canonical address of an article's page.
    pub fn article_url(&self, article: &Article) -> String {
        self.address_url(&ArticleAddress {
            id: article.id,
            slug: &article.slug,
            section: &article.category.slug,
            published_at: article.published_at.unwrap_or(article.created_at),
        })
    }

    /// The canonical address of the page of an article known by its address parts.
    pub fn address_url(&self, article: &ArticleAddress<'_>) -> String {
        let date = article.published_at.format("%Y-%m-%d").to_string();
        self.urls.article.fill(&self.public_url, |placeholder| match placeholder {
            Placeholder::Slug => article.slug.to_owned(),
            Placeholder::Id => article.id.to_string(),
            Placeholder::Section => article.section.to_owned(),
            Placeholder::Year => date[..4].to_owned(),
            Placeholder::Month => date[5..7].to_owned(),
            Placeholder::Day => date[8..].to_owned(),
        })
    }

    pub fn section_url(&self, id: CategoryId, slug: &str) -> String {
        self.urls.section.fill(&self.public_url, |placeholder| match placeholder {
            Placeholder::Id => id.to_string(),
            _ => slug.to_owned(),
        })
    }

    pub fn tag_url(&self, id: TagId, slug: &str) -> String {
        self.urls.tag.fill(&self.public_url, |placeholder| match placeholder {
            Placeholder::Id => id.to_string(),
            _ => slug.to_owned(),
        })
    }

    pub fn author_url(&self, id: UserId) -> String {
        self.urls.author.fill(&self.public_url, |_| id.to_string())
    }

    /// An absolute URL on the site for a path Newsdesk itself serves (a
    /// feed, an image file): the site passes these paths to Newsdesk.
    pub fn own_url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            return path.to_owned();
        }
        self.public_url.join(path)
    }
}

#[cfg(test)]
mod tests;
