//! Every article, section, tag and author names its page on the public
//! site, the same in both APIs.

use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn articles_sections_tags_and_authors_name_their_pages(app: TestApp) {
    app.seed_demo();
    let list = app.get_json("/api/v1/articles?limit=1").await;
    let card = &list["data"][0];
    let (slug, section) = (card["slug"].as_str().unwrap(), card["category"]["slug"].as_str().unwrap());
    assert_eq!(card["url"], format!("https://news.example.org/{section}/{slug}"));
    assert_eq!(card["category"]["url"], format!("https://news.example.org/{section}"));
    let author = &card["authors"][0];
    assert_eq!(author["url"], format!("https://news.example.org/authors/{}", author["id"].as_str().unwrap()));
    if let Some(tag) = card["tags"].as_array().unwrap().first() {
        assert_eq!(tag["url"], format!("https://news.example.org/tags/{}", tag["slug"].as_str().unwrap()));
    }
    let article = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    assert_eq!(article["url"], card["url"]);
    let category = app.get_json(&format!("/api/v1/categories/{section}")).await;
    assert_eq!(category["url"], card["category"]["url"]);
    let tags = app.get_json("/api/v1/tags?limit=1").await;
    let tag = &tags["data"][0];
    assert_eq!(tag["url"], format!("https://news.example.org/tags/{}", tag["slug"].as_str().unwrap()));

    let query = json!({"query": format!(
        r#"{{ article(slug: "{slug}") {{ url category {{ url }} tags {{ url }} authors {{ url }} }} }}"#
    )});
    let graphql: serde_json::Value =
        app.client.post(app.url("/graphql")).json(&query).send().await.unwrap().json().await.unwrap();
    let node = &graphql["data"]["article"];
    assert_eq!(node["url"], article["url"]);
    assert_eq!(node["category"]["url"], card["category"]["url"]);
    assert_eq!(node["authors"][0]["url"], author["url"]);
    let rest_tags: Vec<_> = article["tags"].as_array().unwrap().iter().map(|t| t["url"].clone()).collect();
    let gql_tags: Vec<_> = node["tags"].as_array().unwrap().iter().map(|t| t["url"].clone()).collect();
    assert_eq!(rest_tags, gql_tags);
}

async fn the_article_template_shapes_every_article_address(app: TestApp) {
    app.seed_demo();
    let card = &app.get_json("/api/v1/articles?limit=1").await["data"][0];
    let published = chrono::DateTime::parse_from_rfc3339(card["published_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        card["url"],
        format!(
            "https://www.example.com/news/{}/{}-{}",
            published.format("%Y/%m"),
            card["slug"].as_str().unwrap(),
            card["id"].as_str().unwrap()
        )
    );
}

on_both_backends!(articles_sections_tags_and_authors_name_their_pages);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_template() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |settings| {
        settings.public_url = Some("https://www.example.com/news".parse().unwrap());
        settings.article_url_template = newsdesk::domain::site::UrlTemplate::parse(
            "{public_url}/{yyyy}/{mm}/{slug}-{id}",
            newsdesk::domain::site::Placeholder::FOR_ARTICLES,
        )
        .unwrap();
    })
    .await;
    the_article_template_shapes_every_article_address(app).await;
}
