//! Sections and tags.

use std::collections::HashSet;

use crate::fixtures::demo;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn sections_come_in_tree_order(app: TestApp) {
    app.seed_demo();
    let list = app.get_json("/api/v1/categories").await;
    let sections = list["data"].as_array().unwrap();
    let expected = demo()["categories"].as_array().unwrap().len();
    assert_eq!(sections.len(), expected);
    // Every parent comes before its children, and children follow it directly.
    let mut seen = HashSet::new();
    for (i, section) in sections.iter().enumerate() {
        if let Some(parent) = section["parent_id"].as_str() {
            assert!(seen.contains(parent), "parent before child");
            let previous = &sections[i - 1];
            assert!(previous["id"] == parent || previous["parent_id"] == parent, "siblings stay together");
        }
        seen.insert(section["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(sections[0]["slug"], "world");
    assert_eq!(sections[1]["slug"], "europe");

    let europe = app.get_json("/api/v1/categories/europe").await;
    assert_eq!(europe["name"], "Europe");
    assert_eq!(europe["parent_id"], sections[0]["id"]);
    assert_problem(app.get("/api/v1/categories/atlantis").await, 404, "NOT_FOUND").await;
    assert_problem(app.get("/api/v1/categories/NOT%20A%20SLUG").await, 404, "NOT_FOUND").await;
}

async fn tags_paginate_in_slug_order(app: TestApp) {
    app.seed_demo();
    let total = demo()["tags"].as_array().unwrap().len();
    let mut slugs = Vec::new();
    let mut path = "/api/v1/tags?limit=7".to_owned();
    loop {
        let page = app.get_json(&path).await;
        slugs.extend(page["data"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/tags?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(slugs.len(), total);
    let mut sorted = slugs.clone();
    sorted.sort();
    assert_eq!(slugs, sorted);

    let tag = app.get_json(&format!("/api/v1/tags/{}", slugs[0])).await;
    assert_eq!(tag["slug"], slugs[0].as_str());
    assert_problem(app.get("/api/v1/tags/no-such-tag").await, 404, "NOT_FOUND").await;
    assert_problem(app.get("/api/v1/tags?limit=500").await, 400, "VALIDATION_FAILED").await;
    assert_problem(app.get("/api/v1/tags?cursor=%F0%9F%92%A9").await, 400, "VALIDATION_FAILED").await;
}

/// Renaming a tag to the slug it has, and nothing else, changes nothing
/// (found by schemathesis: it was a 500).
async fn a_tag_patched_to_its_own_slug_is_unchanged(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let slug = demo()["tags"][0]["slug"].as_str().unwrap().to_owned();
    let before = app.get_json(&format!("/api/v1/tags/{slug}")).await;
    let path = format!("/api/v1/tags/{slug}");
    let same = app.patch(&path, Some(&editor.access), None, &serde_json::json!({"slug": slug})).await;
    assert_eq!(same.status(), 200);
    assert_eq!(same.json::<serde_json::Value>().await.unwrap(), before);
}

on_both_backends!(
    sections_come_in_tree_order,
    tags_paginate_in_slug_order,
    a_tag_patched_to_its_own_slug_is_unchanged
);
