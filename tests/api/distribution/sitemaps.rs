//! Sitemaps read back with a namespace-aware XML parser: the index, pages
//! of at most the limit, Google News's two-day window and 1,000 cap, and
//! robots.txt pointing at them.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use newsdesk::db::on_backend;
use newsdesk::db::schema::articles;
use newsdesk::domain::time::{now, to_db};
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

const SITEMAP_NS: &[u8] = b"http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &[u8] = b"http://www.google.com/schemas/sitemap-news/0.9";

/// An element as read: its namespace, local name, and text.
#[derive(Debug, Clone)]
struct Element {
    namespace: Vec<u8>,
    name: String,
    text: String,
}

/// The root's local name (checked to be in the sitemap namespace) and
/// every element below it, in document order.
fn parse(xml: &str) -> (String, Vec<Element>) {
    let mut reader = NsReader::from_str(xml);
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut root = None;
    loop {
        match reader.read_resolved_event().unwrap() {
            (ResolveResult::Bound(ns), Event::Start(start)) => {
                let name = String::from_utf8(start.local_name().as_ref().to_vec()).unwrap();
                if root.is_none() {
                    assert_eq!(ns.as_ref(), SITEMAP_NS, "the root is in the sitemap namespace");
                    root = Some(name);
                    continue;
                }
                elements.push(Element { namespace: ns.as_ref().to_vec(), name, text: String::new() });
                open.push(elements.len() - 1);
            }
            (_, Event::Start(start)) => panic!("{:?} is in no namespace", start.name()),
            (_, Event::Text(text)) => {
                if let Some(&at) = open.last() {
                    elements[at].text.push_str(&text.decode().unwrap());
                }
            }
            (_, Event::GeneralRef(reference)) => {
                if let Some(&at) = open.last() {
                    let entity = String::from_utf8(reference.to_vec()).unwrap();
                    elements[at].text.push_str(match entity.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unknown entity {other}"),
                    });
                }
            }
            (_, Event::End(_)) => {
                open.pop();
            }
            (_, Event::Eof) => break,
            _ => {}
        }
    }
    (root.expect("a root element"), elements)
}

fn texts(elements: &[Element], name: &str) -> Vec<String> {
    elements.iter().filter(|e| e.name == name).map(|e| e.text.clone()).collect()
}

async fn fetch(app: &TestApp, url: &str) -> String {
    let path = url.strip_prefix("https://news.example.org").unwrap_or_else(|| panic!("{url} is on the site"));
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], "application/xml; charset=utf-8");
    response.text().await.unwrap()
}

/// Every published article's URL, through the API.
async fn published_urls(app: &TestApp) -> Vec<(String, String)> {
    let mut urls = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app.get_json(&format!("/api/v1/articles?limit=100{cursor}")).await;
        for a in page["data"].as_array().unwrap() {
            urls.push((
                a["url"].as_str().unwrap().to_owned(),
                a["published_at"].as_str().unwrap().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return urls,
        }
    }
}

async fn the_index_lists_pages_that_list_every_canonical_address(app: TestApp) {
    app.seed_demo();
    let (root, index) = parse(&fetch(&app, "https://news.example.org/sitemap.xml").await);
    assert_eq!(root, "sitemapindex");
    let files = texts(&index, "loc");
    assert!(index.iter().all(|e| e.namespace == SITEMAP_NS));
    assert!(files.contains(&"https://news.example.org/sitemaps/sections.xml".to_owned()));
    assert!(files.contains(&"https://news.example.org/sitemaps/news.xml".to_owned()));
    assert_eq!(texts(&index, "lastmod").len(), files.len(), "every file says when it last changed");

    let mut listed = Vec::new();
    let article_pages: Vec<_> = files.iter().filter(|f| f.contains("/sitemaps/articles-")).collect();
    assert!(article_pages.len() > 1, "pages of at most 5 (the test's limit): {files:?}");
    for page in article_pages {
        let (root, urls) = parse(&fetch(&app, page).await);
        assert_eq!(root, "urlset");
        let locs = texts(&urls, "loc");
        assert!(locs.len() <= 5, "{page} lists {}", locs.len());
        for lastmod in texts(&urls, "lastmod") {
            DateTime::parse_from_rfc3339(&lastmod).unwrap();
        }
        listed.extend(locs);
    }
    let mut expected: Vec<String> = published_urls(&app).await.into_iter().map(|(url, _)| url).collect();
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected, "each published article once, at its canonical address");

    let (_, sections) = parse(&fetch(&app, "https://news.example.org/sitemaps/sections.xml").await);
    assert!(texts(&sections, "loc").contains(&"https://news.example.org/europe".to_owned()));
    let tag_pages: Vec<_> = files.iter().filter(|f| f.contains("/sitemaps/tags-")).collect();
    let mut tags = Vec::new();
    for page in tag_pages {
        tags.extend(texts(&parse(&fetch(&app, page).await).1, "loc"));
    }
    assert!(tags.contains(&"https://news.example.org/tags/energy".to_owned()));
    assert_eq!(tags.len(), app.get_json("/api/v1/tags?limit=100").await["data"].as_array().unwrap().len());

    for missing in [
        "/sitemaps/articles.xml",
        "/sitemaps/articles-0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b.xml",
        "/sitemaps/tags-zzz-nothing.xml",
        "/sitemaps/x.xml",
    ] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.headers()["content-type"], "text/plain; charset=utf-8");
    let robots = robots.text().await.unwrap();
    assert!(robots.contains("Sitemap: https://news.example.org/sitemap.xml\n"), "{robots}");
}

async fn google_news_lists_the_last_two_days(app: TestApp) {
    app.seed_demo();
    let (root, news) = parse(&fetch(&app, "https://news.example.org/sitemaps/news.xml").await);
    assert_eq!(root, "urlset");
    let cutoff = Utc::now() - Duration::hours(48);
    let recent: Vec<String> = published_urls(&app)
        .await
        .into_iter()
        .filter(|(_, at)| DateTime::parse_from_rfc3339(at).unwrap() > cutoff)
        .map(|(url, _)| url)
        .collect();
    assert!(!recent.is_empty());
    assert_eq!(texts(&news, "loc"), recent, "newest first, nothing older than two days");
    assert!(news.iter().filter(|e| e.name != "loc" && e.name != "url").all(|e| e.namespace == NEWS_NS));
    assert!(texts(&news, "name").iter().all(|n| n == "Newsdesk"));
    assert!(texts(&news, "language").iter().all(|l| l == "en"));
    assert_eq!(texts(&news, "title").len(), recent.len());
    assert_eq!(texts(&news, "publication_date").len(), recent.len());
}

async fn google_news_stops_at_a_thousand(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 1_010, 0, 5).unwrap();
    app.services
        .db()
        .run_blocking(|conn| {
            conn.transaction(|conn| {
                let at = to_db(now() - Duration::hours(1));
                on_backend!(conn, |c| diesel::update(articles::table)
                    .set(articles::published_at.eq(Some(at)))
                    .execute(c))?;
                Ok(())
            })
        })
        .unwrap();
    let (_, news) = parse(&fetch(&app, "https://news.example.org/sitemaps/news.xml").await);
    assert_eq!(texts(&news, "loc").len(), 1_000);
}

on_both_backends!(google_news_lists_the_last_two_days, google_news_stops_at_a_thousand);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paged_sqlite() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.sitemap_max_urls = 5).await;
    the_index_lists_pages_that_list_every_canonical_address(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(newsdesk_postgres_tests),
    ignore = "set NEWSDESK_TEST_POSTGRES_URL to run the PostgreSQL variants"
)]
async fn paged_postgres() {
    let app = TestApp::spawn_with(Backend::Postgres, |s| s.sitemap_max_urls = 5).await;
    the_index_lists_pages_that_list_every_canonical_address(app).await;
}
