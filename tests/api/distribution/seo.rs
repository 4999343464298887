//! Search and social overrides with their fallbacks, and the `NewsArticle`
//! JSON-LD document, the same in both APIs.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn graphql(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request =
        app.client.post(app.url("/graphql")).json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// The properties Google's article structured-data guidelines ask for.
fn assert_news_article(data: &Value, headline: &str) {
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], headline);
    for date in ["datePublished", "dateModified"] {
        chrono::DateTime::parse_from_rfc3339(data[date].as_str().unwrap_or_else(|| panic!("{date}")))
            .unwrap();
    }
    let authors = data["author"].as_array().expect("authors");
    assert!(!authors.is_empty());
    for author in authors {
        assert_eq!(author["@type"], "Person");
        assert!(author["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(author["url"].as_str().unwrap().starts_with("https://news.example.org/authors/"));
    }
    assert_eq!(data["publisher"]["@type"], "Organization");
    assert_eq!(data["publisher"]["name"], "Newsdesk");
    let images = data["image"].as_array().expect("images");
    assert!(images.iter().all(|i| i.as_str().unwrap().starts_with("https://")));
}

async fn overrides_fall_back_to_the_story_and_feed_the_structured_data(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let card = app.get_json("/api/v1/articles?limit=1").await["data"][0].clone();
    let slug = card["slug"].as_str().unwrap().to_owned();
    assert_eq!(card["seo"]["title"], card["title"]);
    assert_eq!(card["seo"]["description"], card["summary"]);
    assert_eq!(card["seo"]["canonical_url"], card["url"]);
    let external = card["cover_image"]["url"].clone();
    assert_eq!(card["seo"]["image_url"], external, "the cover stands in");

    let article = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    assert_news_article(&article["structured_data"], card["title"].as_str().unwrap());
    assert_eq!(article["structured_data"]["mainEntityOfPage"]["@id"], card["url"]);
    assert_eq!(article["structured_data"]["image"], json!([external]));

    // A library cover: three proportions, each a file the service serves.
    let item = app.upload_ok(&editor.access, crate::media::jpeg(2000, 1000), "Ministers at the table").await;
    let covered = app
        .patch(
            &format!("/api/v1/articles/{slug}"),
            Some(&editor.access),
            Some(&format!("\"{}\"", card["version"])),
            &json!({"cover_media_id": item["id"]}),
        )
        .await;
    assert_eq!(covered.status(), 200);
    let covered: Value = covered.json().await.unwrap();
    let data = &covered["structured_data"];
    let images = data["image"].as_array().unwrap();
    assert_eq!(images.len(), 3, "16:9, 4:3 and 1:1: {images:?}");
    for image in images {
        let path = image.as_str().unwrap().trim_start_matches("https://news.example.org");
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
    assert!(covered["seo"]["image_url"].as_str().unwrap().starts_with("https://news.example.org/media/"));
    let card = covered;

    let set = app
        .patch(
            &format!("/api/v1/articles/{slug}"),
            Some(&editor.access),
            Some(&format!("\"{}\"", card["version"])),
            &json!({"seo": {"title": "Search headline", "image_url": "https://img.example.com/card.png", "canonical_url": "https://wire.example.com/1"}}),
        )
        .await;
    assert_eq!(set.status(), 200);
    let set: Value = set.json().await.unwrap();
    assert_eq!(set["seo"]["title"], "Search headline");
    assert_eq!(set["seo"]["description"], card["summary"], "left out: unchanged");
    assert_eq!(set["seo"]["canonical_url"], "https://wire.example.com/1");
    assert_eq!(set["structured_data"]["headline"], "Search headline");
    assert_eq!(set["structured_data"]["image"][0], "https://img.example.com/card.png");

    let query = r#"query($slug: String!) { article(slug: $slug) { url seo { title description imageUrl canonicalUrl } structuredData } }"#;
    let node = &graphql(&app, None, query, json!({"slug": slug})).await["data"]["article"];
    assert_eq!(node["seo"]["title"], "Search headline");
    assert_eq!(node["seo"]["imageUrl"], set["seo"]["image_url"]);
    assert_eq!(node["structuredData"], set["structured_data"]);

    let clear = r#"mutation($id: ID!, $v: Int!) { updateArticle(id: $id, expectedVersion: $v, input: {seo: {title: null, canonicalUrl: ""}}) { seo { title canonicalUrl } } }"#;
    let cleared =
        graphql(&app, Some(&editor.access), clear, json!({"id": card["id"], "v": set["version"]})).await;
    assert_eq!(cleared["data"]["updateArticle"]["seo"]["title"], card["title"], "{cleared}");
    assert_eq!(cleared["data"]["updateArticle"]["seo"]["canonicalUrl"], card["url"]);

    let bad = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "x", "category": "europe", "seo": {"image_url": "/relative.png", "title": "t".repeat(201)}}),
        )
        .await;
    let problem = assert_problem(bad, 400, "VALIDATION_FAILED").await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["seo.title", "seo.image_url"]);
}

on_both_backends!(overrides_fall_back_to_the_story_and_feed_the_structured_data);
