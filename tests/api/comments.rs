//! Comment threads.

use serde_json::Value;

use crate::fixtures::{demo, set_comment_status};
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

/// The slug of a demo article with replies in its thread.
fn article_with_replies() -> String {
    let demo = demo();
    demo["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["status"] == "published"
                && a["comments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| !c["replies"].as_array().unwrap().is_empty())
        })
        .map(|a| a["slug"].as_str().unwrap().to_owned())
        .unwrap()
}

fn data(page: &Value) -> &Vec<Value> {
    page["data"].as_array().unwrap()
}

async fn top_level_comments_oldest_first_with_reply_counts(app: TestApp) {
    app.seed_demo();
    let slug = article_with_replies();
    let source =
        demo()["articles"].as_array().unwrap().iter().find(|a| a["slug"] == slug.as_str()).unwrap().clone();
    let page = app.get_json(&format!("/api/v1/articles/{slug}/comments")).await;
    let comments = data(&page);
    assert_eq!(comments.len(), source["comments"].as_array().unwrap().len());
    for (got, want) in comments.iter().zip(source["comments"].as_array().unwrap()) {
        assert_eq!(got["body"], want["body"]);
        assert!(got["parent_id"].is_null());
        assert_eq!(got["status"], "visible");
        assert_eq!(got["reply_count"].as_u64().unwrap() as usize, want["replies"].as_array().unwrap().len());
        assert!(got["author"]["id"].is_string() && got["author"]["display_name"].is_string());
    }
    let times: Vec<&str> = comments.iter().map(|c| c["created_at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");

    let parent = comments.iter().find(|c| c["reply_count"].as_u64().unwrap() > 0).unwrap();
    let replies = app
        .get_json(&format!("/api/v1/articles/{slug}/comments?parent={}", parent["id"].as_str().unwrap()))
        .await;
    assert_eq!(data(&replies).len() as u64, parent["reply_count"].as_u64().unwrap());
    assert!(data(&replies).iter().all(|r| r["parent_id"] == parent["id"]));
}

async fn threads_paginate_without_gaps(app: TestApp) {
    app.seed_demo();
    let slug = article_with_replies();
    let all = app.get_json(&format!("/api/v1/articles/{slug}/comments?limit=100")).await;
    let mut walked = Vec::new();
    let mut path = format!("/api/v1/articles/{slug}/comments?limit=1");
    loop {
        let page = app.get_json(&path).await;
        walked.extend(data(&page).iter().map(|c| c["id"].clone()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/articles/{slug}/comments?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    let expected: Vec<Value> = data(&all).iter().map(|c| c["id"].clone()).collect();
    assert_eq!(walked, expected);
}

async fn deleted_comments_stay_as_tombstones_and_hidden_ones_vanish(app: TestApp) {
    app.seed_demo();
    let slug = article_with_replies();
    let before = app.get_json(&format!("/api/v1/articles/{slug}/comments")).await;
    let article_before = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let with_replies = data(&before).iter().find(|c| c["reply_count"].as_u64().unwrap() > 0).unwrap().clone();
    let other = data(&before).iter().find(|c| c["id"] != with_replies["id"]).unwrap().clone();

    set_comment_status(app.services.db(), with_replies["id"].as_str().unwrap(), "deleted");
    set_comment_status(app.services.db(), other["id"].as_str().unwrap(), "hidden");

    let after = app.get_json(&format!("/api/v1/articles/{slug}/comments")).await;
    let tombstone =
        data(&after).iter().find(|c| c["id"] == with_replies["id"]).expect("tombstone keeps its place");
    assert_eq!(tombstone["status"], "deleted");
    assert!(tombstone["body"].is_null() && tombstone["author"].is_null());
    assert_eq!(tombstone["reply_count"], with_replies["reply_count"]);
    assert!(data(&after).iter().all(|c| c["id"] != other["id"]), "hidden comments are not shown");
    assert_eq!(data(&after).len(), data(&before).len() - 1);

    let replies = app
        .get_json(&format!(
            "/api/v1/articles/{slug}/comments?parent={}",
            with_replies["id"].as_str().unwrap()
        ))
        .await;
    assert!(!data(&replies).is_empty(), "replies under a tombstone remain readable");

    let hidden_parent =
        app.get(&format!("/api/v1/articles/{slug}/comments?parent={}", other["id"].as_str().unwrap())).await;
    assert_problem(hidden_parent, 404, "NOT_FOUND").await;

    let article_after = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    assert_eq!(
        article_after["comment_count"].as_i64().unwrap(),
        article_before["comment_count"].as_i64().unwrap() - 2,
        "comment_count counts visible comments only"
    );
}

async fn comment_errors(app: TestApp) {
    app.seed_demo();
    let slug = article_with_replies();
    assert_problem(app.get("/api/v1/articles/no-such-story/comments").await, 404, "NOT_FOUND").await;
    let bad_parent = app.get(&format!("/api/v1/articles/{slug}/comments?parent=nope")).await;
    let problem = assert_problem(bad_parent, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "parent");
    let foreign = app.get(&format!("/api/v1/articles/{slug}/comments?parent={}", uuid::Uuid::now_v7())).await;
    assert_problem(foreign, 404, "NOT_FOUND").await;
    let bad_cursor = app.get(&format!("/api/v1/articles/{slug}/comments?cursor=abc")).await;
    assert_problem(bad_cursor, 400, "VALIDATION_FAILED").await;
    let feed_cursor = app.get_json("/api/v1/articles?limit=1").await;
    let wrong_kind = app
        .get(&format!(
            "/api/v1/articles/{slug}/comments?cursor={}",
            feed_cursor["next_cursor"].as_str().unwrap()
        ))
        .await;
    assert_problem(wrong_kind, 400, "VALIDATION_FAILED").await;
    let draft = crate::fixtures::demo_slugs("draft")[0].clone();
    assert_problem(app.get(&format!("/api/v1/articles/{draft}/comments")).await, 404, "NOT_FOUND").await;
}

/// The generated data set's counts are what its threads hold.
async fn generated_threads_match_their_counts(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 30, 400, 11).unwrap();
    let list = app.get_json("/api/v1/articles?limit=100").await;
    let articles = data(&list);
    assert_eq!(articles.len(), 30);
    let total: i64 = articles.iter().map(|a| a["comment_count"].as_i64().unwrap()).sum();
    assert_eq!(total, 400);
    for article in articles.iter().take(3) {
        let slug = article["slug"].as_str().unwrap();
        let top = app.get_json(&format!("/api/v1/articles/{slug}/comments?limit=100")).await;
        let replies: i64 = data(&top).iter().map(|c| c["reply_count"].as_i64().unwrap()).sum();
        let top_level = data(&top).len() as i64;
        assert_eq!(top_level + replies, article["comment_count"].as_i64().unwrap(), "{slug}");
        for comment in data(&top).iter().filter(|c| c["reply_count"].as_i64().unwrap() > 0) {
            let id = comment["id"].as_str().unwrap();
            let thread = app.get_json(&format!("/api/v1/articles/{slug}/comments?parent={id}")).await;
            assert_eq!(data(&thread).len() as i64, comment["reply_count"].as_i64().unwrap());
        }
    }
}

on_both_backends!(
    generated_threads_match_their_counts,
    top_level_comments_oldest_first_with_reply_counts,
    threads_paginate_without_gaps,
    deleted_comments_stay_as_tombstones_and_hidden_ones_vanish,
    comment_errors,
);
