//! The article feed and single articles.

use std::collections::HashSet;

use serde_json::Value;

use crate::fixtures::{demo, demo_slugs, publish_in_future};
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

fn slugs(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap().to_owned()).collect()
}

async fn feed_lists_published_articles_newest_first(app: TestApp) {
    app.seed_demo();
    let page = app.get_json("/api/v1/articles?limit=100").await;
    let items = page["data"].as_array().unwrap();
    let published: HashSet<String> = demo_slugs("published").into_iter().collect();
    assert_eq!(items.len(), published.len());
    assert_eq!(slugs(&page).into_iter().collect::<HashSet<_>>(), published);
    assert!(page["next_cursor"].is_null());
    let times: Vec<&str> = items.iter().map(|a| a["published_at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    for item in items {
        assert_eq!(item["status"], "published");
        assert!(item.get("body").is_none() && item.get("body_html").is_none(), "lists leave bodies out");
        for field in [
            "id",
            "slug",
            "title",
            "summary",
            "category",
            "tags",
            "authors",
            "featured",
            "created_at",
            "updated_at",
            "version",
            "reading_time_minutes",
            "comment_count",
        ] {
            assert!(item.get(field).is_some(), "{field} missing in {item}");
        }
        assert!(item["reading_time_minutes"].as_i64().unwrap() >= 1);
        assert!(item["category"]["slug"].is_string() && item["category"]["name"].is_string());
        assert!(!item["authors"].as_array().unwrap().is_empty());
    }
}

async fn comment_counts_match_the_visible_threads(app: TestApp) {
    app.seed_demo();
    let demo = demo();
    fn count(comments: &Value) -> usize {
        // Held comments wait for an editor, uncounted.
        comments
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["held"] != true)
            .map(|c| 1 + count(&c["replies"]))
            .sum()
    }
    let page = app.get_json("/api/v1/articles?limit=100").await;
    for item in page["data"].as_array().unwrap() {
        let source = demo["articles"].as_array().unwrap().iter().find(|a| a["slug"] == item["slug"]).unwrap();
        assert_eq!(
            item["comment_count"].as_u64().unwrap() as usize,
            count(&source["comments"]),
            "{}",
            item["slug"]
        );
    }
}

async fn one_article_by_slug_or_id_with_sanitized_html(app: TestApp) {
    app.seed_demo();
    let slug = &demo_slugs("published")[0];
    let by_slug = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let id = by_slug["id"].as_str().unwrap();
    let by_id = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(by_slug, by_id);
    assert!(by_slug["body"].as_str().unwrap().len() > 100);
    let html = by_slug["body_html"].as_str().unwrap();
    assert!(html.starts_with("<p>") || html.starts_with("<h"), "{html}");
    assert!(!html.contains("<script"));
    let upper = app.get_json(&format!("/api/v1/articles/{}", slug.to_uppercase())).await;
    assert_eq!(upper["id"], by_slug["id"], "slugs are matched case-insensitively");
}

async fn unpublished_articles_are_not_found(app: TestApp) {
    app.seed_demo();
    for status in ["draft", "in_review", "scheduled"] {
        for slug in demo_slugs(status) {
            let response = app.get(&format!("/api/v1/articles/{slug}")).await;
            assert_problem(response, 404, "NOT_FOUND").await;
        }
    }
    let list = app.get_json("/api/v1/articles?limit=100").await;
    let listed: HashSet<String> = slugs(&list).into_iter().collect();
    for status in ["draft", "in_review", "scheduled", "archived"] {
        assert!(demo_slugs(status).iter().all(|s| !listed.contains(s)), "{status} listed");
    }
    assert_problem(app.get("/api/v1/articles/no-such-story").await, 404, "NOT_FOUND").await;
    assert_problem(app.get(&format!("/api/v1/articles/{}", uuid::Uuid::now_v7())).await, 404, "NOT_FOUND")
        .await;
}

async fn publish_time_must_have_come(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    publish_in_future(app.services.db(), &slug, 3600);
    assert_problem(app.get(&format!("/api/v1/articles/{slug}")).await, 404, "NOT_FOUND").await;
    let list = app.get_json("/api/v1/articles?limit=100").await;
    assert!(!slugs(&list).contains(&slug));
}

async fn filters_by_section_including_sub_sections(app: TestApp) {
    app.seed_demo();
    let demo = demo();
    let world_family: HashSet<&str> = demo["categories"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["slug"] == "world" || c["parent"] == "world")
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    let expected = demo["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "published" && world_family.contains(a["category"].as_str().unwrap()))
        .count();
    let page = app.get_json("/api/v1/articles?category=world&limit=100").await;
    let items = page["data"].as_array().unwrap();
    assert_eq!(items.len(), expected);
    assert!(items.iter().any(|a| a["category"]["slug"] != "world"), "sub-sections included");
    assert!(items.iter().all(|a| world_family.contains(a["category"]["slug"].as_str().unwrap())));

    let europe = app.get_json("/api/v1/articles?category=europe&limit=100").await;
    assert!(europe["data"].as_array().unwrap().iter().all(|a| a["category"]["slug"] == "europe"));
    assert!(!europe["data"].as_array().unwrap().is_empty());

    let none = app.get_json("/api/v1/articles?category=no-such-section").await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
}

async fn filters_by_tag_author_featured_and_dates(app: TestApp) {
    app.seed_demo();
    let all = app.get_json("/api/v1/articles?limit=100").await;
    let all = all["data"].as_array().unwrap().clone();

    let tag = all[0]["tags"][0]["slug"].as_str().unwrap().to_owned();
    let tagged = app.get_json(&format!("/api/v1/articles?tag={tag}&limit=100")).await;
    let expected = all
        .iter()
        .filter(|a| a["tags"].as_array().unwrap().iter().any(|t| t["slug"] == tag.as_str()))
        .count();
    assert_eq!(tagged["data"].as_array().unwrap().len(), expected);

    let author = all[0]["authors"][0]["id"].as_str().unwrap().to_owned();
    let by_author = app.get_json(&format!("/api/v1/articles?author={author}&limit=100")).await;
    let expected = all
        .iter()
        .filter(|a| a["authors"].as_array().unwrap().iter().any(|p| p["id"] == author.as_str()))
        .count();
    assert_eq!(by_author["data"].as_array().unwrap().len(), expected);
    assert!(expected > 0);

    let featured = app.get_json("/api/v1/articles?featured=true&limit=100").await;
    let expected = all.iter().filter(|a| a["featured"] == true).count();
    assert_eq!(featured["data"].as_array().unwrap().len(), expected);
    assert!(expected > 0);
    let not_featured = app.get_json("/api/v1/articles?featured=false&limit=100").await;
    assert_eq!(not_featured["data"].as_array().unwrap().len(), all.len() - expected);

    // A window holding exactly the 3rd to 5th newest articles.
    let from = all[4]["published_at"].as_str().unwrap();
    let to = all[2]["published_at"].as_str().unwrap();
    let window =
        app.get_json(&format!("/api/v1/articles?from={}&to={}", urlencode(from), urlencode(to))).await;
    let window_slugs: Vec<_> = window["data"].as_array().unwrap().iter().map(|a| a["slug"].clone()).collect();
    let expected: Vec<_> = all[2..=4].iter().map(|a| a["slug"].clone()).collect();
    assert_eq!(window_slugs, expected);

    let combined = app.get_json(&format!("/api/v1/articles?featured=true&tag={tag}&author={author}")).await;
    for a in combined["data"].as_array().unwrap() {
        assert_eq!(a["featured"], true);
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn walking_the_cursor_returns_every_article_once_in_order(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 10_000, 0, 7).unwrap();
    let mut seen = HashSet::new();
    let mut previous: Option<(String, String)> = None;
    let mut path = "/api/v1/articles?limit=100".to_owned();
    let mut pages = 0;
    loop {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200);
        // The `next` link, if any (the feeds' `alternate` links come after it).
        let link = response
            .headers()
            .get_all("link")
            .iter()
            .map(|l| l.to_str().unwrap().to_owned())
            .find(|l| l.ends_with("rel=\"next\""));
        let page: Value = response.json().await.unwrap();
        pages += 1;
        for item in page["data"].as_array().unwrap() {
            let key =
                (item["published_at"].as_str().unwrap().to_owned(), item["id"].as_str().unwrap().to_owned());
            if let Some(prev) = &previous {
                assert!(key < *prev, "strictly descending: {key:?} after {prev:?}");
            }
            assert!(seen.insert(key.1.clone()), "duplicate {}", key.1);
            previous = Some(key);
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                let link = link.expect("Link header with a next page");
                assert!(link.ends_with("; rel=\"next\"") && link.contains(cursor), "{link}");
                path = link.trim_start_matches('<').split('>').next().unwrap().to_owned();
            }
            None => {
                assert!(link.is_none());
                break;
            }
        }
    }
    assert_eq!(seen.len(), 10_000);
    assert_eq!(pages, 100);
}

async fn bad_parameters_are_named(app: TestApp) {
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("featured=maybe", "featured"),
        ("from=yesterday", "from"),
        ("to=2026-13-01T00:00:00Z", "to"),
        ("author=bob", "author"),
        ("category=Not%20A%20Slug", "category"),
        ("tag=%3Cscript%3E", "tag"),
        ("cursor=garbage", "cursor"),
        ("cursor=ZjEfMTIzHzQ1Ng", "cursor"),
        ("q=rates&cursor=ZjEfMTIzHzQ1Ng", "cursor"),
        // A search cursor whose place in the index is not a number.
        ("q=rates&cursor=czEfaB9yH3g", "cursor"),
        ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
    ] {
        let response = app.get(&format!("/api/v1/articles?{query}")).await;
        let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
        let fields: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{query}: {problem}");
    }
    let several = app.get("/api/v1/articles?limit=0&featured=x").await;
    let problem = assert_problem(several, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2, "every bad parameter is reported");
    let duplicated = app.get("/api/v1/articles?limit=1&limit=2").await;
    assert_problem(duplicated, 400, "BAD_REQUEST").await;
}

on_both_backends!(
    feed_lists_published_articles_newest_first,
    comment_counts_match_the_visible_threads,
    one_article_by_slug_or_id_with_sanitized_html,
    unpublished_articles_are_not_found,
    publish_time_must_have_come,
    filters_by_section_including_sub_sections,
    filters_by_tag_author_featured_and_dates,
    walking_the_cursor_returns_every_article_once_in_order,
    bad_parameters_are_named,
);
