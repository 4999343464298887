//! Shapes of `/articles`: the feed, one article, writing, the editorial
//! lifecycle and revisions.

use serde_json::json;

use super::{ENERGY, Newsroom, exchange};
use crate::helpers::TestApp;
use crate::{assert_shape, on_both_backends};

async fn reading(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;

    // Newest first, two a page: the probe and the night trains, then a `Link`.
    let feed = app.get("/api/v1/articles?limit=2").await;
    let etag = feed.headers()["etag"].to_str().unwrap().to_owned();
    assert_shape!("articles_list", "GET /api/v1/articles?limit=2", exchange(feed).await);

    let again = app
        .client
        .get(app.url("/api/v1/articles?limit=2"))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_shape!(
        "articles_list_not_modified",
        "GET /api/v1/articles?limit=2 with If-None-Match",
        exchange(again).await
    );

    let one = app.get(&format!("/api/v1/articles/{ENERGY}")).await;
    assert_shape!("articles_get", "GET /api/v1/articles/{slug}", exchange(one).await);

    // Signed in, the same article is private to the cache.
    let own =
        app.get_as(&format!("/api/v1/articles/{}", newsroom.articles[0]), &newsroom.author.access).await;
    assert_shape!(
        "articles_get_signed_in",
        "GET /api/v1/articles/{id} with a bearer token",
        exchange(own).await
    );
}

async fn writing_through_the_lifecycle(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let (author, editor) = (&newsroom.author.access, &newsroom.editor.access);

    let draft = app
        .post(
            "/api/v1/articles",
            Some(author),
            &json!({"title": "Harbour tolls to rise in spring", "summary": "A standfirst.",
                    "body": "First paragraph.\n\nSecond **bold** one.", "category": "europe", "tags": ["energy"]}),
        )
        .await;
    let draft = exchange(draft).await;
    let id = draft["body"]["id"].as_str().unwrap().to_owned();
    assert_shape!("articles_create", "POST /api/v1/articles", draft);
    let path = format!("/api/v1/articles/{id}");

    let edited = app
        .patch(
            &path,
            Some(author),
            Some("\"1\""),
            &json!({"title": "Harbour tolls to rise in April", "tags": ["energy", "transport"]}),
        )
        .await;
    assert_shape!("articles_update", "PATCH /api/v1/articles/{id} with If-Match", exchange(edited).await);

    let step = |action: &'static str, who: &str| {
        let (app, path, who) = (&app, path.clone(), who.to_owned());
        async move {
            // A day ahead: far enough that the scheduler leaves it alone.
            let body = if action == "schedule" {
                json!({"at": (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339()})
            } else {
                json!({})
            };
            exchange(app.post(&format!("{path}/{action}"), Some(&who), &body).await).await
        }
    };
    assert_shape!("articles_submit", "POST /api/v1/articles/{id}/submit", step("submit", author).await);
    assert_shape!("articles_schedule", "POST /api/v1/articles/{id}/schedule", step("schedule", editor).await);
    assert_shape!("articles_publish", "POST /api/v1/articles/{id}/publish", step("publish", editor).await);

    let revisions = app.get_as(&format!("{path}/revisions"), author).await;
    assert_shape!("articles_revisions", "GET /api/v1/articles/{id}/revisions", exchange(revisions).await);

    assert_shape!("articles_archive", "POST /api/v1/articles/{id}/archive", step("archive", editor).await);
    assert_shape!(
        "articles_unpublish",
        "POST /api/v1/articles/{id}/unpublish",
        step("unpublish", editor).await
    );

    let deleted = app.delete(&path, Some(editor)).await;
    assert_shape!("articles_delete", "DELETE /api/v1/articles/{id}", exchange(deleted).await);
}

on_both_backends!(reading, writing_through_the_lifecycle);
