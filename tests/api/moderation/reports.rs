//! Readers' reports, and the moderation queue editors work through.

use serde_json::{Value, json};

use super::{approve_demo_queue, comment_count, post_comment, queued, set_comments_mode, whole_queue};
use crate::fixtures::demo_slugs;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn report(app: &TestApp, token: Option<&str>, id: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/comments/{id}/reports"), token, &body).await
}

async fn reports_put_comments_in_the_queue(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (author, first, second, editor) = (
        app.sign_in_as("reader").await,
        app.sign_in_as("reader").await,
        app.sign_in_as("reader").await,
        app.sign_in_as("editor").await,
    );
    let comment: Value =
        post_comment(&app, &author.access, &slug, "Cheap pills here", None).await.json().await.unwrap();
    let id = comment["id"].as_str().unwrap().to_owned();
    assert!(queued(&app, &editor.access, &id).await.is_none(), "not reported yet");

    let filed = report(&app, Some(&first.access), &id, json!({"reason": "spam"})).await;
    assert_eq!(filed.status(), 201);
    let filed: Value = filed.json().await.unwrap();
    assert_eq!((filed["reason"].as_str(), filed["comment_id"].as_str()), (Some("spam"), Some(id.as_str())));
    assert!(filed["note"].is_null());
    let noted = report(
        &app,
        Some(&second.access),
        &id,
        json!({"reason": "abuse", "note": " Insults another reader. "}),
    )
    .await;
    assert_eq!(noted.json::<Value>().await.unwrap()["note"], "Insults another reader.");

    let twice = report(&app, Some(&first.access), &id, json!({"reason": "abuse"})).await;
    assert_problem(twice, 409, "CONFLICT").await;
    let unknown = report(&app, Some(&first.access), &id, json!({"reason": "boring"})).await;
    let problem = assert_problem(unknown, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "reason");
    let long =
        report(&app, Some(&editor.access), &id, json!({"reason": "other", "note": "x".repeat(501)})).await;
    assert_eq!(assert_problem(long, 400, "VALIDATION_FAILED").await["errors"][0]["field"], "note");
    assert_problem(report(&app, None, &id, json!({"reason": "spam"})).await, 401, "UNAUTHENTICATED").await;
    let nowhere = uuid::Uuid::now_v7();
    let missing = report(&app, Some(&first.access), &nowhere.to_string(), json!({"reason": "spam"})).await;
    assert_problem(missing, 404, "NOT_FOUND").await;

    let entry = queued(&app, &editor.access, &id).await.expect("reported comments are queued");
    assert_eq!(entry["reported"], true);
    assert_eq!(entry["held"], false);
    assert_eq!(entry["report_count"], 2);
    assert_eq!(entry["reasons"], json!(["spam", "abuse"]));
    assert_eq!(entry["comment"]["body"], "Cheap pills here");
    let article = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    assert_eq!(entry["article"], json!({"id": article["id"], "slug": slug, "title": article["title"]}));

    assert_problem(app.get_as("/api/v1/moderation/queue", &first.access).await, 403, "FORBIDDEN").await;
    assert_problem(app.get("/api/v1/moderation/queue").await, 401, "UNAUTHENTICATED").await;
}

async fn what_readers_cannot_see_cannot_be_reported(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (reader, other, editor) =
        (app.sign_in_as("reader").await, app.sign_in_as("reader").await, app.sign_in_as("editor").await);
    let post = |body: &'static str| {
        let (app, reader, slug) = (&app, &reader, &slug);
        async move {
            let posted: Value =
                post_comment(app, &reader.access, slug, body, None).await.json().await.unwrap();
            posted["id"].as_str().unwrap().to_owned()
        }
    };
    let hidden = post("To hide.").await;
    app.post(&format!("/api/v1/comments/{hidden}/hide"), Some(&editor.access), &json!({})).await;
    let deleted = post("To delete.").await;
    app.delete(&format!("/api/v1/comments/{deleted}"), Some(&reader.access)).await;
    set_comments_mode(&app, &editor.access, &slug, "premoderated").await;
    let held = post("Held.").await;
    for id in [&hidden, &deleted, &held] {
        let refused = report(&app, Some(&other.access), id, json!({"reason": "spam"})).await;
        assert_problem(refused, 404, "NOT_FOUND").await;
    }
}

async fn approving_dismisses_reports_and_hiding_upholds_them(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (reader, other, editor) =
        (app.sign_in_as("reader").await, app.sign_in_as("reader").await, app.sign_in_as("editor").await);
    let fine: Value =
        post_comment(&app, &reader.access, &slug, "A fair point.", None).await.json().await.unwrap();
    let rude: Value =
        post_comment(&app, &reader.access, &slug, "You fool.", None).await.json().await.unwrap();
    let (fine, rude) = (fine["id"].as_str().unwrap(), rude["id"].as_str().unwrap());
    for id in [fine, rude] {
        assert_eq!(report(&app, Some(&other.access), id, json!({"reason": "abuse"})).await.status(), 201);
    }
    let count = comment_count(&app, &slug).await;

    let approved =
        app.post(&format!("/api/v1/comments/{fine}/approve"), Some(&editor.access), &json!({})).await;
    assert_eq!(approved.status(), 200);
    assert_eq!(approved.json::<Value>().await.unwrap()["status"], "visible");
    assert!(queued(&app, &editor.access, fine).await.is_none(), "dismissed: out of the queue");
    assert_eq!(comment_count(&app, &slug).await, count, "it was counted all along");
    let again = app.post(&format!("/api/v1/comments/{fine}/approve"), Some(&editor.access), &json!({})).await;
    assert_problem(again, 409, "CONFLICT").await;
    let by_reader =
        app.post(&format!("/api/v1/comments/{rude}/approve"), Some(&other.access), &json!({})).await;
    assert_problem(by_reader, 403, "FORBIDDEN").await;

    assert!(queued(&app, &editor.access, rude).await.is_some());
    app.post(&format!("/api/v1/comments/{rude}/hide"), Some(&editor.access), &json!({})).await;
    assert!(queued(&app, &editor.access, rude).await.is_none(), "hidden: out of the queue");
    assert_eq!(comment_count(&app, &slug).await, count - 1);
    app.post(&format!("/api/v1/comments/{rude}/unhide"), Some(&editor.access), &json!({})).await;
    assert!(queued(&app, &editor.access, rude).await.is_none(), "its reports were settled by hiding it");
    let hidden_approve = {
        app.post(&format!("/api/v1/comments/{rude}/hide"), Some(&editor.access), &json!({})).await;
        app.post(&format!("/api/v1/comments/{rude}/approve"), Some(&editor.access), &json!({})).await
    };
    assert_eq!(assert_problem(hidden_approve, 409, "CONFLICT").await["current_status"], "hidden");
}

async fn the_queue_pages_oldest_first(app: TestApp) {
    app.seed_demo();
    let slugs = demo_slugs("published");
    let (reader, editor) = (app.sign_in_as("reader").await, app.sign_in_as("editor").await);
    assert_eq!(approve_demo_queue(&app, &editor.access).await, 1, "the demo leaves one comment waiting");
    set_comments_mode(&app, &editor.access, &slugs[0], "premoderated").await;
    set_comments_mode(&app, &editor.access, &slugs[1], "premoderated").await;
    let mut posted = Vec::new();
    for n in 0..5 {
        let slug = &slugs[n % 2];
        let comment: Value =
            post_comment(&app, &reader.access, slug, &format!("Held {n}"), None).await.json().await.unwrap();
        posted.push(comment["id"].as_str().unwrap().to_owned());
    }

    let first = app.get_as("/api/v1/moderation/queue?limit=2", &editor.access).await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(first.headers()["link"].to_str().unwrap().contains("rel=\"next\""));
    let page: Value = first.json().await.unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let unchanged = app
        .client
        .get(app.url("/api/v1/moderation/queue?limit=2"))
        .bearer_auth(&editor.access)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);

    let ids: Vec<String> = whole_queue(&app, &editor.access)
        .await
        .iter()
        .map(|e| e["comment"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, posted, "every held comment, once, oldest first");
    let mut walked = Vec::new();
    let mut path = "/api/v1/moderation/queue?limit=2".to_owned();
    loop {
        let page: Value = app.get_as(&path, &editor.access).await.json().await.unwrap();
        walked.extend(
            page["data"].as_array().unwrap().iter().map(|e| e["comment"]["id"].as_str().unwrap().to_owned()),
        );
        let Some(cursor) = page["next_cursor"].as_str() else { break };
        path = format!("/api/v1/moderation/queue?limit=2&cursor={cursor}");
    }
    assert_eq!(walked, posted, "pages of two add up to the whole queue");
    let bad = app.get_as("/api/v1/moderation/queue?cursor=nonsense", &editor.access).await;
    assert_eq!(assert_problem(bad, 400, "VALIDATION_FAILED").await["errors"][0]["field"], "cursor");
}

on_both_backends!(
    reports_put_comments_in_the_queue,
    what_readers_cannot_see_cannot_be_reported,
    approving_dismisses_reports_and_hiding_upholds_them,
    the_queue_pages_oldest_first,
);
