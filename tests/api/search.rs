//! Full-text search (`q`): headline matches first, then the rest, each
//! newest first; prefixes for search-as-you-type; snippets; pages as deep
//! as the matches go.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::fixtures::demo;
use crate::helpers::TestApp;
use crate::on_both_backends;

async fn search_ranks_title_matches_first(app: TestApp) {
    app.seed_demo();
    // A word in exactly one published title.
    let demo = demo();
    let published: Vec<_> =
        demo["articles"].as_array().unwrap().iter().filter(|a| a["status"] == "published").collect();
    let target =
        published.iter().find(|a| a["title"].as_str().unwrap().contains("Lodestar")).expect("demo story");
    let page = app.get_json("/api/v1/articles?q=lodestar").await;
    let results = page["data"].as_array().unwrap();
    assert!(!results.is_empty());
    assert_eq!(results[0]["slug"], target["slug"], "the title match ranks first");
    for result in results {
        assert_eq!(result["status"], "published");
    }

    // Stemming: "landing" finds "lands".
    let stemmed = app.get_json("/api/v1/articles?q=landing").await;
    assert!(stemmed["data"].as_array().unwrap().iter().any(|a| a["slug"] == target["slug"]));

    // Every word must match.
    let none = app.get_json("/api/v1/articles?q=lodestar%20zzyzx").await;
    assert!(none["data"].as_array().unwrap().is_empty());
}

async fn search_combines_with_filters_and_pages(app: TestApp) {
    app.seed_demo();
    let all = app.get_json("/api/v1/articles?q=minister&limit=100").await;
    let all: Vec<_> = all["data"].as_array().unwrap().iter().map(|a| a["id"].clone()).collect();
    assert!(all.len() >= 3, "the demo has several stories about ministers");
    let mut walked = Vec::new();
    let mut path = "/api/v1/articles?q=minister&limit=2".to_owned();
    loop {
        let page = app.get_json(&path).await;
        walked.extend(page["data"].as_array().unwrap().iter().map(|a| a["id"].clone()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/articles?q=minister&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(walked, all);

    let in_world = app.get_json("/api/v1/articles?q=minister&category=world&limit=100").await;
    let in_world = in_world["data"].as_array().unwrap();
    assert!(in_world.len() < all.len());
    let world_family = ["world", "europe", "asia", "americas", "africa"];
    assert!(in_world.iter().all(|a| world_family.contains(&a["category"]["slug"].as_str().unwrap())));
}

async fn hostile_search_text_is_just_text(app: TestApp) {
    app.seed_demo();
    for q in [
        "'; DROP TABLE articles; --",
        "\"unbalanced",
        "NEAR(a b",
        "title:energy OR body:*",
        "a & b | !c <-> d",
        "***",
        "%00%01",
        "énergie über straße",
    ] {
        let encoded: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let page = app.get_json(&format!("/api/v1/articles?q={encoded}")).await;
        assert!(page["data"].is_array(), "{q}");
    }
    let still_there = app.get_json("/api/v1/articles?limit=1").await;
    assert_eq!(still_there["data"].as_array().unwrap().len(), 1);
    let too_long = app.get(&format!("/api/v1/articles?q={}", "a".repeat(201))).await;
    crate::helpers::assert_problem(too_long, 400, "VALIDATION_FAILED").await;
}

async fn results_carry_snippets_and_prefixes_match(app: TestApp) {
    app.seed_demo();
    // Search-as-you-type: the start of a word finds it.
    let typed = app.get_json("/api/v1/articles?q=lodest").await;
    let first = &typed["data"][0];
    assert!(first["title"].as_str().unwrap().contains("Lodestar"), "{typed}");
    let snippet = first["snippet"].as_str().expect("a search result has a snippet");
    assert!(!snippet.is_empty());

    // The snippet marks the words, and escapes everything else.
    let editor = app.sign_in_as("editor").await;
    let draft: Value = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Harbour pilots strike", "category": "europe",
                    "summary": "Pilots <b>walk out</b> & tugboats idle as the harbour strike begins."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_str().unwrap();
    app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;
    let found = app.get_json("/api/v1/articles?q=tugboat").await;
    assert_eq!(found["data"][0]["id"], id, "{found}");
    assert_eq!(
        found["data"][0]["snippet"],
        "Pilots &lt;b&gt;walk out&lt;/b&gt; &amp; <mark>tugboats</mark> idle as the harbour strike begins"
    );

    // The same in GraphQL; outside a search, no snippet.
    let query =
        json!({"query": "{ articles(first: 1, filter: {search: \"tugboat\"}) { nodes { id snippet } } }"});
    let graphql: Value =
        app.client.post(app.url("/graphql")).json(&query).send().await.unwrap().json().await.unwrap();
    let node = &graphql["data"]["articles"]["nodes"][0];
    assert_eq!(node["id"], id);
    assert_eq!(node["snippet"], found["data"][0]["snippet"]);
    let feed = app.get_json("/api/v1/articles?limit=1").await;
    assert!(feed["data"][0].get("snippet").is_none(), "{feed}");
    let plain = json!({"query": "{ articles(first: 1) { nodes { snippet } } }"});
    let graphql: Value =
        app.client.post(app.url("/graphql")).json(&plain).send().await.unwrap().json().await.unwrap();
    assert_eq!(graphql["data"]["articles"]["nodes"][0]["snippet"], Value::Null);
}

/// Results page as deep as the matches go: far past the 2,000 an offset
/// ranking once stopped at, each story once, headline matches first.
async fn search_pages_past_two_thousand_results(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 5_000, 0, 3).expect("generated stories");
    let mut seen = HashSet::new();
    let mut in_text = false;
    let mut path = "/api/v1/articles?q=ministers&limit=100".to_owned();
    loop {
        let page = app.get_json(&path).await;
        for article in page["data"].as_array().unwrap() {
            assert!(seen.insert(article["id"].as_str().unwrap().to_owned()), "each story once");
            let in_headline = article["title"].as_str().unwrap().to_lowercase().contains("minister");
            assert!(!(in_text && in_headline), "headline matches come first");
            in_text |= !in_headline;
            // A headline match may have nothing to mark in its text.
            let snippet = article["snippet"].as_str().unwrap();
            assert!(in_headline || snippet.contains("<mark>"), "{article}");
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/articles?q=ministers&limit=100&cursor={cursor}"),
            None => break,
        }
    }
    assert!(seen.len() > 2_000, "only {} results", seen.len());
    assert!(in_text, "both tiers were walked");
}

on_both_backends!(
    search_ranks_title_matches_first,
    search_combines_with_filters_and_pages,
    hostile_search_text_is_just_text,
    results_carry_snippets_and_prefixes_match,
    search_pages_past_two_thousand_results
);
