//! HTTP behaviour shared by every route: caching, errors, operations.

use crate::helpers::{Backend, TestApp, assert_problem, metric};
use crate::on_both_backends;

async fn reads_carry_etags_and_answer_304(app: TestApp) {
    app.seed_demo();
    for path in ["/api/v1/articles", "/api/v1/categories", "/api/v1/tags", "/api/v1/articles?category=world"]
    {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200);
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with("W/\""), "{etag}");
        assert_eq!(
            first.headers()["cache-control"],
            "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400"
        );
        let again = app.client.get(app.url(path)).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.text().await.unwrap().is_empty());
        let other =
            app.client.get(app.url(path)).header("If-None-Match", "W/\"stale\"").send().await.unwrap();
        assert_eq!(other.status(), 200);
    }
}

async fn etags_change_with_the_content(app: TestApp) {
    app.seed_demo();
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let path = format!("/api/v1/articles/{slug}");
    let etag = app.get(&path).await.headers()["etag"].to_str().unwrap().to_owned();
    crate::fixtures::publish_in_future(app.services.db(), &slug, -60);
    let after = app.client.get(app.url(&path)).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(after.status(), 200, "a changed article is sent again");
    assert_ne!(after.headers()["etag"].to_str().unwrap(), etag);
}

async fn signed_requests_are_private(app: TestApp) {
    app.seed_demo();
    let anonymous = app.get("/api/v1/articles").await;
    assert!(anonymous.headers()["vary"].to_str().unwrap().contains("Authorization"));
    // A shared cache must not keep a response to a request that carried credentials.
    let response = app
        .client
        .get(app.url("/api/v1/categories"))
        .header("Authorization", "Bearer x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "private, no-cache");
}

async fn errors_are_problem_json(app: TestApp) {
    let missing = app.get("/api/v1/no-such-route").await;
    assert_problem(missing, 404, "NOT_FOUND").await;
    let problem = assert_problem(app.get("/api/v1/articles?limit=0").await, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["type"], "about:blank");
    assert_eq!(problem["title"], "Bad Request");
    assert!(problem["detail"].as_str().unwrap().contains("limit"));

    // A body that is not an object is never read into fields by position.
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let tag = crate::fixtures::demo()["tags"][0]["slug"].as_str().unwrap().to_owned();
    for body in [serde_json::json!(["Renamed", null]), serde_json::json!("Renamed"), serde_json::json!(7)] {
        let patched = app.patch(&format!("/api/v1/tags/{tag}"), Some(&editor.access), None, &body).await;
        assert_problem(patched, 400, "VALIDATION_FAILED").await;
    }
    let graphql = app.post("/graphql", None, &serde_json::json!(["{ __typename }"])).await;
    assert_eq!(graphql.status(), 400);
}

async fn every_response_has_a_request_id(app: TestApp) {
    let ok = app.get("/healthz").await;
    let first = ok.headers()["x-request-id"].to_str().unwrap().to_owned();
    let missing = app.get("/nope").await;
    let second = missing.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&first).is_ok() && uuid::Uuid::parse_str(&second).is_ok());
    assert_ne!(first, second, "one id per request");
}

async fn health_and_readiness(app: TestApp) {
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.headers()["cache-control"], "no-store");
    let ready = app.get_json("/readyz").await;
    assert_eq!(ready["status"], "ready");
}

async fn responses_are_compressed_on_request(app: TestApp) {
    app.seed_demo();
    let response = app
        .client
        .get(app.url("/api/v1/articles?limit=50"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

async fn cors_is_off_unless_configured(app: TestApp) {
    let response = app
        .client
        .get(app.url("/api/v1/categories"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("access-control-allow-origin").is_none());
}

async fn openapi_and_docs_are_served(app: TestApp) {
    let served = app.get("/openapi.json").await;
    assert_eq!(served.status(), 200);
    let served = served.text().await.unwrap();
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap();
    assert_eq!(served, checked_in, "the served document is the checked-in contract");

    let docs = app.get("/docs/").await;
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("cdn.") && !html.contains("unpkg"), "assets are served locally");
    let initializer = app.get("/docs/swagger-initializer.js").await.text().await.unwrap();
    assert!(initializer.contains("/openapi.json"), "{initializer}");
    // Never validator.swagger.io: offline it fails, and it would learn the API's address.
    assert!(initializer.contains("\"validatorUrl\": \"none\""), "{initializer}");
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    let redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let bare = redirect.get(app.url("/docs")).send().await.unwrap();
    assert!(bare.status().is_redirection());
}

/// Every answer tells a browser not to sniff, frame or refer onwards; data
/// and errors may load nothing, the two pages only this host's own files.
async fn security_headers_on_every_answer(app: TestApp) {
    let html = |path: &'static str| app.client.get(app.url(path)).header("Accept", "text/html").send();
    for response in [
        app.get("/api/v1/articles").await,
        app.get("/api/v1/nope").await,
        app.get("/healthz").await,
        app.post(
            "/graphql",
            None,
            &serde_json::json!({"query": "{ articles(first: 1) { edges { cursor } } }"}),
        )
        .await,
    ] {
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    }
    for response in [html("/docs/").await.unwrap(), html("/graphql").await.unwrap()] {
        let headers = response.headers();
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.starts_with("default-src 'self'; script-src 'self';"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let page = response.text().await.unwrap();
        assert!(!page.contains("<script>"), "no inline script, which the policy would block: {page}");
    }
}

async fn metrics_count_requests_and_queries(app: TestApp) {
    app.seed_demo();
    let before = app.get("/metrics").await.text().await.unwrap();
    assert!(before.contains("# TYPE newsdesk_db_queries_total counter"));
    for _ in 0..3 {
        app.get_json("/api/v1/articles").await;
    }
    app.get("/api/v1/nope").await;
    let after = app.get("/metrics").await.text().await.unwrap();
    let requests = |t: &str| metric(t, "newsdesk_http_requests_total{status=\"2xx\"}");
    assert_eq!(requests(&after) - requests(&before), 4, "three lists and one /metrics");
    assert!(metric(&after, "newsdesk_http_requests_total{status=\"4xx\"}") >= 1);
    let queries = metric(&after, "newsdesk_db_queries_total") - metric(&before, "newsdesk_db_queries_total");
    assert_eq!(queries, 1, "a feed page is one statement; repeats come from the cache");
}

on_both_backends!(
    metrics_count_requests_and_queries,
    reads_carry_etags_and_answer_304,
    etags_change_with_the_content,
    signed_requests_are_private,
    errors_are_problem_json,
    every_response_has_a_request_id,
    health_and_readiness,
    responses_are_compressed_on_request,
    cors_is_off_unless_configured,
    openapi_and_docs_are_served,
    security_headers_on_every_answer,
);

/// With `--metrics-token`, `/metrics` answers only to that bearer token.
async fn metrics_can_require_a_token(backend: Backend) {
    let app =
        TestApp::spawn_with(backend, |settings| settings.metrics_token = Some("scrape-me-please".into()))
            .await;
    let anonymous = app.get("/metrics").await;
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_problem(anonymous, 401, "UNAUTHENTICATED").await;
    assert_problem(app.get_as("/metrics", "scrape-me-pleas").await, 401, "UNAUTHENTICATED").await;
    let reader = app.sign_in_as("admin").await;
    assert_problem(app.get_as("/metrics", &reader.access).await, 401, "UNAUTHENTICATED").await;
    let scraped = app.get_as("/metrics", "scrape-me-please").await;
    assert_eq!(scraped.status(), 200);
    assert!(scraped.text().await.unwrap().contains("newsdesk_db_queries_total"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_require_a_token_sqlite() {
    metrics_can_require_a_token(Backend::Sqlite).await;
}

crate::postgres_tests! {
    async fn metrics_can_require_a_token_postgres() {
        metrics_can_require_a_token(Backend::Postgres).await;
    }
}
