//! Shapes of reader comments: threads, replies, tombstones and moderation.

use serde_json::{Value, json};

use super::{ENERGY, Newsroom, created, exchange};
use crate::helpers::TestApp;
use crate::{assert_shape, on_both_backends};

async fn a_comment_thread(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let (reader, author, editor) =
        (&newsroom.reader.access, &newsroom.author.access, &newsroom.editor.access);
    let thread = format!("/api/v1/articles/{ENERGY}/comments");

    let first = app.post(&thread, Some(reader), &json!({"body": "Good to see it agreed."})).await;
    let first = exchange(first).await;
    let first_id = first["body"]["id"].as_str().unwrap().to_owned();
    assert_shape!("comments_create", "POST /api/v1/articles/{slug}/comments", first);

    let reply =
        app.post(&thread, Some(author), &json!({"body": "Thanks for reading.", "parent_id": first_id})).await;
    assert_shape!(
        "comments_create_reply",
        "POST /api/v1/articles/{slug}/comments with parent_id",
        exchange(reply).await
    );

    let second = created(app.post(&thread, Some(reader), &json!({"body": "On second thought…"})).await).await;
    let third = created(app.post(&thread, Some(editor), &json!({"body": "Corrected the date."})).await).await;
    let id = |comment: &Value| comment["id"].as_str().unwrap().to_owned();

    let one = app.get(&format!("/api/v1/comments/{first_id}")).await;
    assert_shape!("comments_get", "GET /api/v1/comments/{id}", exchange(one).await);

    let edited = app
        .patch(
            &format!("/api/v1/comments/{first_id}"),
            Some(reader),
            None,
            &json!({"body": "Good to see it agreed at last."}),
        )
        .await;
    assert_shape!("comments_edit", "PATCH /api/v1/comments/{id}", exchange(edited).await);

    let deleted = app.delete(&format!("/api/v1/comments/{}", id(&second)), Some(reader)).await;
    assert_shape!("comments_delete", "DELETE /api/v1/comments/{id}", exchange(deleted).await);

    let hidden = app.post(&format!("/api/v1/comments/{}/hide", id(&third)), Some(editor), &json!({})).await;
    assert_shape!("comments_hide", "POST /api/v1/comments/{id}/hide", exchange(hidden).await);
    let shown = app.post(&format!("/api/v1/comments/{}/unhide", id(&third)), Some(editor), &json!({})).await;
    assert_shape!("comments_unhide", "POST /api/v1/comments/{id}/unhide", exchange(shown).await);

    // Oldest first, two a page: the edited comment with its reply counted,
    // then the tombstone; the editor's comment is on the next page.
    let page = app.get(&format!("{thread}?limit=2")).await;
    assert_shape!("comments_list", "GET /api/v1/articles/{slug}/comments?limit=2", exchange(page).await);

    let replies = app.get(&format!("{thread}?parent={first_id}")).await;
    assert_shape!(
        "comments_list_replies",
        "GET /api/v1/articles/{slug}/comments?parent={id}",
        exchange(replies).await
    );
}

async fn a_moderation_round(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let (reader, editor) = (&newsroom.reader.access, &newsroom.editor.access);
    let article = format!("/api/v1/articles/{ENERGY}");
    let version = app.get_as(&article, editor).await.json::<Value>().await.unwrap()["version"].to_string();
    let set =
        app.patch(&article, Some(editor), Some(&version), &json!({"comments_mode": "premoderated"})).await;
    assert_eq!(set.status(), 200);
    let thread = format!("{article}/comments");

    let held = app.post(&thread, Some(reader), &json!({"body": "Worth a look."})).await;
    let held = exchange(held).await;
    let held_id = held["body"]["id"].as_str().unwrap().to_owned();
    assert_shape!("moderation_held", "POST /api/v1/articles/{slug}/comments (premoderated)", held);
    let by_editor = created(app.post(&thread, Some(editor), &json!({"body": "Editor's note."})).await).await;
    let reported = by_editor["id"].as_str().unwrap();
    let report = app
        .post(
            &format!("/api/v1/comments/{reported}/reports"),
            Some(reader),
            &json!({"reason": "off_topic", "note": "Not about the cap."}),
        )
        .await;
    assert_shape!("moderation_report", "POST /api/v1/comments/{id}/reports", exchange(report).await);

    let queue = app.get_as("/api/v1/moderation/queue?limit=1", editor).await;
    assert_shape!("moderation_queue", "GET /api/v1/moderation/queue?limit=1", exchange(queue).await);

    let approved = app.post(&format!("/api/v1/comments/{held_id}/approve"), Some(editor), &json!({})).await;
    assert_shape!("moderation_approve", "POST /api/v1/comments/{id}/approve", exchange(approved).await);
}

on_both_backends!(a_comment_thread, a_moderation_round);
