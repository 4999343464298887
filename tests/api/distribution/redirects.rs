//! Old slugs keep working after a published article or a section is
//! renamed: REST answers 301 to the current address, GraphQL resolves them,
//! and feeds and sitemaps list only the current address.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn graphql(app: &TestApp, query: &str) -> Value {
    app.client
        .post(app.url("/graphql"))
        .json(&json!({"query": query}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn renamed_articles_answer_their_old_slug_with_a_redirect(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let card = app.get_json("/api/v1/articles?limit=1").await["data"][0].clone();
    let (id, old) = (card["id"].as_str().unwrap().to_owned(), card["slug"].as_str().unwrap().to_owned());
    let renamed = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&editor.access),
            Some(&format!("\"{}\"", card["version"])),
            &json!({"slug": "renamed-story"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);

    let no_redirects =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let moved = no_redirects.get(app.url(&format!("/api/v1/articles/{old}"))).send().await.unwrap();
    assert_eq!(moved.status(), 301);
    assert_eq!(moved.headers()["location"], "/api/v1/articles/renamed-story");
    // A CDN may keep it, purged with the article.
    assert!(moved.headers()["cache-control"].to_str().unwrap().starts_with("public"));
    let tags = moved.headers()["surrogate-key"].to_str().unwrap();
    assert!(tags.split(' ').any(|t| t == format!("article:{id}")), "{tags}");
    let followed = app.get(&format!("/api/v1/articles/{}", old.to_uppercase())).await;
    assert_eq!(followed.status(), 200, "a client following the redirect reads the article");
    assert_eq!(followed.json::<Value>().await.unwrap()["id"], id.as_str());

    let found = graphql(&app, &format!(r#"{{ article(slug: "{old}") {{ id slug }} }}"#)).await;
    assert_eq!(found["data"]["article"]["id"], id.as_str());
    assert_eq!(found["data"]["article"]["slug"], "renamed-story");

    // The old slug stays the story's: no other article takes it.
    let taken = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Another", "slug": old, "category": "europe"}),
        )
        .await;
    assert_problem(taken, 409, "CONFLICT").await;
    let derived = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": old.replace('-', " "), "category": "europe"}),
        )
        .await;
    assert_ne!(derived.json::<Value>().await.unwrap()["slug"], old.as_str());

    let rss = app.get("/feeds/rss.xml").await.text().await.unwrap();
    assert!(rss.contains("/renamed-story</link>") && !rss.contains(&format!("/{old}</link>")));

    // Taking the old slug back makes it current again, and forgets the newer one.
    let version = app.get_json(&format!("/api/v1/articles/{id}")).await["version"].clone();
    let back = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&editor.access),
            Some(&format!("\"{version}\"")),
            &json!({"slug": old}),
        )
        .await;
    assert_eq!(back.status(), 200);
    assert_eq!(app.get(&format!("/api/v1/articles/{old}")).await.status(), 200);
    let moved = no_redirects.get(app.url("/api/v1/articles/renamed-story")).send().await.unwrap();
    assert_eq!(moved.headers()["location"], format!("/api/v1/articles/{old}").as_str());
}

async fn drafts_leave_no_trail(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let draft: Value = app
        .post(
            "/api/v1/articles",
            Some(&author.access),
            &json!({"title": "Working title", "category": "europe"}),
        )
        .await
        .json()
        .await
        .unwrap();
    if draft["id"].is_null() {
        // No such section on an empty database: nothing to check.
        return;
    }
    let id = draft["id"].as_str().unwrap();
    let renamed = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&author.access),
            Some("\"1\""),
            &json!({"slug": "final-title"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(app.get_as("/api/v1/articles/working-title", &author.access).await.status(), 404);
}

async fn renamed_sections_redirect_and_their_feeds_follow(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let renamed = app
        .patch("/api/v1/categories/europe", Some(&editor.access), None, &json!({"slug": "continent"}))
        .await;
    assert_eq!(renamed.status(), 200);
    let no_redirects =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let moved = no_redirects.get(app.url("/api/v1/categories/europe")).send().await.unwrap();
    assert_eq!(moved.status(), 301);
    assert_eq!(moved.headers()["location"], "/api/v1/categories/continent");
    let feed = no_redirects.get(app.url("/feeds/sections/europe/atom.xml")).send().await.unwrap();
    assert_eq!(feed.status(), 301);
    assert_eq!(feed.headers()["location"], "/feeds/sections/continent/atom.xml");
    assert_eq!(app.get("/feeds/sections/europe/atom.xml").await.status(), 200);
    assert_eq!(no_redirects.get(app.url("/feeds/sections/europe/%0A")).send().await.unwrap().status(), 404);
    let found = graphql(&app, r#"{ category(slug: "europe") { slug url } }"#).await;
    assert_eq!(found["data"]["category"]["slug"], "continent");
    assert_eq!(found["data"]["category"]["url"], "https://news.example.org/continent");
    let card = app.get_json("/api/v1/articles?category=continent&limit=1").await["data"][0].clone();
    assert!(card["url"].as_str().unwrap().starts_with("https://news.example.org/continent/"));
    let taken = app
        .post("/api/v1/categories", Some(&editor.access), &json!({"name": "Europe", "slug": "europe"}))
        .await;
    assert_problem(taken, 409, "CONFLICT").await;
}

on_both_backends!(
    renamed_articles_answer_their_old_slug_with_a_redirect,
    drafts_leave_no_trail,
    renamed_sections_redirect_and_their_feeds_follow,
);
