//! The media library through GraphQL: uploads as GraphQL multipart
//! requests, `Image.url(width:, format:, crop:)`, the library's queries and
//! mutations, with the same rules as REST.

use serde_json::{Value, json};

use super::{BOUNDARY, Part, jpeg, multipart};
use crate::helpers::TestApp;
use crate::on_both_backends;

const UPLOAD: &str = "mutation ($file: Upload!, $input: MediaInput) { uploadMedia(file: $file, input: $input) \
    { id width height format altText credit focalPoint { x y } image { url(width: 700, format: JPEG, crop: WIDE) } } }";

/// A GraphQL multipart request (operations, map, the file as part `0`).
async fn upload(app: &TestApp, token: Option<&str>, file: Vec<u8>, input: Value) -> (u16, Value) {
    let operations = json!({"query": UPLOAD, "variables": {"file": null, "input": input}}).to_string();
    let parts = [
        Part::text("operations", &operations),
        Part::text("map", r#"{"0": ["variables.file"]}"#),
        Part { name: "0", filename: Some("photo.jpg"), content_type: Some("image/jpeg"), bytes: file },
    ];
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(&parts));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn uploads_and_the_library_work_through_graphql(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let input = json!({"altText": "Tram in the rain", "credit": "J. Otieno", "focalX": 0.2, "focalY": 0.4});
    let (status, body) = upload(&app, Some(&author.access), jpeg(1600, 1000), input).await;
    assert_eq!(status, 200, "{body}");
    let item = &body["data"]["uploadMedia"];
    assert_eq!((item["width"].as_u64(), item["height"].as_u64()), (Some(1600), Some(1000)), "{body}");
    assert_eq!(item["format"], "JPEG");
    assert_eq!(item["altText"], "Tram in the rain");
    assert_eq!(item["focalPoint"], json!({"x": 0.2, "y": 0.4}));
    let url = item["image"]["url"].as_str().unwrap();
    assert!(url.ends_with("/1024-16x9-f200-400.jpg"), "{url}");
    assert_eq!(app.get(url).await.status(), 200);
    let id = item["id"].as_str().unwrap().to_owned();

    let listed = app
        .gql_ok(
            Some(&author.access),
            r#"{ mediaItems(first: 5, search: "otieno") { edges { node { id credit } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(listed["mediaItems"]["edges"][0]["node"]["id"], id.as_str());
    let one = app
        .gql_ok(
            Some(&author.access),
            "query ($id: ID!) { media(id: $id) { sha256 renditions { width crop } } }",
            json!({"id": id}),
        )
        .await;
    // Whole: 320-1600; 16:9 (1600 × 900): 320-1600; 4:3 (1333 wide): 320-1024; 1:1 (1000): 320, 640; twice.
    assert_eq!(one["media"]["renditions"].as_array().unwrap().len(), 26, "{one}");

    let create = "mutation ($cover: ID!) { createArticle(input: {title: \"Trams\", category: \"europe\", coverMediaId: $cover}) \
        { id coverImage { mediaId altText width url(width: 300, format: WEBP) renditions { url } } } }";
    let created = app.gql_ok(Some(&author.access), create, json!({"cover": id})).await;
    let cover = &created["createArticle"]["coverImage"];
    assert_eq!(cover["mediaId"], id.as_str());
    assert!(cover["url"].as_str().unwrap().ends_with("/320.webp"), "{cover}");
    assert_eq!(cover["width"], 1600);

    let update = "mutation ($id: ID!) { updateMedia(id: $id, input: {altText: null, caption: \"Rush hour\"}) { altText caption } }";
    let updated = app.gql_ok(Some(&author.access), update, json!({"id": id})).await;
    assert_eq!(updated["updateMedia"], json!({"altText": "", "caption": "Rush hour"}));
    let article = created["createArticle"]["id"].as_str().unwrap();
    let editor = app.sign_in_as("editor").await;
    let (_, refused) = app
        .gql(
            Some(&editor.access),
            "mutation ($id: ID!) { publishArticle(id: $id) { status } }",
            json!({"id": article}),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "CONFLICT", "{refused}");
    assert_eq!(refused["errors"][0]["extensions"]["fields"][0]["field"], "coverImage.altText", "{refused}");

    let delete = "mutation ($id: ID!, $force: Boolean) { deleteMedia(id: $id, force: $force) }";
    let (_, in_use) = app.gql(Some(&author.access), delete, json!({"id": id})).await;
    assert_eq!(in_use["errors"][0]["extensions"]["code"], "CONFLICT", "{in_use}");
    let forced = app.gql_ok(Some(&editor.access), delete, json!({"id": id, "force": true})).await;
    assert_eq!(forced["deleteMedia"], true);
    let gone = app
        .gql_ok(Some(&author.access), "query ($id: ID!) { media(id: $id) { id } }", json!({"id": id}))
        .await;
    assert_eq!(gone["media"], Value::Null);
}

async fn graphql_uploads_are_refused_like_rest_ones(app: TestApp) {
    let reader = app.sign_in_as("reader").await;
    let (status, body) = upload(&app, None, jpeg(20, 20), json!({})).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let (status, body) = upload(&app, Some(&reader.access), jpeg(20, 20), json!({})).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let author = app.sign_in_as("author").await;
    let (_, body) = upload(&app, Some(&author.access), b"<svg/>".to_vec(), json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNSUPPORTED_MEDIA_TYPE", "{body}");
    let (_, body) = upload(&app, Some(&author.access), jpeg(20, 20), json!({"focalX": 3, "focalY": 0})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{body}");
    let list = app.gql_ok(Some(&author.access), "{ mediaItems { edges { node { id } } } }", json!({})).await;
    assert_eq!(list["mediaItems"]["edges"], json!([]));
    assert_eq!(app.stored_files(), Vec::<String>::new());
}

async fn forged_file_references_are_refused(app: TestApp) {
    let author = app.sign_in_as("author").await;
    let mutation = "mutation ($file: Upload!) { uploadMedia(file: $file) { id } }";
    for (token, file) in
        [(None, "#__graphql_file__:x"), (Some(author.access.as_str()), "#__graphql_file__:0")]
    {
        let (status, body) = app.gql(token, mutation, json!({"file": file})).await;
        assert!(status == 200 || status == 400, "{status}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST", "{body}");
    }
    let inline = "mutation { uploadMedia(file: \"#__graphql_file__:0\") { id } }";
    let (_, body) = app.gql(Some(&author.access), inline, json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST", "{body}");
    // A multipart request naming a file it does not carry.
    let operations = json!({"query": mutation, "variables": {"file": "#__graphql_file__:3"}}).to_string();
    let parts = [Part::text("operations", &operations), Part::text("map", "{}")];
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .bearer_auth(&author.access)
        .body(multipart(&parts))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST", "{body}");
    assert_eq!(app.get("/healthz").await.status(), 200, "the service is still up");
}

on_both_backends!(
    uploads_and_the_library_work_through_graphql,
    graphql_uploads_are_refused_like_rest_ones,
    forged_file_references_are_refused,
);

/// A file over the limit is a 413 through GraphQL too, as through REST.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_uploads_over_the_limit_are_413() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |s| s.media_max_bytes = 4096).await;
    let author = app.sign_in_as("author").await;
    // Read and refused by the multipart parser; refused from its length.
    for size in [jpeg(300, 300), jpeg(2000, 2000)] {
        assert!(size.len() > 4096);
        let (status, body) = upload(&app, Some(&author.access), size, json!({})).await;
        assert_eq!(status, 413, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
    }
}
