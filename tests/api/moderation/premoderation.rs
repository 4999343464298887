//! Comment settings per article: closed, pre-moderated (held until an
//! editor approves), trusted accounts; counts exact through every change.

use serde_json::{Value, json};

use super::{comment_count, post_comment, queued, set_comments_mode};
use crate::fixtures::demo_slugs;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn closed_is_closed_for_everyone(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (reader, editor) = (app.sign_in_as("reader").await, app.sign_in_as("editor").await);
    let before = post_comment(&app, &reader.access, &slug, "Before closing.", None).await;
    assert_eq!(before.status(), 201);
    let before: Value = before.json().await.unwrap();
    let count = comment_count(&app, &slug).await;

    let article = set_comments_mode(&app, &editor.access, &slug, "closed").await;
    assert_eq!(article["comments_mode"], "closed");
    for who in [&reader, &editor] {
        let refused = post_comment(&app, &who.access, &slug, "Too late.", None).await;
        let problem = assert_problem(refused, 409, "CONFLICT").await;
        assert!(problem["detail"].as_str().unwrap().contains("comments are closed"), "{problem}");
        let reply = post_comment(&app, &who.access, &slug, "Too late.", before["id"].as_str()).await;
        assert_problem(reply, 409, "CONFLICT").await;
    }
    assert_eq!(comment_count(&app, &slug).await, count, "nothing was added");
    assert_eq!(app.get(&format!("/api/v1/comments/{}", before["id"].as_str().unwrap())).await.status(), 200);
    let listed = app.get_json("/api/v1/articles?limit=100").await;
    let card =
        listed["data"].as_array().unwrap().iter().find(|a| a["slug"] == slug.as_str()).unwrap().clone();
    assert_eq!(card["comments_mode"], "closed", "lists show the mode too");

    set_comments_mode(&app, &editor.access, &slug, "open").await;
    assert_eq!(post_comment(&app, &reader.access, &slug, "Open again.", None).await.status(), 201);
    let path = format!("/api/v1/articles/{slug}");
    let version =
        app.get_as(&path, &editor.access).await.json::<Value>().await.unwrap()["version"].to_string();
    let bad =
        app.patch(&path, Some(&editor.access), Some(&version), &json!({"comments_mode": "maybe"})).await;
    let problem = assert_problem(bad, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "comments_mode");
}

async fn premoderated_comments_wait_for_an_editor(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (reader, editor) = (app.sign_in_as("reader").await, app.sign_in_as("editor").await);
    set_comments_mode(&app, &editor.access, &slug, "premoderated").await;
    let count = comment_count(&app, &slug).await;

    let posted = post_comment(&app, &reader.access, &slug, "Worth waiting for.", None).await;
    assert_eq!(posted.status(), 201);
    let held: Value = posted.json().await.unwrap();
    assert_eq!(held["status"], "held");
    assert_eq!(held["body"], "Worth waiting for.", "its author gets it back as written");
    let id = held["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/comments/{id}");

    assert_eq!(comment_count(&app, &slug).await, count, "a held comment is not counted");
    assert_problem(app.get(&path).await, 404, "NOT_FOUND").await;
    assert_eq!(app.get_as(&path, &reader.access).await.status(), 404, "not even to its author");
    let thread = app.get_json(&format!("/api/v1/articles/{slug}/comments?limit=100")).await;
    assert!(thread["data"].as_array().unwrap().iter().all(|c| c["id"] != id.as_str()));
    let report = app.post(&format!("{path}/reports"), Some(&reader.access), &json!({"reason": "spam"})).await;
    assert_problem(report, 404, "NOT_FOUND").await;
    assert_eq!(app.get_as(&path, &editor.access).await.json::<Value>().await.unwrap()["status"], "held");

    let entry = queued(&app, &editor.access, &id).await.expect("held comments are queued");
    assert_eq!(entry["held"], true);
    assert_eq!(entry["reported"], false);
    assert_eq!(entry["report_count"], 0);
    assert_eq!(entry["article"]["slug"], slug.as_str());
    assert_eq!(entry["comment"]["status"], "held");

    let approved = app.post(&format!("{path}/approve"), Some(&editor.access), &json!({})).await;
    assert_eq!(approved.status(), 200);
    assert_eq!(approved.json::<Value>().await.unwrap()["status"], "visible");
    assert_eq!(comment_count(&app, &slug).await, count + 1, "approved: counted");
    assert_eq!(app.get_json(&path).await["status"], "visible");
    assert!(queued(&app, &editor.access, &id).await.is_none(), "approved: out of the queue");
    let again = app.post(&format!("{path}/approve"), Some(&editor.access), &json!({})).await;
    assert_eq!(assert_problem(again, 409, "CONFLICT").await["current_status"], "visible");

    // Rejecting a held comment is hiding it: it never counted, and leaves the queue.
    let rejected: Value =
        post_comment(&app, &reader.access, &slug, "Buy now!", None).await.json().await.unwrap();
    let rejected = rejected["id"].as_str().unwrap();
    let hide = app.post(&format!("/api/v1/comments/{rejected}/hide"), Some(&editor.access), &json!({})).await;
    assert_eq!(hide.json::<Value>().await.unwrap()["status"], "hidden");
    assert!(queued(&app, &editor.access, rejected).await.is_none());
    assert_eq!(comment_count(&app, &slug).await, count + 1);
}

async fn trusted_accounts_and_staff_skip_the_wait(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (reader, admin, editor) =
        (app.sign_in_as("reader").await, app.sign_in_as("admin").await, app.sign_in_as("editor").await);
    set_comments_mode(&app, &editor.access, &slug, "premoderated").await;
    let account = format!("/api/v1/users/{}", reader.id);
    assert_eq!(app.get_as(&account, &admin.access).await.json::<Value>().await.unwrap()["trusted"], false);
    let by_editor = app.patch(&account, Some(&editor.access), None, &json!({"trusted": true})).await;
    assert_problem(by_editor, 403, "FORBIDDEN").await;
    let first: Value = post_comment(&app, &reader.access, &slug, "Held.", None).await.json().await.unwrap();
    assert_eq!(first["status"], "held");

    let marked = app.patch(&account, Some(&admin.access), None, &json!({"trusted": true})).await;
    assert_eq!(marked.status(), 200);
    assert_eq!(marked.json::<Value>().await.unwrap()["trusted"], true);
    let me: Value = app.get_as("/api/v1/me", &reader.access).await.json().await.unwrap();
    assert_eq!(me["trusted"], true, "the account sees its own mark");
    let count = comment_count(&app, &slug).await;
    let trusted: Value =
        post_comment(&app, &reader.access, &slug, "Shown.", None).await.json().await.unwrap();
    assert_eq!(trusted["status"], "visible");
    for role in ["author", "editor", "admin"] {
        let staff = app.sign_in_as(role).await;
        let posted: Value =
            post_comment(&app, &staff.access, &slug, "Staff.", None).await.json().await.unwrap();
        assert_eq!(posted["status"], "visible", "{role}");
    }
    assert_eq!(comment_count(&app, &slug).await, count + 4);

    app.patch(&account, Some(&admin.access), None, &json!({"trusted": false})).await;
    let again: Value =
        post_comment(&app, &reader.access, &slug, "Held again.", None).await.json().await.unwrap();
    assert_eq!(again["status"], "held", "trust withdrawn");
}

/// `comment_count` and a parent's `reply_count` through held → approved →
/// hidden → unhidden → deleted, and held → rejected → unhidden.
async fn counts_stay_exact_through_every_change(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (reader, editor) = (app.sign_in_as("reader").await, app.sign_in_as("editor").await);
    let parent: Value =
        post_comment(&app, &reader.access, &slug, "Parent.", None).await.json().await.unwrap();
    let parent_path = format!("/api/v1/comments/{}", parent["id"].as_str().unwrap());
    set_comments_mode(&app, &editor.access, &slug, "premoderated").await;
    let base = comment_count(&app, &slug).await;
    let replies = || async { app.get_json(&parent_path).await["reply_count"].as_i64().unwrap() };

    let reply: Value = post_comment(&app, &reader.access, &slug, "Reply.", parent["id"].as_str())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reply["status"], "held");
    let path = format!("/api/v1/comments/{}", reply["id"].as_str().unwrap());
    let step = |path: String, action: &'static str| {
        let (app, editor) = (&app, &editor);
        async move {
            let response = app.post(&format!("{path}/{action}"), Some(&editor.access), &json!({})).await;
            assert_eq!(response.status(), 200, "{action}");
        }
    };
    assert_eq!((comment_count(&app, &slug).await, replies().await), (base, 0), "held");
    step(path.clone(), "approve").await;
    assert_eq!((comment_count(&app, &slug).await, replies().await), (base + 1, 1), "approved");
    step(path.clone(), "hide").await;
    assert_eq!((comment_count(&app, &slug).await, replies().await), (base, 0), "hidden");
    step(path.clone(), "unhide").await;
    assert_eq!((comment_count(&app, &slug).await, replies().await), (base + 1, 1), "unhidden");
    assert_eq!(app.delete(&path, Some(&reader.access)).await.status(), 204);
    assert_eq!(
        (comment_count(&app, &slug).await, replies().await),
        (base, 1),
        "deleted: not counted, but a tombstone keeps its place"
    );

    let other: Value = post_comment(&app, &reader.access, &slug, "Other.", parent["id"].as_str())
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/comments/{}", other["id"].as_str().unwrap());
    step(path.clone(), "hide").await;
    assert_eq!((comment_count(&app, &slug).await, replies().await), (base, 1), "rejected");
    step(path.clone(), "unhide").await;
    assert_eq!((comment_count(&app, &slug).await, replies().await), (base + 1, 2), "shown after all");
}

on_both_backends!(
    closed_is_closed_for_everyone,
    premoderated_comments_wait_for_an_editor,
    trusted_accounts_and_staff_skip_the_wait,
    counts_stay_exact_through_every_change,
);
