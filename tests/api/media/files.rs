//! The image files: renditions made on first request at the sizes listed,
//! immutable headers, 304s, focal-point crops, and nothing else served.

use serde_json::Value;

use super::{jpeg, rendition, size_of};
use crate::helpers::{Backend, TestApp, assert_problem};
use crate::on_both_backends;

async fn renditions_have_the_listed_sizes_and_immutable_headers(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let item = app.upload_ok(&author.access, jpeg(1200, 800), "Rooftops").await;
    let renditions = &item["renditions"];
    // Never upscaled: 320, 640 and 1024 of a 1200-wide image, in WebP and JPEG,
    // whole and in three crops.
    let widths: Vec<u64> = renditions
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["crop"].is_null() && r["format"] == "webp")
        .map(|r| r["width"].as_u64().unwrap())
        .collect();
    assert_eq!(widths, [320, 640, 1024]);
    // 16:9 and 4:3 crops are 1200 and 1066 wide, 1:1 only 800: 2 × (3 + 3 + 3 + 2).
    assert_eq!(renditions.as_array().unwrap().len(), 22);
    for r in renditions.as_array().unwrap() {
        let url = r["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("/media/{}/", item["sha256"].as_str().unwrap())), "{url}");
        let response = app.get(url).await;
        assert_eq!(response.status(), 200, "{url}");
        let headers = response.headers().clone();
        assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["content-type"], format!("image/{}", r["format"].as_str().unwrap()).as_str());
        assert!(headers.contains_key("etag"));
        assert!(!headers.contains_key("content-encoding"), "images are not compressed again");
        let bytes = response.bytes().await.unwrap();
        let expected = (r["width"].as_u64().unwrap() as u32, r["height"].as_u64().unwrap() as u32);
        assert_eq!(size_of(&bytes), expected, "{url}");
    }
    let wide = rendition(renditions, 640, "webp", Some("16:9"));
    assert_eq!(wide["height"], 360);
    let square = rendition(renditions, 640, "jpeg", Some("1:1"));
    assert_eq!(square["height"], 640);
    assert_eq!(rendition(renditions, 640, "jpeg", None)["height"], 427);
}

async fn a_repeated_request_is_a_304(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let item = app.upload_ok(&author.access, jpeg(1100, 700), "Bridge").await;
    let url = rendition(&item["renditions"], 1024, "webp", None)["url"].as_str().unwrap().to_owned();
    let cold = app.get(&url).await;
    assert_eq!(cold.status(), 200);
    let etag = cold.headers()["etag"].to_str().unwrap().to_owned();
    let warm = app.get(&url).await;
    assert_eq!(warm.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(warm.bytes().await.unwrap(), cold.bytes().await.unwrap(), "made once, kept");
    let again = app.client.get(app.url(&url)).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(again.headers()["cache-control"], "public, max-age=31536000, immutable");
    let stored = app.stored_files();
    assert!(stored.iter().any(|f| f.ends_with("/1024.webp")), "{stored:?}");
}

async fn crops_keep_the_focal_point_in_view(app: TestApp) {
    let author = app.sign_in_as("author").await;
    // Left half red, right half blue (see `picture`).
    let parts = [
        super::Part::file(jpeg(800, 400)),
        super::Part::text("focal_x", "0"),
        super::Part::text("focal_y", "0.5"),
    ];
    let left: Value = app.upload(Some(&author.access), &parts).await.json().await.unwrap();
    let square = rendition(&left["renditions"], 320, "jpeg", Some("1:1"))["url"].as_str().unwrap().to_owned();
    let bytes = app.get(&square).await.bytes().await.unwrap();
    let picture = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(picture.dimensions(), (320, 320));
    let centre = picture.get_pixel(160, 160);
    assert!(centre[0] > 150 && centre[2] < 100, "the left (red) half: {centre:?}");

    // Moving the point gives the crops new URLs; a file made under the old
    // one keeps its content, as its immutable name promised.
    let path = format!("/api/v1/media/{}", left["id"].as_str().unwrap());
    let moved = serde_json::json!({"focal_point": {"x": 1.0, "y": 0.5}});
    let right: Value = app.patch(&path, Some(&author.access), None, &moved).await.json().await.unwrap();
    let new_square =
        rendition(&right["renditions"], 320, "jpeg", Some("1:1"))["url"].as_str().unwrap().to_owned();
    assert_ne!(new_square, square);
    assert_eq!(app.get(&square).await.bytes().await.unwrap(), bytes);
    let never_made =
        rendition(&left["renditions"], 320, "webp", Some("1:1"))["url"].as_str().unwrap().to_owned();
    assert_problem(app.get(&never_made).await, 404, "NOT_FOUND").await;
    let bytes = app.get(&new_square).await.bytes().await.unwrap();
    let centre = *image::load_from_memory(&bytes).unwrap().to_rgb8().get_pixel(160, 160);
    assert!(centre[2] > 150 && centre[0] < 100, "the right (blue) half: {centre:?}");
}

async fn only_listed_files_are_served(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let item = app.upload_ok(&author.access, jpeg(500, 300), "Field").await;
    let sha = item["sha256"].as_str().unwrap();
    for file in [
        "640.webp",              // wider than the image
        "321.webp",              // not a rendition width
        "320.png",               // not one of its formats
        "original.png",          // not its master
        "320-16x9-f500-500.gif", // not one of its formats
        "320.jpeg",              // not a file name we give
        "500.jpg",               // its own width, when a fixed one fits
        "original.jpg.webp",
        "320.webp.jpg",
    ] {
        let response = app.get(&format!("/media/{sha}/{file}")).await;
        assert_eq!(response.status(), 404, "{file}");
    }
    let unknown = "0".repeat(64);
    assert_problem(app.get(&format!("/media/{unknown}/320.webp")).await, 404, "NOT_FOUND").await;
    assert_problem(app.get("/media/not-a-hash/320.webp").await, 404, "NOT_FOUND").await;
    assert_eq!(app.get(&format!("/media/{sha}/320.webp")).await.status(), 200);
    let icon = app.upload_ok(&author.access, jpeg(200, 100), "Icon").await;
    let icon_sha = icon["sha256"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/media/{icon_sha}/200.jpg")).await.status(),
        200,
        "narrower than 320: its own width"
    );
}

async fn renditions_too_tall_for_webp_come_in_the_images_own_format(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let strip = super::png(400, 30_000);
    let item = app.upload_ok(&author.access, strip, "A very long receipt").await;
    let whole: Vec<&Value> =
        item["renditions"].as_array().unwrap().iter().filter(|r| r["crop"].is_null()).collect();
    assert_eq!(whole.len(), 1, "{whole:?}");
    assert_eq!(whole[0]["format"], "png");
    let response = app.get(whole[0]["url"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(size_of(&response.bytes().await.unwrap()), (320, 24_000));
    let sha = item["sha256"].as_str().unwrap();
    assert_eq!(app.get(&format!("/media/{sha}/320.webp")).await.status(), 404, "not drawn, not a 500");
}

on_both_backends!(
    renditions_too_tall_for_webp_come_in_the_images_own_format,
    renditions_have_the_listed_sizes_and_immutable_headers,
    a_repeated_request_is_a_304,
    crops_keep_the_focal_point_in_view,
    only_listed_files_are_served,
);

/// Several instances share a media directory: what one stores, another serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_on_one_directory_share_media() {
    let first = TestApp::spawn(Backend::Sqlite).await;
    let second = TestApp::attach(&first).await;
    let author = first.sign_in_as("author").await;
    let item = first.upload_ok(&author.access, jpeg(700, 500), "Shared").await;
    let url = rendition(&item["renditions"], 640, "webp", None)["url"].as_str().unwrap().to_owned();
    assert_eq!(second.get(&url).await.status(), 200);
    assert_eq!(first.get(&url).await.status(), 200);
}
