//! Images in articles: library covers (publishing needs their alt text),
//! external covers, responsive inline images, which articles use an image,
//! and deleting one in use.

use serde_json::{Value, json};

use super::jpeg;
use crate::editorial::act;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn article_with(app: &TestApp, token: &str, extra: Value) -> Value {
    let mut body = json!({"title": format!("Story {}", uuid::Uuid::new_v4().simple()), "category": "europe"});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    let response = app.post("/api/v1/articles", Some(token), &body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

async fn a_library_cover_shows_its_renditions_and_needs_alt_text_to_publish(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let bare = app.upload(Some(&editor.access), &[super::Part::file(jpeg(1600, 900))]).await;
    let bare: Value = bare.json().await.unwrap();
    let id = bare["id"].as_str().unwrap();
    let draft = article_with(&app, &editor.access, json!({"cover_media_id": id})).await;
    let cover = &draft["cover_image"];
    assert_eq!(cover["media_id"], bare["id"]);
    assert_eq!(cover["url"], bare["url"]);
    assert_eq!((cover["width"].as_u64(), cover["height"].as_u64()), (Some(1600), Some(900)));
    assert_eq!(cover["renditions"], bare["renditions"]);
    assert_eq!(cover["alt_text"], "");

    let article = draft["id"].as_str().unwrap();
    let refused = assert_problem(act(&app, &editor, article, "publish").await, 409, "CONFLICT").await;
    assert_eq!(refused["errors"][0]["field"], "cover_image.alt_text", "{refused}");
    assert_problem(act(&app, &editor, article, "schedule").await, 409, "CONFLICT").await;

    let path = format!("/api/v1/media/{id}");
    let alt = json!({"alt_text": "Wind turbines off the coast at dusk"});
    assert_eq!(app.patch(&path, Some(&editor.access), None, &alt).await.status(), 200);
    let published = act(&app, &editor, article, "publish").await;
    assert_eq!(published.status(), 200);
    let public = app.get_json(&format!("/api/v1/articles/{article}")).await;
    assert_eq!(
        public["cover_image"]["alt_text"], "Wind turbines off the coast at dusk",
        "edits reach the cover"
    );
    // Removing the alt text from a published cover is refused.
    let refused = app.patch(&path, Some(&editor.access), None, &json!({"alt_text": ""})).await;
    assert_eq!(assert_problem(refused, 409, "CONFLICT").await["errors"][0]["field"], "cover_image.alt_text");
    // A credit change reaches the (cached) public article at once.
    app.patch(&path, Some(&editor.access), None, &json!({"credit": "Port Authority"})).await;
    let public = app.get_json(&format!("/api/v1/articles/{article}")).await;
    assert_eq!(public["cover_image"]["credit"], "Port Authority");
    let list = app.get_json("/api/v1/articles?limit=100").await;
    let card = list["data"].as_array().unwrap().iter().find(|a| a["id"] == draft["id"]).unwrap().clone();
    assert_eq!(card["cover_image"]["media_id"], bare["id"]);
}

async fn external_covers_still_work_and_exclude_library_ones(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let external = json!({"cover_image": {"url": "https://images.example.org/a.jpg", "caption": "Agency"}});
    let article = article_with(&app, &author.access, external).await;
    assert_eq!(
        article["cover_image"],
        json!({"media_id": null, "url": "https://images.example.org/a.jpg", "alt_text": null, "caption": "Agency",
               "credit": null, "width": null, "height": null, "renditions": []})
    );
    let item = app.upload_ok(&author.access, jpeg(100, 100), "Square").await;
    let both = json!({"title": "Both", "category": "europe", "cover_media_id": item["id"],
                      "cover_image": {"url": "https://images.example.org/a.jpg"}});
    let body = assert_problem(
        app.post("/api/v1/articles", Some(&author.access), &both).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "cover_media_id");
    let unknown = json!({"title": "Nope", "category": "europe", "cover_media_id": "0192f0c4-8f7e-7c3a-9d6e-4a1b2c3d4e5f"});
    let body = assert_problem(
        app.post("/api/v1/articles", Some(&author.access), &unknown).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "cover_media_id");

    // Switching from external to library and back, and removing it.
    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());
    let version = |a: &Value| a["version"].to_string();
    let switched = app
        .patch(&path, Some(&author.access), Some(&version(&article)), &json!({"cover_media_id": item["id"]}))
        .await;
    let switched: Value = switched.json().await.unwrap();
    assert_eq!(switched["cover_image"]["media_id"], item["id"], "{switched}");
    let removed = app
        .patch(&path, Some(&author.access), Some(&version(&switched)), &json!({"cover_media_id": null}))
        .await;
    assert_eq!(removed.json::<Value>().await.unwrap()["cover_image"], Value::Null);
}

async fn inline_images_render_responsive(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let item = app.upload_ok(&author.access, jpeg(1200, 800), "A crowded market").await;
    let id = item["id"].as_str().unwrap();
    let body = format!("Before.\n\n![]({}{id})\n\nAfter.", "media:");
    let article = article_with(&app, &author.access, json!({"body": body})).await;
    let html = article["body_html"].as_str().unwrap();
    let sha = item["sha256"].as_str().unwrap();
    assert!(html.contains(&format!("src=\"/media/{sha}/1024.jpg\"")), "{html}");
    assert!(html.contains(&format!("/media/{sha}/320.webp 320w")), "{html}");
    assert!(html.contains("sizes=\"(max-width: 1024px) 100vw, 1024px\""), "{html}");
    assert!(html.contains("width=\"1024\" height=\"683\""), "{html}");
    assert!(html.contains("alt=\"A crowded market\""), "{html}");
    let bad = json!({"title": "Bad", "category": "europe", "body": "![x](media:0192f0c4-8f7e-7c3a-9d6e-4a1b2c3d4e5f)"});
    let refused = assert_problem(
        app.post("/api/v1/articles", Some(&author.access), &bad).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "body");

    let usage_path = format!("/api/v1/media/{id}/usage");
    let usage = app.get_as(&usage_path, &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(usage["data"].as_array().unwrap().len(), 1);
    assert_eq!(usage["data"][0]["id"], article["id"]);
    assert_eq!(usage["others"], 0);
    // Another author is not told of this author's draft, only that it exists.
    let other = app.sign_in_as("author").await;
    let usage = app.get_as(&usage_path, &other.access).await.json::<Value>().await.unwrap();
    assert_eq!((usage["data"].clone(), usage["others"].clone()), (json!([]), json!(1)));

    // The body follows the image: its new alt text, then its removal.
    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());
    let body_html = |a: Value| a["body_html"].as_str().unwrap().to_owned();
    let media = format!("/api/v1/media/{id}");
    let alt = json!({"alt_text": "A market at noon"});
    assert_eq!(app.patch(&media, Some(&author.access), None, &alt).await.status(), 200);
    let html = body_html(app.get_as(&path, &author.access).await.json().await.unwrap());
    assert!(html.contains("alt=\"A market at noon\""), "{html}");
    let editor = app.sign_in_as("editor").await;
    assert_eq!(app.delete(&format!("{media}?force=true"), Some(&editor.access)).await.status(), 204);
    let html = body_html(app.get_as(&path, &author.access).await.json().await.unwrap());
    assert!(!html.contains("<img") && html.contains("Before.") && html.contains("After."), "{html}");
}

async fn images_in_use_are_deleted_only_by_force(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let editor = app.sign_in_as("editor").await;
    let item = app.upload_ok(&author.access, jpeg(400, 300), "Lighthouse").await;
    let id = item["id"].as_str().unwrap();
    let cover = article_with(&app, &author.access, json!({"cover_media_id": id})).await;
    let inline = article_with(&app, &author.access, json!({"body": format!("![](media:{id})")})).await;
    let path = format!("/api/v1/media/{id}");
    let refused = assert_problem(app.delete(&path, Some(&author.access)).await, 409, "CONFLICT").await;
    let detail = refused["detail"].as_str().unwrap();
    for article in [&cover, &inline] {
        assert!(detail.contains(article["slug"].as_str().unwrap()), "{detail}");
    }
    assert_problem(app.delete(&format!("{path}?force=true"), Some(&author.access)).await, 403, "FORBIDDEN")
        .await;
    let stranger = app.sign_in_as("author").await;
    let unused = app.upload_ok(&author.access, jpeg(401, 300), "Unused").await;
    let unused_path = format!("/api/v1/media/{}", unused["id"].as_str().unwrap());
    assert_problem(app.delete(&unused_path, Some(&stranger.access)).await, 403, "FORBIDDEN").await;
    assert_eq!(app.delete(&unused_path, Some(&author.access)).await.status(), 204);

    let files_before = app.stored_files();
    assert!(files_before.iter().any(|f| f.starts_with(item["sha256"].as_str().unwrap())));
    assert_eq!(app.delete(&format!("{path}?force=true"), Some(&editor.access)).await.status(), 204);
    assert_problem(app.get_as(&path, &author.access).await, 404, "NOT_FOUND").await;
    assert!(
        !app.stored_files().iter().any(|f| f.starts_with(item["sha256"].as_str().unwrap())),
        "its files went too"
    );
    assert_problem(app.get(item["url"].as_str().unwrap()).await, 404, "NOT_FOUND").await;
    let after =
        app.get_as(&format!("/api/v1/articles/{}", cover["id"].as_str().unwrap()), &author.access).await;
    assert_eq!(
        after.json::<Value>().await.unwrap()["cover_image"],
        Value::Null,
        "the article lost its cover"
    );
}

async fn authors_cannot_restyle_articles_they_may_not_edit(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let editor = app.sign_in_as("editor").await;
    let item = app.upload_ok(&author.access, jpeg(640, 480), "Harbour cranes").await;
    let article = article_with(&app, &editor.access, json!({"cover_media_id": item["id"]})).await;
    assert_eq!(act(&app, &editor, article["id"].as_str().unwrap(), "publish").await.status(), 200);
    let path = format!("/api/v1/media/{}", item["id"].as_str().unwrap());
    let change = json!({"caption": "Not what the desk wrote"});
    assert_problem(app.patch(&path, Some(&author.access), None, &change).await, 403, "FORBIDDEN").await;
    assert_eq!(app.patch(&path, Some(&editor.access), None, &change).await.status(), 200);
}

on_both_backends!(
    authors_cannot_restyle_articles_they_may_not_edit,
    a_library_cover_shows_its_renditions_and_needs_alt_text_to_publish,
    external_covers_still_work_and_exclude_library_ones,
    inline_images_render_responsive,
    images_in_use_are_deleted_only_by_force,
);
