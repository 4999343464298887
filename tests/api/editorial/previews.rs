//! Preview links: a draft's current text for whoever holds the token, in
//! both APIs, never cached, ended by revocation or expiry.

use serde_json::{Value, json};

use super::{act, draft};
use crate::fixtures::expire_previews;
use crate::helpers::{Session, TestApp, assert_problem};
use crate::on_both_backends;

/// A new preview link to article `id` (or slug), made by `who`.
pub async fn share(app: &TestApp, who: &Session, id: &str) -> Value {
    let response = app.post(&format!("/api/v1/articles/{id}/previews"), Some(&who.access), &json!({})).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["cache-control"], "private, no-store", "the token is a credential");
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 43, "256 random bits, base64url");
    if uuid::Uuid::parse_str(id).is_ok() {
        assert_eq!(body["article_id"], id);
    }
    body
}

/// Reads a preview anonymously, checking it is marked private and unlisted.
async fn read(app: &TestApp, token: &str) -> reqwest::Response {
    let response = app.get(&format!("/api/v1/previews/{token}")).await;
    if response.status() == 200 {
        let headers = response.headers();
        assert_eq!(headers["cache-control"], "private, no-store");
        assert_eq!(headers["x-robots-tag"], "noindex");
        assert!(headers.get("etag").is_none(), "nothing to revalidate: it is never stored");
        assert!(headers.get("surrogate-key").is_none(), "no CDN keeps it");
    }
    response
}

async fn a_preview_opens_a_draft_as_it_is_now(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let reader = app.sign_in_as("reader").await;
    let article = draft(&app, &author, "Ferry strike talks resume").await;
    let id = article["id"].as_str().unwrap();
    let link = share(&app, &author, id).await;
    let token = link["token"].as_str().unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(link["expires_at"].as_str().unwrap()).unwrap();
    let hours = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!((47 * 60..=48 * 60).contains(&hours), "48 hours by default: {hours} minutes");

    let first = read(&app, token).await;
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["title"], "Ferry strike talks resume");
    assert_eq!(first["status"], "draft");
    assert!(first["body_html"].as_str().unwrap().contains("<strong>bold</strong>"));

    // The text as it is now, edit after edit: nothing kept the first answer.
    let edited = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&author.access),
            Some("\"1\""),
            &json!({"title": "Ferry talks collapse"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    assert_eq!(read(&app, token).await.json::<Value>().await.unwrap()["title"], "Ferry talks collapse");
    // A signed-in reader holding the link reads it too; the article itself stays hidden.
    let as_reader = app
        .client
        .get(app.url(&format!("/api/v1/previews/{token}")))
        .bearer_auth(&reader.access)
        .send()
        .await
        .unwrap();
    assert_eq!(as_reader.status(), 200);
    assert_problem(app.get(&format!("/api/v1/articles/{id}")).await, 404, "NOT_FOUND").await;
    assert_problem(app.get_as(&format!("/api/v1/articles/{id}"), &reader.access).await, 404, "NOT_FOUND")
        .await;
    // Listed nowhere public.
    let feed = app.get_json("/api/v1/articles?limit=100").await;
    assert!(feed["data"].as_array().unwrap().iter().all(|a| a["id"] != id));

    // Unknown tokens, however spelt, open nothing.
    for token in ["nope", "A".repeat(43).as_str(), "%00", "..%2F..%2Fetc"] {
        assert_problem(app.get(&format!("/api/v1/previews/{token}")).await, 404, "NOT_FOUND").await;
    }
}

async fn revoked_and_expired_links_open_nothing(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let other = app.sign_in_as("author").await;
    let reader = app.sign_in_as("reader").await;
    let editor = app.sign_in_as("editor").await;
    let article = draft(&app, &author, "Council budget leaks early").await;
    let id = article["id"].as_str().unwrap();
    let revoked = share(&app, &author, id).await["token"].as_str().unwrap().to_owned();
    let kept = share(&app, &author, id).await["token"].as_str().unwrap().to_owned();
    assert_ne!(revoked, kept);
    // Read once before the revocation: a cache that kept it would answer again.
    assert_eq!(read(&app, &revoked).await.status(), 200);

    let path = format!("/api/v1/previews/{revoked}");
    // Who asks is decided before the token is looked up: a caller who may
    // revoke nothing cannot probe which tokens are live.
    for token in [revoked.as_str(), "not-a-token"] {
        let path = format!("/api/v1/previews/{token}");
        assert_problem(app.delete(&path, None).await, 401, "UNAUTHENTICATED").await;
        assert_problem(app.delete(&path, Some(&reader.access)).await, 403, "FORBIDDEN").await;
    }
    assert_problem(app.delete(&path, Some(&reader.access)).await, 403, "FORBIDDEN").await;
    // An author with no part in a draft is not told it exists.
    assert_problem(app.delete(&path, Some(&other.access)).await, 404, "NOT_FOUND").await;
    assert_eq!(app.delete(&path, Some(&author.access)).await.status(), 204);
    assert_problem(read(&app, &revoked).await, 404, "NOT_FOUND").await;
    assert_problem(app.delete(&path, Some(&author.access)).await, 404, "NOT_FOUND").await;
    // Revoking one link leaves the others.
    assert_eq!(read(&app, &kept).await.status(), 200);

    // Expiry ends every link at its time, revocable no more.
    expire_previews(app.services.db(), id, 1);
    assert_problem(read(&app, &kept).await, 404, "NOT_FOUND").await;
    assert_problem(
        app.delete(&format!("/api/v1/previews/{kept}"), Some(&editor.access)).await,
        404,
        "NOT_FOUND",
    )
    .await;

    // Deleting the article ends its links with it.
    let again = share(&app, &editor, id).await["token"].as_str().unwrap().to_owned();
    assert_eq!(app.delete(&format!("/api/v1/articles/{id}"), Some(&editor.access)).await.status(), 204);
    assert_problem(read(&app, &again).await, 404, "NOT_FOUND").await;
}

async fn who_may_share_a_preview(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let other = app.sign_in_as("author").await;
    let reader = app.sign_in_as("reader").await;
    let editor = app.sign_in_as("editor").await;
    let article = draft(&app, &author, "Tram line opening delayed").await;
    let id = article["id"].as_str().unwrap();
    let path = format!("/api/v1/articles/{id}/previews");
    assert_problem(app.post(&path, None, &json!({})).await, 401, "UNAUTHENTICATED").await;
    assert_problem(app.post(&path, Some(&reader.access), &json!({})).await, 403, "FORBIDDEN").await;
    assert_problem(app.post(&path, Some(&other.access), &json!({})).await, 404, "NOT_FOUND").await;
    let missing = format!("/api/v1/articles/{}/previews", uuid::Uuid::now_v7());
    assert_problem(app.post(&missing, Some(&editor.access), &json!({})).await, 404, "NOT_FOUND").await;
    // In review, scheduled, and by slug: editors share any story.
    assert_eq!(act(&app, &author, id, "submit").await.status(), 200);
    assert_eq!(act(&app, &editor, id, "schedule").await.status(), 200);
    let slug = article["slug"].as_str().unwrap();
    let link = share(&app, &editor, slug).await;
    let scheduled: Value = read(&app, link["token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(scheduled["status"], "scheduled");
}

async fn previews_through_graphql(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let reader = app.sign_in_as("reader").await;
    let article = draft(&app, &author, "Airport night flights ruling").await;
    let id = article["id"].as_str().unwrap();
    let created = app
        .gql_ok(
            Some(&author.access),
            "mutation($id: ID!) { createPreview(articleId: $id) { token articleId expiresAt } }",
            json!({"id": id}),
        )
        .await;
    let token = created["createPreview"]["token"].as_str().unwrap().to_owned();
    assert_eq!(created["createPreview"]["articleId"], id);
    assert!(created["createPreview"]["expiresAt"].as_str().unwrap().ends_with('Z'));

    let query = "query($t: String!) { preview(token: $t) { id title status body } }";
    // Anonymous, over POST (what the response cache keeps) and GET.
    for _ in 0..2 {
        let response = app
            .client
            .post(app.url("/graphql"))
            .json(&json!({"query": query, "variables": {"t": token}}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["cache-control"], "private, no-store");
        assert_eq!(response.headers()["x-robots-tag"], "noindex");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["data"]["preview"]["title"], "Airport night flights ruling", "{body}");
        assert_eq!(body["data"]["preview"]["status"], "DRAFT");
    }
    let variables = json!({"t": token}).to_string();
    let address =
        reqwest::Url::parse_with_params(&app.url("/graphql"), [("query", query), ("variables", &variables)])
            .unwrap();
    let get = app.client.get(address).send().await.unwrap();
    assert_eq!(get.headers()["cache-control"], "private, no-store");
    assert!(get.headers().get("etag").is_none());
    assert_eq!(get.json::<Value>().await.unwrap()["data"]["preview"]["id"], id);

    // Readers cannot make links; only the story's people revoke them.
    let (_, refused) = app
        .gql(
            Some(&reader.access),
            "mutation($id: ID!) { createPreview(articleId: $id) { token } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
    let revoke = "mutation($t: String!) { revokePreview(token: $t) }";
    let (_, refused) = app.gql(Some(&reader.access), revoke, json!({"t": token})).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
    assert_eq!(app.gql_ok(Some(&author.access), revoke, json!({"t": token})).await["revokePreview"], true);

    // The very request answered before is now null: no cache kept it.
    let after = app.gql_ok(None, query, json!({"t": token})).await;
    assert_eq!(after["preview"], Value::Null);
    let (_, again) = app.gql(Some(&author.access), revoke, json!({"t": token})).await;
    assert_eq!(again["errors"][0]["extensions"]["code"], "NOT_FOUND", "{again}");
}

on_both_backends!(
    a_preview_opens_a_draft_as_it_is_now,
    revoked_and_expired_links_open_nothing,
    who_may_share_a_preview,
    previews_through_graphql,
);
