//! Posting, editing, deleting and moderating comments.

mod graphql;
mod premoderation;
mod reports;

use serde_json::{Value, json};

use crate::fixtures::demo_slugs;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn comment_count(app: &TestApp, slug: &str) -> i64 {
    app.get_json(&format!("/api/v1/articles/{slug}")).await["comment_count"].as_i64().unwrap()
}

/// Sets an article's comment mode as `token` (who may edit it), at its current version.
async fn set_comments_mode(app: &TestApp, token: &str, slug: &str, mode: &str) -> Value {
    let path = format!("/api/v1/articles/{slug}");
    let version = app.get_as(&path, token).await.json::<Value>().await.unwrap()["version"].as_i64().unwrap();
    let response =
        app.patch(&path, Some(token), Some(&format!("\"{version}\"")), &json!({"comments_mode": mode})).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Posts a comment (a reply with `parent`) as `token`.
async fn post_comment(
    app: &TestApp,
    token: &str,
    slug: &str,
    body: &str,
    parent: Option<&str>,
) -> reqwest::Response {
    let mut comment = json!({"body": body});
    if let Some(parent) = parent {
        comment["parent_id"] = json!(parent);
    }
    app.post(&format!("/api/v1/articles/{slug}/comments"), Some(token), &comment).await
}

/// The moderation queue, every page, as `token` sees it.
async fn whole_queue(app: &TestApp, token: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut path = "/api/v1/moderation/queue?limit=100".to_owned();
    loop {
        let page: Value = app.get_as(&path, token).await.json().await.unwrap();
        entries.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/moderation/queue?limit=100&cursor={cursor}"),
            None => return entries,
        }
    }
}

/// Approves what the demo newsroom leaves waiting (a reader's comment on
/// its pre-moderated story), so that the queue holds only a test's own
/// comments; how many there were.
async fn approve_demo_queue(app: &TestApp, token: &str) -> usize {
    let waiting = whole_queue(app, token).await;
    for entry in &waiting {
        let id = entry["comment"]["id"].as_str().unwrap();
        let approved = app.post(&format!("/api/v1/comments/{id}/approve"), Some(token), &json!({})).await;
        assert_eq!(approved.status(), 200);
    }
    waiting.len()
}

/// The queue's entry for comment `id`, if it is queued.
async fn queued(app: &TestApp, token: &str, id: &str) -> Option<Value> {
    whole_queue(app, token).await.into_iter().find(|e| e["comment"]["id"] == id)
}

async fn readers_comment_reply_edit_and_delete(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let reader = app.sign_in_as("reader").await;
    let other = app.sign_in_as("reader").await;
    let count = comment_count(&app, &slug).await;

    let posted = app
        .post(
            &format!("/api/v1/articles/{slug}/comments"),
            Some(&reader.access),
            &json!({"body": "  <b>First</b> thoughts.  "}),
        )
        .await;
    assert_eq!(posted.status(), 201);
    let location = posted.headers()["location"].to_str().unwrap().to_owned();
    let comment: Value = posted.json().await.unwrap();
    assert_eq!(comment["body"], "<b>First</b> thoughts.", "plain text, trimmed, kept as typed");
    assert_eq!(comment["author"]["id"], reader.id.as_str());
    assert_eq!(location, format!("/api/v1/comments/{}", comment["id"].as_str().unwrap()));
    assert_eq!(comment_count(&app, &slug).await, count + 1);
    let id = comment["id"].as_str().unwrap().to_owned();

    let reply = app
        .post(
            &format!("/api/v1/articles/{slug}/comments"),
            Some(&other.access),
            &json!({"body": "Agreed.", "parent_id": id}),
        )
        .await;
    assert_eq!(reply.status(), 201);
    let reply: Value = reply.json().await.unwrap();
    assert_eq!(reply["parent_id"], id.as_str());
    assert_eq!(app.get_json(&format!("/api/v1/comments/{id}")).await["reply_count"], 1);

    let foreign_edit = app
        .patch(&format!("/api/v1/comments/{id}"), Some(&other.access), None, &json!({"body": "Hijacked"}))
        .await;
    assert_problem(foreign_edit, 403, "FORBIDDEN").await;
    let edit = app
        .patch(
            &format!("/api/v1/comments/{id}"),
            Some(&reader.access),
            None,
            &json!({"body": "Second thoughts."}),
        )
        .await;
    assert_eq!(edit.status(), 200);
    let edited: Value = edit.json().await.unwrap();
    assert_eq!(edited["body"], "Second thoughts.");
    assert!(edited["edited_at"].is_string());

    assert_problem(
        app.delete(&format!("/api/v1/comments/{id}"), Some(&other.access)).await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.delete(&format!("/api/v1/comments/{id}"), Some(&reader.access)).await.status(), 204);
    let tombstone = app.get_json(&format!("/api/v1/comments/{id}")).await;
    assert_eq!(tombstone["status"], "deleted");
    assert!(tombstone["body"].is_null() && tombstone["author"].is_null());
    assert_eq!(tombstone["reply_count"], 1, "the reply keeps its place under the tombstone");
    assert_eq!(
        comment_count(&app, &slug).await,
        count + 1,
        "the reply is still visible; the tombstone is not counted"
    );
    assert_problem(
        app.delete(&format!("/api/v1/comments/{id}"), Some(&reader.access)).await,
        409,
        "CONFLICT",
    )
    .await;
    let edit_deleted = app
        .patch(&format!("/api/v1/comments/{id}"), Some(&reader.access), None, &json!({"body": "Back"}))
        .await;
    assert_problem(edit_deleted, 409, "CONFLICT").await;
    let reply_to_deleted = app
        .post(
            &format!("/api/v1/articles/{slug}/comments"),
            Some(&other.access),
            &json!({"body": "Hm.", "parent_id": id}),
        )
        .await;
    assert_problem(reply_to_deleted, 409, "CONFLICT").await;
}

async fn comment_rules(app: TestApp) {
    app.seed_demo();
    let reader = app.sign_in_as("reader").await;
    let published = demo_slugs("published");
    let draft = demo_slugs("draft")[0].clone();
    let on_draft = app
        .post(&format!("/api/v1/articles/{draft}/comments"), Some(&reader.access), &json!({"body": "Early"}))
        .await;
    assert_problem(on_draft, 404, "NOT_FOUND").await;
    let anonymous =
        app.post(&format!("/api/v1/articles/{}/comments", published[0]), None, &json!({"body": "Hi"})).await;
    assert_problem(anonymous, 401, "UNAUTHENTICATED").await;
    let empty = app
        .post(
            &format!("/api/v1/articles/{}/comments", published[0]),
            Some(&reader.access),
            &json!({"body": "   "}),
        )
        .await;
    assert_problem(empty, 400, "VALIDATION_FAILED").await;
    let long = app
        .post(
            &format!("/api/v1/articles/{}/comments", published[0]),
            Some(&reader.access),
            &json!({"body": "x".repeat(2001)}),
        )
        .await;
    assert_problem(long, 400, "VALIDATION_FAILED").await;

    // A parent on another article is refused.
    let elsewhere = app
        .post(
            &format!("/api/v1/articles/{}/comments", published[1]),
            Some(&reader.access),
            &json!({"body": "There"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let cross = app
        .post(
            &format!("/api/v1/articles/{}/comments", published[0]),
            Some(&reader.access),
            &json!({"body": "Here", "parent_id": elsewhere["id"]}),
        )
        .await;
    let problem = assert_problem(cross, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "parent_id");
}

async fn editors_hide_and_unhide(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let reader = app.sign_in_as("reader").await;
    let editor = app.sign_in_as("editor").await;
    let comment = app
        .post(
            &format!("/api/v1/articles/{slug}/comments"),
            Some(&reader.access),
            &json!({"body": "Spam spam spam"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = comment["id"].as_str().unwrap();
    let count = comment_count(&app, &slug).await;

    let hidden = app.post(&format!("/api/v1/comments/{id}/hide"), Some(&editor.access), &json!({})).await;
    assert_eq!(hidden.status(), 200);
    assert_eq!(hidden.json::<Value>().await.unwrap()["status"], "hidden");
    assert_eq!(comment_count(&app, &slug).await, count - 1);
    assert_problem(app.get(&format!("/api/v1/comments/{id}")).await, 404, "NOT_FOUND").await;
    let thread = app.get_json(&format!("/api/v1/articles/{slug}/comments?limit=100")).await;
    assert!(thread["data"].as_array().unwrap().iter().all(|c| c["id"] != id));
    let staff_thread = app
        .get_as(&format!("/api/v1/articles/{slug}/comments?limit=100"), &editor.access)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(staff_thread["data"].as_array().unwrap().iter().any(|c| c["id"] == id), "editors still see it");
    assert_problem(
        app.post(&format!("/api/v1/comments/{id}/hide"), Some(&editor.access), &json!({})).await,
        409,
        "CONFLICT",
    )
    .await;
    assert_problem(
        app.patch(&format!("/api/v1/comments/{id}"), Some(&reader.access), None, &json!({"body": "x"})).await,
        404,
        "NOT_FOUND",
    )
    .await;

    let back = app.post(&format!("/api/v1/comments/{id}/unhide"), Some(&editor.access), &json!({})).await;
    assert_eq!(back.status(), 200);
    assert_eq!(comment_count(&app, &slug).await, count);
}

async fn comment_count_stays_exact_under_concurrent_posting(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let before = comment_count(&app, &slug).await;
    let mut readers = Vec::new();
    for _ in 0..4 {
        readers.push(app.sign_in_as("reader").await);
    }
    let posts = (0..24).map(|n| {
        let reader = &readers[n % readers.len()];
        let path = format!("/api/v1/articles/{slug}/comments");
        let app = &app;
        async move {
            app.post(&path, Some(&reader.access), &json!({"body": format!("Comment {n}")})).await.status()
        }
    });
    let statuses = futures_util::future::join_all(posts).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(comment_count(&app, &slug).await, before + 24);
}

on_both_backends!(
    readers_comment_reply_edit_and_delete,
    comment_rules,
    editors_hide_and_unhide,
    comment_count_stays_exact_under_concurrent_posting,
);
