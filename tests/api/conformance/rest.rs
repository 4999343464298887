//! REST as HTTP clients, generators and linters expect it.

use serde_json::{Value, json};

use crate::fixtures::demo_slugs;
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn a_known_path_asked_with_another_method_is_405_with_allow(app: TestApp) {
    let wrong = app.client.delete(app.url("/api/v1/categories")).send().await.unwrap();
    assert_eq!(wrong.headers()["allow"], "GET, POST");
    let problem = assert_problem(wrong, 405, "METHOD_NOT_ALLOWED").await;
    assert!(problem["detail"].as_str().unwrap().contains("GET, POST"), "{problem}");

    let put = app.client.put(app.url("/api/v1/articles/some-story")).send().await.unwrap();
    assert_eq!(put.headers()["allow"], "GET, PATCH, DELETE");
    assert_problem(put, 405, "METHOD_NOT_ALLOWED").await;
    let graphql = app.client.put(app.url("/graphql")).send().await.unwrap();
    assert_eq!(graphql.status(), 405);
    assert_eq!(graphql.headers()["allow"], "GET, POST");

    let options =
        app.client.request(reqwest::Method::OPTIONS, app.url("/api/v1/articles")).send().await.unwrap();
    assert_eq!(options.status(), 204);
    assert_eq!(options.headers()["allow"], "GET, POST");
    assert_problem(
        app.client.delete(app.url("/api/v1/nothing-here")).send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_cors_preflights_are_problems() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |s| {
        s.cors_origins = vec!["https://news.example.org".into()];
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/articles"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .send()
    };
    let allowed = preflight("https://news.example.org").await.unwrap();
    assert!(allowed.status().is_success());
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://news.example.org");
    let refused = preflight("https://evil.example").await.unwrap();
    let problem = assert_problem(refused, 400, "BAD_REQUEST").await;
    assert!(problem["detail"].as_str().unwrap().contains("cross-origin"), "{problem}");
}

async fn an_empty_patch_changes_nothing(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let admin = app.sign_in_as("admin").await;
    let tag = app.get_json("/api/v1/tags/energy").await;
    let patched = app.patch("/api/v1/tags/energy", Some(&editor.access), None, &json!({})).await;
    assert_eq!(patched.status(), 200);
    assert_eq!(patched.json::<Value>().await.unwrap(), tag);
    // An array is no patch at all (never read into fields by position).
    let array = app.patch("/api/v1/tags/energy", Some(&editor.access), None, &json!([null, null])).await;
    assert_problem(array, 400, "VALIDATION_FAILED").await;

    let section = app.get_json("/api/v1/categories/europe").await;
    let patched = app.patch("/api/v1/categories/europe", Some(&editor.access), None, &json!({})).await;
    assert_eq!(patched.status(), 200);
    assert_eq!(patched.json::<Value>().await.unwrap(), section, "updated_at stays");

    let slug = demo_slugs("published")[0].clone();
    let path = format!("/api/v1/articles/{slug}");
    let article = app.get_as(&path, &editor.access).await.json::<Value>().await.unwrap();
    let version = article["version"].to_string();
    let patched = app.patch(&path, Some(&editor.access), Some(&version), &json!({})).await;
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["version"], article["version"], "no new version");
    assert_eq!(patched["updated_at"], article["updated_at"]);
    let revisions =
        app.get_as(&format!("{path}/revisions"), &editor.access).await.json::<Value>().await.unwrap();
    assert!(revisions["data"].as_array().unwrap().is_empty(), "no revision");

    let user_path = format!("/api/v1/users/{}", editor.id);
    let user = app.get_as(&user_path, &admin.access).await.json::<Value>().await.unwrap();
    let patched = app.patch(&user_path, Some(&admin.access), None, &json!({})).await;
    assert_eq!(patched.status(), 200);
    assert_eq!(patched.json::<Value>().await.unwrap(), user);
}

async fn the_demo_goes_in_beside_the_first_admin(app: TestApp) {
    // What an operator does first: `newsdesk user create --role admin …`,
    // then `newsdesk seed --demo`.
    let admin = app.sign_in_as("admin").await;
    let report = newsdesk::seed::demo::load(app.services.db()).expect("demo beside an existing account");
    assert!(report.to_string().contains("articles"), "{report}");
    assert_eq!(app.get_as("/api/v1/me", &admin.access).await.status(), 200, "the admin is kept");
    assert!(!app.get_json("/api/v1/articles").await["data"].as_array().unwrap().is_empty());
    let again = newsdesk::seed::demo::load(app.services.db()).unwrap_err();
    assert_eq!(again.code(), newsdesk::error::ErrorCode::Conflict, "refused once articles exist");
}

async fn the_contract_is_complete_for_generated_clients(app: TestApp) {
    let document = app.get_json("/openapi.json").await;
    assert!(!document["servers"].as_array().unwrap().is_empty(), "servers");
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation.get("security").is_some(), "{method} {path} says who may call it");
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(content) = response.get("content").and_then(|c| c.as_object()) else { continue };
                for (media_type, body) in content {
                    let is_problem = body["schema"]["$ref"] == "#/components/schemas/Problem";
                    assert_eq!(
                        is_problem,
                        media_type == "application/problem+json",
                        "{method} {path} {status}: a problem is sent as application/problem+json"
                    );
                }
            }
            // Probes, metrics, previews and data exports are never stored, so carry no validators.
            let unstored =
                ["/healthz", "/readyz", "/metrics", "/api/v1/previews/{token}", "/api/v1/me/export"];
            if method == "get" && !unstored.contains(&path.as_str()) {
                let params = operation["parameters"].as_array().unwrap();
                assert!(params.iter().any(|p| p["name"] == "If-None-Match" && p["in"] == "header"), "{path}");
                assert!(operation["responses"].get("304").is_some(), "{path} answers 304");
                assert!(
                    operation["responses"]["200"]["headers"].get("ETag").is_some(),
                    "{path} sends an ETag"
                );
            }
        }
    }
    let users = &document["paths"]["/api/v1/users"];
    assert!(users["get"]["responses"]["200"]["headers"].get("Link").is_some());
    assert!(users["post"]["responses"]["201"]["headers"].get("Location").is_some());
    let publish = &document["paths"]["/api/v1/articles/{id_or_slug}/publish"]["post"];
    assert!(publish["responses"]["200"]["headers"].get("ETag").is_some());
}

async fn probes_and_metrics_carry_no_validators(app: TestApp) {
    for path in ["/healthz", "/readyz", "/metrics"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert!(response.headers().get("etag").is_none(), "{path} is never stored, so never revalidated");
    }
}

on_both_backends!(
    a_known_path_asked_with_another_method_is_405_with_allow,
    an_empty_patch_changes_nothing,
    the_demo_goes_in_beside_the_first_admin,
    the_contract_is_complete_for_generated_clients,
    probes_and_metrics_carry_no_validators,
);
