//! Feeds read back as feed readers read them (`feed-rs`), in all three
//! formats, for the site, a section, a tag and an author.

use feed_rs::model::{Feed, FeedType};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

const FORMATS: [(&str, &str, FeedType); 3] = [
    ("rss.xml", "application/rss+xml; charset=utf-8", FeedType::RSS2),
    ("atom.xml", "application/atom+xml; charset=utf-8", FeedType::Atom),
    ("feed.json", "application/feed+json; charset=utf-8", FeedType::JSON),
];

/// Each format of the feed under `dir`, parsed, after checking its type.
async fn read(app: &TestApp, dir: &str) -> Vec<Feed> {
    let mut feeds = Vec::new();
    for (file, content_type, kind) in FORMATS {
        let response = app.get(&format!("{dir}{file}")).await;
        assert_eq!(response.status(), 200, "{dir}{file}");
        assert_eq!(response.headers()["content-type"], content_type);
        let body = response.bytes().await.unwrap();
        let feed = feed_rs::parser::parse(&body[..]).unwrap_or_else(|e| panic!("{dir}{file}: {e}"));
        assert_eq!(feed.feed_type, kind);
        feeds.push(feed);
    }
    feeds
}

/// The article URLs of a feed's entries, in order.
fn links(feed: &Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.links[0].href.clone()).collect()
}

/// The URLs of the public list at `query`, newest first.
async fn listed(app: &TestApp, query: &str) -> Vec<String> {
    let list = app.get_json(&format!("/api/v1/articles?limit=50&{query}")).await;
    list["data"].as_array().unwrap().iter().map(|a| a["url"].as_str().unwrap().to_owned()).collect()
}

async fn every_feed_lists_what_its_list_does(app: TestApp) {
    app.seed_demo();
    let site = read(&app, "/feeds/").await;
    let newest = listed(&app, "").await;
    assert!(newest.len() > 20, "the demo has stories");
    for feed in &site {
        assert_eq!(links(feed), newest);
        let first = &feed.entries[0];
        assert!(first.id.starts_with("urn:uuid:"), "{}", first.id);
        assert!(first.published.is_some());
        assert!(!first.authors.is_empty());
        assert_eq!(
            first.title.as_ref().unwrap().content,
            app.get_json("/api/v1/articles?limit=1").await["data"][0]["title"]
        );
    }
    assert_eq!(site[0].title.as_ref().unwrap().content, "Newsdesk");
    assert_eq!(site[0].language.as_deref(), Some("en"));

    let world = read(&app, "/feeds/sections/world/").await;
    assert_eq!(links(&world[1]), listed(&app, "category=world").await);
    let europe = listed(&app, "category=europe").await;
    assert!(europe.iter().all(|u| links(&world[0]).contains(u)), "a section's feed holds its sub-sections'");
    let tag = read(&app, "/feeds/tags/energy/").await;
    assert_eq!(links(&tag[2]), listed(&app, "tag=energy").await);
    let author = app.get_json("/api/v1/articles?limit=1").await["data"][0]["authors"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let by = read(&app, &format!("/feeds/authors/{author}/")).await;
    assert_eq!(links(&by[0]), listed(&app, &format!("author={author}")).await);

    // Lists advertise the feeds that follow them.
    let list = app.get("/api/v1/articles?category=world&limit=5").await;
    let links: Vec<String> =
        list.headers().get_all("link").iter().map(|l| l.to_str().unwrap().to_owned()).collect();
    assert!(
        links.iter().any(|l| l.contains("<https://news.example.org/feeds/sections/world/rss.xml>; rel=\"alternate\"; type=\"application/rss+xml\"")),
        "{links:?}"
    );

    for missing in [
        "/feeds/rss.json",
        "/feeds/sections/atlantis/rss.xml",
        "/feeds/tags/nothing/atom.xml",
        "/feeds/authors/0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b/feed.json",
        "/feeds/authors/not-an-id/feed.json",
    ] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}

async fn entries_keep_their_ids_through_a_new_title_and_slug(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let before = read(&app, "/feeds/").await;
    let first = app.get_json("/api/v1/articles?limit=1").await["data"][0].clone();
    let renamed = app
        .patch(
            &format!("/api/v1/articles/{}", first["id"].as_str().unwrap()),
            Some(&editor.access),
            Some(&format!("\"{}\"", first["version"])),
            &json!({"title": "A new headline", "slug": "a-new-headline"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let after = read(&app, "/feeds/").await;
    for (old, new) in before.iter().zip(&after) {
        let (old, new) = (&old.entries[0], &new.entries[0]);
        assert_eq!(old.id, new.id, "the id outlives the title and the slug");
        assert_eq!(new.title.as_ref().unwrap().content, "A new headline");
        assert!(new.links[0].href.ends_with("/a-new-headline"));
        assert!(new.updated >= old.updated, "{:?} {:?}", new.updated, old.updated);
    }
}

async fn feeds_are_conditional_and_cached_reads(app: TestApp) {
    app.seed_demo();
    let first = app.get("/feeds/atom.xml").await;
    let etag = first.headers()["etag"].clone();
    let tags = first.headers()["surrogate-key"].to_str().unwrap().to_owned();
    assert!(tags.split(' ').any(|t| t == "feed") && tags.split(' ').any(|t| t == "home"), "{tags}");
    assert_eq!(first.headers()["cache-tag"].to_str().unwrap(), tags.replace(' ', ","));
    let policy = first.headers()["cache-control"].to_str().unwrap().to_owned();
    assert!(policy.contains("stale-while-revalidate=") && policy.contains("stale-if-error="), "{policy}");
    let again =
        app.client.get(app.url("/feeds/atom.xml")).header("If-None-Match", etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
}

/// The picture each format carries for the first entry: RSS
/// `media:content`, Atom's `enclosure` link, JSON Feed's `image` (which
/// feed-rs leaves out: read from the JSON itself).
async fn entry_images(app: &TestApp) -> Vec<String> {
    let mut images: Vec<String> = read(app, "/feeds/").await.iter().take(2).map(entry_image).collect();
    let json: Value = app.get_json("/feeds/feed.json").await;
    images.push(json["items"][0]["image"].as_str().expect("JSON Feed carries the cover").to_owned());
    images
}

fn entry_image(feed: &Feed) -> String {
    let entry = &feed.entries[0];
    entry
        .media
        .iter()
        .flat_map(|m| m.content.iter().filter_map(|c| c.url.as_ref().map(|u| u.to_string())))
        .chain(entry.media.iter().flat_map(|m| m.thumbnails.iter().map(|t| t.image.uri.clone())))
        .chain(entry.links.iter().filter(|l| l.rel.as_deref() == Some("enclosure")).map(|l| l.href.clone()))
        .next()
        .unwrap_or_else(|| panic!("{:?} carries the cover", feed.feed_type))
}

async fn covers_travel_with_their_entries(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let first = app.get_json("/api/v1/articles?limit=1").await["data"][0].clone();
    let external = first["cover_image"]["url"].as_str().expect("demo stories have covers").to_owned();
    let rss = app.get("/feeds/rss.xml").await.text().await.unwrap();
    assert!(rss.contains("xmlns:media=\"http://search.yahoo.com/mrss/\""));
    assert_eq!(entry_images(&app).await, [external.as_str(); 3], "an image hosted elsewhere, as given");

    // From the library: a rendition wide enough for large previews.
    let item = app.upload_ok(&editor.access, crate::media::jpeg(2000, 1000), "A capsule on the sand").await;
    let sha = item["url"].as_str().unwrap().split('/').nth(2).unwrap().to_owned();
    let covered = app
        .patch(
            &format!("/api/v1/articles/{}", first["id"].as_str().unwrap()),
            Some(&editor.access),
            Some(&format!("\"{}\"", first["version"])),
            &json!({"cover_media_id": item["id"]}),
        )
        .await;
    assert_eq!(covered.status(), 200);
    for image in entry_images(&app).await {
        assert_eq!(image, format!("https://news.example.org/media/{sha}/1600.jpg"));
        let served = app.get(image.trim_start_matches("https://news.example.org")).await;
        assert_eq!(served.status(), 200, "{image}");
    }
}

async fn whole_articles_when_asked(app: TestApp) {
    app.seed_demo();
    let slug = app.get_json("/api/v1/articles?limit=1").await["data"][0]["slug"].as_str().unwrap().to_owned();
    let html: Value = app.get_json(&format!("/api/v1/articles/{slug}")).await["body_html"].clone();
    for feed in read(&app, "/feeds/").await {
        let content = feed.entries[0].content.as_ref().and_then(|c| c.body.clone());
        // (feed-rs trims what it reads.)
        assert_eq!(content.as_deref().map(str::trim), html.as_str().map(str::trim), "{:?}", feed.feed_type);
    }
}

on_both_backends!(
    every_feed_lists_what_its_list_does,
    entries_keep_their_ids_through_a_new_title_and_slug,
    feeds_are_conditional_and_cached_reads,
    covers_travel_with_their_entries,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_content() {
    whole_articles_when_asked(TestApp::spawn_with(Backend::Sqlite, |s| s.feed_full_content = true).await)
        .await;
}
