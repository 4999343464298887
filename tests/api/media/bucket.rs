//! The media library on an S3-compatible bucket (moto, started per test):
//! files go to the bucket under the configured prefix, a second instance
//! serves what the first stored, and deleting an item empties its keys.

use serde_json::Value;

use super::{jpeg, rendition};
use crate::helpers::{Backend, TestApp};
use crate::s3::S3Server;

fn on_bucket(server: &S3Server) -> impl FnOnce(&mut newsdesk::config::Settings) + use<> {
    let url = format!("s3://{}/newsdesk", server.bucket);
    let options: Vec<(String, String)> =
        server.settings().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    move |settings| {
        settings.media_dir = None;
        settings.media_s3_url = Some(url);
        settings.media_s3_options = options;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(newsdesk_s3_tests),
    ignore = "set NEWSDESK_TEST_MOTO_SERVER (.ci/s3/install prints it) to run the S3 tests"
)]
async fn instances_share_media_through_a_bucket() {
    let server = S3Server::start().await;
    let first = TestApp::spawn_with(Backend::Sqlite, on_bucket(&server)).await;
    let second = TestApp::attach_with(&first, on_bucket(&server)).await;
    let author = first.sign_in_as("author").await;
    let item = first.upload_ok(&author.access, jpeg(900, 600), "Cranes at the port").await;
    let sha = item["sha256"].as_str().unwrap().to_owned();
    assert_eq!(server.keys().await, [format!("newsdesk/{sha}/original.jpg")]);

    let url = rendition(&item["renditions"], 640, "webp", None)["url"].as_str().unwrap().to_owned();
    let drawn = second.get(&url).await;
    assert_eq!(drawn.status(), 200, "the other instance draws it from the shared master");
    let drawn = drawn.bytes().await.unwrap();
    assert_eq!(super::size_of(&drawn), (640, 427));
    assert_eq!(
        server.keys().await,
        [format!("newsdesk/{sha}/640.webp"), format!("newsdesk/{sha}/original.jpg")]
    );
    assert_eq!(first.get(&url).await.bytes().await.unwrap(), drawn, "kept, not drawn again");

    let id = item["id"].as_str().unwrap();
    let deleted = second.delete(&format!("/api/v1/media/{id}"), Some(&author.access)).await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(server.keys().await, Vec::<String>::new());
    assert_eq!(first.get(&url).await.status(), 404);
    let listed: Value = first.get_as("/api/v1/media", &author.access).await.json().await.unwrap();
    assert_eq!(listed["data"], serde_json::json!([]));
}
