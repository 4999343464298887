//! `/sitemap.xml` (the index), `/sitemaps/{file}` (articles, sections,
//! tags, Google News) and `/robots.txt`, which points crawlers at them.

mod xml;

use actix_web::http::header;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get};

use crate::domain::site::sitemap::{SitemapFile, news_language};
use crate::error::{AppError, AppResult};
use crate::rest::params::IfNoneMatch;
use crate::rest::problem::Problem;
use crate::rest::responses::Conditional;
use crate::service::Services;
use crate::service::distribution::sitemaps::SitemapUrl;

const XML: &str = "application/xml; charset=utf-8";

/// The Google News sitemap changes with the clock (articles leave it after
/// two days) as well as with writes: it is read anew every few minutes.
const NEWS_CACHE_CONTROL: &str = "public, max-age=300, stale-while-revalidate=60";

/// The sitemap index
///
/// Every sitemap file at its absolute address on the public site: the
/// sections, pages of articles (oldest first) and of tags (in slug order)
/// of at most 50,000 addresses each, `lastmod` the newest edit in it, and
/// the Google News sitemap. Public.
#[utoipa::path(
    tag = "feeds",
    params(IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "A `<sitemapindex>`", content((String = "application/xml")),
            headers(("ETag" = String), ("Cache-Control" = String), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        Conditional,
    )
)]
#[get("/sitemap.xml")]
pub async fn sitemap_index(services: Data<Services>) -> AppResult<HttpResponse> {
    let site = services.site();
    let files: Vec<SitemapUrl> = services
        .sitemap_index()
        .await?
        .into_iter()
        .map(|f| SitemapUrl {
            loc: site.own_url(&format!("/sitemaps/{}", f.file.file_name())),
            lastmod: f.lastmod,
        })
        .collect();
    Ok(HttpResponse::Ok().content_type(XML).body(xml::index(&files)?))
}

/// A sitemap
///
/// `sections.xml`, `articles-{first article's id}.xml` and
/// `tags-{first tag's slug}.xml` as the index lists them (canonical
/// addresses only, `lastmod` the last edit), or `news.xml`: Google News,
/// the articles published in the last 48 hours, newest first, at most
/// 1,000, with the publication's name (`--site-name`) and language
/// (`--site-language`). Public.
#[utoipa::path(
    tag = "feeds",
    params(("file" = String, Path, description = "`news.xml`, `sections.xml`, `articles-{id}.xml`, `tags-{slug}.xml`"), IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "A `<urlset>`", content((String = "application/xml")),
            headers(("ETag" = String), ("Cache-Control" = String), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        Conditional,
        (status = 404, description = "No such sitemap", body = Problem),
    )
)]
#[get("/sitemaps/{file}")]
pub async fn sitemap(services: Data<Services>, file: Path<String>) -> AppResult<HttpResponse> {
    let file = SitemapFile::parse(&file).ok_or(AppError::NotFound("sitemap"))?;
    if file == SitemapFile::News {
        let site = services.site();
        let urls = services.news_sitemap().await?;
        let body = xml::news(&urls, &site.name, &news_language(site.language.tag()))?;
        return Ok(HttpResponse::Ok()
            .content_type(XML)
            .insert_header((header::CACHE_CONTROL, NEWS_CACHE_CONTROL))
            .body(body));
    }
    let urls = services.sitemap(file).await?;
    Ok(HttpResponse::Ok().content_type(XML).body(xml::urlset(&urls)?))
}

/// Rules for crawlers
///
/// Allows everything and names the sitemap index and the Google News
/// sitemap. Public.
#[utoipa::path(
    tag = "feeds",
    params(IfNoneMatch),
    security(()),
    responses(
        (status = 200, description = "robots.txt", content((String = "text/plain")),
            headers(("ETag" = String), ("Cache-Control" = String))),
        Conditional,
    )
)]
#[get("/robots.txt")]
pub async fn robots(services: Data<Services>) -> HttpResponse {
    let site = services.site();
    let body = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        site.own_url("/sitemap.xml"),
        site.own_url("/sitemaps/news.xml"),
    );
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(body)
}
