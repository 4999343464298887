//! Which sitemap files there are. Articles and tags come in pages of at
//! most [`SITEMAP_MAX_URLS`] addresses, oldest first, each named by its
//! first entry: a page is one range of an index (never an offset), and a
//! page keeps its name as new articles join the last one.

use super::super::ArticleId;
use super::super::Slug;

/// The most addresses one sitemap file may list (the sitemaps protocol's
/// limit; 50,000 addresses of at most ~1 KB stay under its 50 MB too).
pub const SITEMAP_MAX_URLS: u64 = 50_000;
/// The most articles a Google News sitemap may list.
pub const NEWS_MAX_URLS: i64 = 1_000;
/// How far back a Google News sitemap reaches.
pub const NEWS_WINDOW_HOURS: i64 = 48;

/// One sitemap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitemapFile {
    /// Published articles, oldest first, from this one on.
    Articles(ArticleId),
    /// Tags in slug order, from this one on.
    Tags(Slug),
    Sections,
    /// Google News: the articles of the last two days.
    News,
}

impl SitemapFile {
    /// The file's name under `/sitemaps/`.
    pub fn file_name(&self) -> String {
        match self {
            Self::Articles(first) => format!("articles-{first}.xml"),
            Self::Tags(first) => format!("tags-{first}.xml"),
            Self::Sections => "sections.xml".into(),
            Self::News => "news.xml".into(),
        }
    }

    /// The file a name under `/sitemaps/` names, if any.
    pub fn parse(name: &str) -> Option<Self> {
        let stem = name.strip_suffix(".xml")?;
        match stem {
            "sections" => Some(Self::Sections),
            "news" => Some(Self::News),
            _ => {
                if let Some(first) = stem.strip_prefix("articles-") {
                    ArticleId::parse_field(first, "file").ok().map(Self::Articles)
                } else {
                    let first = stem.strip_prefix("tags-")?;
                    Slug::parse(first, "file").ok().filter(|s| s.as_str() == first).map(Self::Tags)
                }
            }
        }
    }
}

/// The language code Google News asks for: ISO 639 (`en`, `pt`), except
/// Chinese, written `zh-cn` or `zh-tw`.
pub fn news_language(tag: &str) -> String {
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']);
    let primary = parts.next().unwrap_or_default().to_owned();
    if primary != "zh" {
        return primary;
    }
    let traditional = parts.any(|p| ["tw", "hk", "mo", "hant"].contains(&p));
    if traditional { "zh-tw".into() } else { "zh-cn".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_protocol_limits_are_kept() {
        assert_eq!(SITEMAP_MAX_URLS, 50_000);
        assert_eq!(NEWS_MAX_URLS, 1_000);
        assert_eq!(NEWS_WINDOW_HOURS, 48);
    }

    #[test]
    fn file_names_read_back() {
        let id = ArticleId::generate();
        let names = [
            "sections.xml".to_owned(),
            "news.xml".to_owned(),
            format!("articles-{id}.xml"),
            "tags-energy-prices.xml".to_owned(),
        ];
        for name in names {
            assert_eq!(SitemapFile::parse(&name).map(|f| f.file_name()), Some(name.clone()));
        }
        for bad in [
            "articles.xml",
            "articles-1.xml",
            "tags-.xml",
            "tags-Energy.xml",
            "posts-a.xml",
            "news",
            "tags-a b.xml",
        ] {
            assert_eq!(SitemapFile::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn news_languages_are_googles_codes() {
        assert_eq!(news_language("en"), "en");
        assert_eq!(news_language("pt-BR"), "pt");
        assert_eq!(news_language("zh-Hant"), "zh-tw");
        assert_eq!(news_language("zh-CN"), "zh-cn");
        assert_eq!(news_language("zh"), "zh-cn");
    }
}
