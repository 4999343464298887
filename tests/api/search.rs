//! Full-text search (`q`), ranked by the database's own engine.

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

on_both_backends!(
    search_ranks_title_matches_first,
    search_combines_with_filters_and_pages,
    hostile_search_text_is_just_text
);
