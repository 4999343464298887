//! What the sitemaps list: every published article's canonical address
//! with its last edit, every section and tag page, and Google News's last
//! two days.

use chrono::{DateTime, Utc};

use crate::db::repo::categories;
use crate::db::repo::sitemaps::{self as repo, ArticleEntry, PageRow};
use crate::domain::site::ArticleAddress;
use crate::domain::site::sitemap::{NEWS_MAX_URLS, NEWS_WINDOW_HOURS, SitemapFile};
use crate::domain::time::{from_db, now, to_db};
use crate::domain::{ArticleId, Slug};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::freshness::{Feed, Key};

/// One file the sitemap index lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapRef {
    pub file: SitemapFile,
    pub lastmod: Option<DateTime<Utc>>,
}

/// One address a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<DateTime<Utc>>,
}

/// One article a Google News sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsUrl {
    pub loc: String,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

/// The files of a run of pages, each named by its first entry.
fn pages(rows: Vec<PageRow>, file: impl Fn(&str) -> Option<SitemapFile>) -> Vec<SitemapRef> {
    rows.into_iter()
        .filter_map(|row| {
            Some(SitemapRef { file: file(row.first.as_deref()?)?, lastmod: row.lastmod.map(from_db) })
        })
        .collect()
}

impl Services {
    /// The files of the sitemap index: the sections, each page of
    /// articles and of tags, and the Google News sitemap.
    pub async fn sitemap_index(&self) -> AppResult<Vec<SitemapRef>> {
        let max = i64::try_from(self.sitemap_max_urls).unwrap_or(i64::MAX);
        self.db()
            .read(move |conn, shown| {
                shown.extend([Key::Feed(Feed::All), Key::Sections]);
                let sections = categories::all(conn)?;
                let mut files = vec![SitemapRef {
                    file: SitemapFile::Sections,
                    lastmod: sections.iter().map(|s| s.updated_at).max(),
                }];
                let articles = pages(repo::article_pages(conn, max)?, |first| {
                    ArticleId::parse_field(first, "first").ok().map(SitemapFile::Articles)
                });
                let newest = articles.last().and_then(|p| p.lastmod);
                files.extend(articles);
                files.extend(pages(repo::tag_pages(conn, max)?, |first| {
                    Slug::parse(first, "first").ok().map(SitemapFile::Tags)
                }));
                files.push(SitemapRef { file: SitemapFile::News, lastmod: newest });
                Ok(files)
            })
            .await
    }

    /// The addresses one sitemap file lists (not the Google News one: see
    /// [`Services::news_sitemap`]).
    pub async fn sitemap(&self, file: SitemapFile) -> AppResult<Vec<SitemapUrl>> {
        let site = self.site().clone();
        let limit = i64::try_from(self.sitemap_max_urls).unwrap_or(i64::MAX);
        self.db()
            .read(move |conn, shown| match file {
                SitemapFile::Sections => {
                    shown.push(Key::Sections);
                    let sections = categories::all(conn)?;
                    Ok(sections
                        .into_iter()
                        .map(|s| SitemapUrl {
                            loc: site.section_url(s.id, &s.slug),
                            lastmod: Some(s.updated_at),
                        })
                        .collect())
                }
                SitemapFile::Articles(first) => {
                    shown.extend([Key::Feed(Feed::All), Key::Sections]);
                    let entries = repo::articles_from(conn, first, limit)?;
                    if entries.is_empty() {
                        return Err(AppError::NotFound("sitemap"));
                    }
                    // A story whose canonical page is elsewhere is listed there, not here.
                    Ok(entries
                        .iter()
                        .filter(|e| e.canonical_url.is_none())
                        .map(|e| SitemapUrl {
                            loc: article_url(&site, e),
                            lastmod: Some(from_db(e.updated_at)),
                        })
                        .collect())
                }
                // Tag writes are rare and described as changing everything.
                SitemapFile::Tags(first) => {
                    let tags = repo::tags_from(conn, first.as_str(), limit)?;
                    if tags.is_empty() {
                        return Err(AppError::NotFound("sitemap"));
                    }
                    Ok(tags
                        .into_iter()
                        .map(|(id, slug, created)| SitemapUrl {
                            loc: site.tag_url(id, &slug),
                            lastmod: Some(from_db(created)),
                        })
                        .collect())
                }
                SitemapFile::News => Err(AppError::NotFound("sitemap")),
            })
            .await
    }

    /// The Google News sitemap's articles: published in the last two days,
    /// newest first, at most 1,000.
    pub async fn news_sitemap(&self) -> AppResult<Vec<NewsUrl>> {
        let site = self.site().clone();
        let since = to_db(now() - chrono::Duration::hours(NEWS_WINDOW_HOURS));
        self.db()
            .read(move |conn, shown| {
                shown.extend([Key::Feed(Feed::All), Key::Sections]);
                let entries = repo::articles_since(conn, since, NEWS_MAX_URLS)?;
                Ok(entries
                    .iter()
                    .filter(|e| e.canonical_url.is_none())
                    .filter_map(|e| {
                        Some(NewsUrl {
                            loc: article_url(&site, e),
                            title: e.title.clone(),
                            published_at: from_db(e.published_at?),
                        })
                    })
                    .collect())
            })
            .await
    }
}

fn article_url(site: &crate::domain::site::Site, entry: &ArticleEntry) -> String {
    site.address_url(&ArticleAddress {
        id: entry.id,
        slug: &entry.slug,
        section: &entry.section,
        published_at: from_db(entry.published_at.unwrap_or(entry.updated_at)),
    })
}
