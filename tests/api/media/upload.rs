//! Uploads: each accepted format, each refusal (with nothing stored), what
//! is kept of a phone's photo, dedupe, and who may do what.

use serde_json::Value;

use super::{Part, gif, has_app1, jpeg, jpeg_with_exif, png, png_claiming, size_of, webp};
use crate::helpers::{Backend, TestApp, assert_problem};
use crate::on_both_backends;

async fn every_format_is_accepted_by_its_bytes(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("jpeg", jpeg(64, 48), "jpg"),
        ("png", png(64, 48), "png"),
        ("webp", webp(64, 48), "webp"),
        ("gif", gif(64, 48), "gif"),
    ];
    for (format, bytes, extension) in cases {
        // The declared name and type lie: only the bytes count.
        let part =
            Part { name: "file", filename: Some("notes.txt"), content_type: Some("text/plain"), bytes };
        let response = app.upload(Some(&author.access), &[part, Part::text("alt_text", "A test card")]).await;
        assert_eq!(response.status(), 201, "{format}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let item: Value = response.json().await.unwrap();
        assert_eq!(location, format!("/api/v1/media/{}", item["id"].as_str().unwrap()));
        assert_eq!(item["format"], format);
        assert_eq!((item["width"].as_u64(), item["height"].as_u64()), (Some(64), Some(48)), "{item}");
        assert_eq!(item["alt_text"], "A test card");
        assert_eq!(item["uploaded_by"], author.id);
        assert_eq!(item["focal_point"], serde_json::json!({"x": 0.5, "y": 0.5}));
        assert_eq!(item["sha256"].as_str().unwrap().len(), 64);
        let url = item["url"].as_str().unwrap();
        assert_eq!(url, format!("/media/{}/original.{extension}", item["sha256"].as_str().unwrap()));
        let master = app.get(url).await;
        assert_eq!(master.status(), 200);
        assert_eq!(master.headers()["content-type"], format!("image/{format}").as_str());
        let bytes = master.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, item["bytes"].as_u64().unwrap());
        assert_eq!(size_of(&bytes), (64, 48));
        let read = app.get_as(&location, &author.access).await.json::<Value>().await.unwrap();
        assert_eq!(read, item);
    }
    let page = app.get_as("/api/v1/media", &author.access).await.json::<Value>().await.unwrap();
    let formats: Vec<&str> =
        page["data"].as_array().unwrap().iter().map(|i| i["format"].as_str().unwrap()).collect();
    assert_eq!(formats, ["gif", "webp", "png", "jpeg"], "newest first");
}

async fn refusals_store_nothing(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let token = Some(author.access.as_str());
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    assert_problem(app.upload(token, &[Part::file(svg)]).await, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    assert_problem(
        app.upload(token, &[Part::file(b"just words".to_vec())]).await,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;
    let whole = jpeg(200, 150);
    let truncated = whole[..whole.len() / 2].to_vec();
    let body =
        assert_problem(app.upload(token, &[Part::file(truncated)]).await, 400, "VALIDATION_FAILED").await;
    assert_eq!(body["errors"][0]["field"], "file", "{body}");
    let png = png(40, 30);
    let truncated = png[..png.len() - 20].to_vec();
    assert_problem(app.upload(token, &[Part::file(truncated)]).await, 400, "VALIDATION_FAILED").await;
    let bomb = png_claiming(50_000, 50_000);
    assert!(bomb.len() < 100);
    let body = assert_problem(app.upload(token, &[Part::file(bomb)]).await, 400, "VALIDATION_FAILED").await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("pixels"), "{body}");
    let body =
        assert_problem(app.upload(token, &[Part::text("alt_text", "x")]).await, 400, "VALIDATION_FAILED")
            .await;
    assert_eq!(body["errors"][0]["field"], "file");
    let bad_focal = [Part::file(jpeg(20, 20)), Part::text("focal_x", "1.5"), Part::text("focal_y", "0.5")];
    let body = assert_problem(app.upload(token, &bad_focal).await, 400, "VALIDATION_FAILED").await;
    assert_eq!(body["errors"][0]["field"], "focal_x");
    let unknown = [Part::file(jpeg(20, 20)), Part::text("title", "x")];
    assert_problem(app.upload(token, &unknown).await, 400, "VALIDATION_FAILED").await;
    let json = app.post("/api/v1/media", token, &serde_json::json!({"file": "x"})).await;
    assert_problem(json, 415, "UNSUPPORTED_MEDIA_TYPE").await;

    let list = app.get_as("/api/v1/media", &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(list["data"], serde_json::json!([]));
    assert_eq!(app.stored_files(), Vec::<String>::new());
}

async fn readers_and_strangers_cannot_upload(app: TestApp) {
    let reader = app.sign_in_as("reader").await;
    assert_problem(app.upload(Some(&reader.access), &[Part::file(jpeg(20, 20))]).await, 403, "FORBIDDEN")
        .await;
    assert_problem(app.upload(None, &[Part::file(jpeg(20, 20))]).await, 401, "UNAUTHENTICATED").await;
    assert_problem(app.get_as("/api/v1/media", &reader.access).await, 403, "FORBIDDEN").await;
    assert_problem(app.get("/api/v1/media").await, 401, "UNAUTHENTICATED").await;
    assert_eq!(app.stored_files(), Vec::<String>::new());
}

async fn a_phones_photo_is_turned_upright_and_loses_its_metadata(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let photo = jpeg_with_exif(64, 32);
    assert!(has_app1(&photo) && photo.windows(4).any(|w| w == b"Exif"));
    let item = app.upload_ok(&author.access, photo, "A harbour").await;
    // Orientation 6: the stored image is turned a quarter, upright.
    assert_eq!((item["width"].as_u64(), item["height"].as_u64()), (Some(32), Some(64)), "{item}");
    let stored = app.get(item["url"].as_str().unwrap()).await.bytes().await.unwrap();
    assert!(!has_app1(&stored), "no EXIF or XMP segment is kept");
    assert!(!stored.windows(4).any(|w| w == b"Exif"));
    assert_eq!(size_of(&stored), (32, 64));
}

async fn an_identical_upload_finds_the_item_it_made(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let bytes = jpeg(80, 60);
    let first = app.upload(Some(&author.access), &[Part::file(bytes.clone())]).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let editor = app.sign_in_as("editor").await;
    let again = app.upload(Some(&editor.access), &[Part::file(bytes), Part::text("caption", "other")]).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, first, "the same item, unchanged");
    let list = app.get_as("/api/v1/media", &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
}

async fn oversized_files_are_refused_unread(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let big = jpeg(400, 400);
    assert!(big.len() > 2048);
    assert_problem(app.upload(Some(&author.access), &[Part::file(big)]).await, 413, "PAYLOAD_TOO_LARGE")
        .await;
    assert_eq!(app.stored_files(), Vec::<String>::new());
    // Just under the limit is fine.
    let small = jpeg(8, 8);
    assert!(small.len() < 2048);
    assert_eq!(app.upload(Some(&author.access), &[Part::file(small)]).await.status(), 201);
}

async fn the_library_is_searched_edited_and_paged(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let other = app.sign_in_as("author").await;
    let editor = app.sign_in_as("editor").await;
    let harbour = app.upload_ok(&author.access, jpeg(30, 20), "Boats in the harbour at dawn").await;
    let parts = [Part::file(jpeg(31, 20)), Part::text("credit", "Ana Lima / Reuters")];
    let reuters = app.upload(Some(&author.access), &parts).await.json::<Value>().await.unwrap();
    for n in 0..3 {
        app.upload_ok(&author.access, jpeg(32 + n, 20), "filler").await;
    }
    let found = app.get_as("/api/v1/media?q=REUTERS", &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    assert_eq!(found["data"][0]["id"], reuters["id"]);
    let found = app.get_as("/api/v1/media?q=harbour", &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(found["data"][0]["id"], harbour["id"]);
    let none = app.get_as("/api/v1/media?q=100%25", &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(none["data"], serde_json::json!([]), "% is matched literally");

    let first = app.get_as("/api/v1/media?limit=2", &author.access).await;
    assert!(first.headers().contains_key("link"));
    let first: Value = first.json().await.unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app.get_as(&format!("/api/v1/media?limit=2&cursor={cursor}"), &author.access).await;
    let second: Value = second.json().await.unwrap();
    let rest = app
        .get_as(
            &format!("/api/v1/media?limit=10&cursor={}", second["next_cursor"].as_str().unwrap()),
            &author.access,
        )
        .await;
    let rest: Value = rest.json().await.unwrap();
    let pages = [&first, &second, &rest].map(|p| p["data"].as_array().unwrap().len());
    assert_eq!(pages, [2, 2, 1]);
    assert_eq!(rest["next_cursor"], Value::Null);

    let path = format!("/api/v1/media/{}", harbour["id"].as_str().unwrap());
    let change =
        serde_json::json!({"caption": "Dawn", "credit": "Staff", "focal_point": {"x": 0.25, "y": 0.75}});
    let denied = app.patch(&path, Some(&other.access), None, &change).await;
    assert_problem(denied, 403, "FORBIDDEN").await;
    let changed = app.patch(&path, Some(&author.access), None, &change).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!((changed["caption"].as_str(), changed["credit"].as_str()), (Some("Dawn"), Some("Staff")));
    assert_eq!(changed["focal_point"], serde_json::json!({"x": 0.25, "y": 0.75}));
    assert_eq!(changed["alt_text"], harbour["alt_text"], "left out: kept");
    let cleared = app.patch(&path, Some(&editor.access), None, &serde_json::json!({"credit": null})).await;
    assert_eq!(cleared.json::<Value>().await.unwrap()["credit"], "");
    let bad = app
        .patch(&path, Some(&author.access), None, &serde_json::json!({"focal_point": {"x": 2, "y": 0}}))
        .await;
    assert_problem(bad, 400, "VALIDATION_FAILED").await;
    let missing = app.get_as("/api/v1/media/0192f0c4-8f7e-7c3a-9d6e-4a1b2c3d4e5f", &author.access).await;
    assert_problem(missing, 404, "NOT_FOUND").await;
    assert_problem(app.get_as("/api/v1/media/not-an-id", &author.access).await, 404, "NOT_FOUND").await;
}

on_both_backends!(
    every_format_is_accepted_by_its_bytes,
    refusals_store_nothing,
    readers_and_strangers_cannot_upload,
    a_phones_photo_is_turned_upright_and_loses_its_metadata,
    an_identical_upload_finds_the_item_it_made,
    the_library_is_searched_edited_and_paged,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_files_are_refused_unread_sqlite() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.media_max_bytes = 2048).await;
    oversized_files_are_refused_unread(app).await;
}
