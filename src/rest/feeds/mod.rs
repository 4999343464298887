//! Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the site, each section
//! (with its sub-sections), each tag and each author. Anonymous reads like
//! any other: ETags, 304s and the response cache come with them.

mod atom;
mod json_feed;
mod rss;

use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get};
use chrono::{DateTime, Utc};

use crate::domain::article::Article;
use crate::domain::site::{PageImage, Site};
use crate::error::{AppError, AppResult};
use crate::http::extract::Caller;
use crate::rest::params::IfNoneMatch;
use crate::rest::problem::Problem;
use crate::rest::redirect::moved_permanently;
use crate::rest::responses::Conditional;
use crate::service::Services;
use crate::service::distribution::feeds::{FeedContent, FeedScope};

/// The three formats every feed comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss,
    Atom,
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [Self::Rss, Self::Atom, Self::Json];

    pub fn file_name(self) -> &'static str {
        match self {
            Self::Rss => "rss.xml",
            Self::Atom => "atom.xml",
            Self::Json => "feed.json",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Rss => "application/rss+xml",
            Self::Atom => "application/atom+xml",
            Self::Json => "application/feed+json",
        }
    }

    fn named(file: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.file_name() == file)
    }
}

/// A `Link` header value advertising the three feeds under `dir`
/// (`/feeds/`, `/feeds/sections/europe/`), as a page's `<link
/// rel="alternate">` does.
pub fn alternates(site: &Site, dir: &str) -> String {
    FeedFormat::ALL
        .iter()
        .map(|f| {
            format!(
                "<{}>; rel=\"alternate\"; type=\"{}\"",
                site.own_url(&format!("{dir}{}", f.file_name())),
                f.media_type()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An entry's identity for good: the article's id, which neither a new
/// title nor a new slug changes.
fn entry_guid(article: &Article) -> String {
    format!("urn:uuid:{}", article.id)
}

/// When the feed last changed: its newest article's last edit.
fn updated(feed: &FeedContent) -> DateTime<Utc> {
    feed.articles.iter().map(|a| a.updated_at.max(a.published_at.unwrap_or(a.updated_at))).max().unwrap_or(
        // An empty feed: a fixed date keeps its ETag from changing.
        DateTime::UNIX_EPOCH,
    )
}

/// The cover of an entry, at an absolute address.
fn item_image(article: &Article, site: &Site) -> Option<PageImage> {
    PageImage::cover_of(article).map(|image| PageImage { url: site.own_url(&image.url), ..image })
}

async fn answer(services: &Services, scope: FeedScope, file: &str) -> AppResult<HttpResponse> {
    let format = FeedFormat::named(file).ok_or(AppError::NotFound("feed"))?;
    let feed = services.feed(scope).await?;
    let site = services.site();
    let body = match format {
        FeedFormat::Rss => rss::render(&feed, site)?,
        FeedFormat::Atom => atom::render(&feed, site)?,
        FeedFormat::Json => json_feed::render(&feed, site)?,
    };
    Ok(HttpResponse::Ok().content_type(format!("{}; charset=utf-8", format.media_type())).body(body))
}

/// The site's feed
///
/// The 50 newest published articles: `rss.xml` (RSS 2.0), `atom.xml`
/// (Atom 1.0) or `feed.json` (JSON Feed 1.1). Each entry's id is
/// `urn:uuid:{article id}` and never changes; its link is the article's
/// `url`; its picture the cover (RSS `media:content`, Atom
/// `rel="enclosure"`, JSON Feed `image`). Summaries, or whole articles
/// with `--feed-full-content`. Public.
#[utoipa::path(
    tag = "feeds",
    params(("file" = String, Path, description = "`rss.xml`, `atom.xml` or `feed.json`"), IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "The feed", content(
            (String = "application/rss+xml"), (String = "application/atom+xml"), (String = "application/feed+json")),
            headers(("ETag" = String), ("Cache-Control" = String), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        Conditional,
        (status = 404, description = "No such feed", body = Problem),
    )
)]
#[get("/feeds/{file}")]
pub async fn site_feed(services: Data<Services>, file: Path<String>) -> AppResult<HttpResponse> {
    answer(&services, FeedScope::Site, &file).await
}

/// A section's feed
///
/// As the site's feed, of one section and its sub-sections. Public.
#[utoipa::path(
    tag = "feeds",
    params(
        ("slug" = String, Path, description = "The section's slug"),
        ("file" = String, Path, description = "`rss.xml`, `atom.xml` or `feed.json`"),
        IfNoneMatch,
    ),
    security(()),
    responses(
        (status = 200, description = "The feed", content(
            (String = "application/rss+xml"), (String = "application/atom+xml"), (String = "application/feed+json")),
            headers(("ETag" = String), ("Cache-Control" = String), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        Conditional,
        (status = 301, description = "A slug the section had before: `Location` is the feed's current address",
            headers(("Location" = String), ("Cache-Control" = String, description = "Public for a few minutes to anonymous callers"), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        (status = 404, description = "No such section or feed", body = Problem),
    )
)]
#[get("/feeds/sections/{slug}/{file}")]
pub async fn section_feed(
    services: Data<Services>,
    caller: Caller,
    path: Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (slug, file) = path.into_inner();
    let format = FeedFormat::named(&file).ok_or(AppError::NotFound("feed"))?;
    // A slug the section had before: its feeds moved with it.
    let section = services.get_category(&slug).await?;
    if section.slug != slug {
        let location = format!("/feeds/sections/{}/{}", section.slug, format.file_name());
        return Ok(moved_permanently(location, "all sections", caller.0));
    }
    answer(&services, FeedScope::Section(slug), &file).await
}

/// A tag's feed
///
/// As the site's feed, of the articles carrying one tag. Public.
#[utoipa::path(
    tag = "feeds",
    params(
        ("slug" = String, Path, description = "The tag's slug"),
        ("file" = String, Path, description = "`rss.xml`, `atom.xml` or `feed.json`"),
        IfNoneMatch,
    ),
    security(()),
    responses(
        (status = 200, description = "The feed", content(
            (String = "application/rss+xml"), (String = "application/atom+xml"), (String = "application/feed+json")),
            headers(("ETag" = String), ("Cache-Control" = String), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        Conditional,
        (status = 404, description = "No such tag or feed", body = Problem),
    )
)]
#[get("/feeds/tags/{slug}/{file}")]
pub async fn tag_feed(services: Data<Services>, path: Path<(String, String)>) -> AppResult<HttpResponse> {
    let (slug, file) = path.into_inner();
    answer(&services, FeedScope::Tag(slug), &file).await
}

/// An author's feed
///
/// As the site's feed, of the articles one author is credited on. Public.
#[utoipa::path(
    tag = "feeds",
    params(
        ("id" = String, Path, description = "The author's id"),
        ("file" = String, Path, description = "`rss.xml`, `atom.xml` or `feed.json`"),
        IfNoneMatch,
    ),
    security(()),
    responses(
        (status = 200, description = "The feed", content(
            (String = "application/rss+xml"), (String = "application/atom+xml"), (String = "application/feed+json")),
            headers(("ETag" = String), ("Cache-Control" = String), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        Conditional,
        (status = 404, description = "No such author or feed", body = Problem),
    )
)]
#[get("/feeds/authors/{id}/{file}")]
pub async fn author_feed(services: Data<Services>, path: Path<(String, String)>) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    answer(&services, FeedScope::Author(id), &file).await
}
