//! GraphQL over HTTP: refused input, persisted queries and cacheable GETs,
//! GraphiQL.

use serde_json::{Value, json};

use super::code;
use crate::helpers::TestApp;
use crate::on_both_backends;

async fn bad_input_is_refused_clearly_and_changes_nothing(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let (status, body) = app.gql(None, "{ articles(first: 5 { nodes { id } } }", json!({})).await;
    assert_eq!((status, code(&body)), (400, "BAD_REQUEST"), "{body}");
    let (status, body) = app.gql(None, "{ articles { nodes { nope } } }", json!({})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    let (status, body) =
        app.gql(None, "query($n: Int!) { articles(first: $n) { nodes { id } } }", json!({"n": "many"})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    let (_, body) = app.gql(None, "{ articles(first: 101) { nodes { id } } }", json!({})).await;
    assert_eq!(code(&body), "VALIDATION_FAILED");
    assert_eq!(body["errors"][0]["extensions"]["fields"][0]["field"], "first");
    // No document (a misspelt member) is no GraphQL request, even as plain JSON.
    let misspelt = app.client.post(app.url("/graphql")).header("Accept", "application/json");
    let response = misspelt.json(&json!({"qeury": "{ __typename }"})).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(code(&response.json::<Value>().await.unwrap()), "BAD_REQUEST");

    // Too deep and too costly: refused before any statement runs.
    let deep = "{ articles { nodes { comments { nodes { replies { nodes { replies { nodes { replies { nodes { replies { nodes { id } } } } } } } } } } } } }";
    let before = app.queries_run().await;
    let (status, body) = app.gql(None, deep, json!({})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    let costly = "{ articles(first: 100) { nodes { comments(first: 100) { nodes { replies(first: 100) { nodes { id body } } } } } } }";
    let (status, body) = app.gql(None, costly, json!({})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    assert_eq!(app.queries_run().await, before, "nothing touched the database");

    // Mutations over GET run nothing.
    let tags_before = app.gql_ok(None, "{ tags(first: 100) { nodes { slug } } }", json!({})).await;
    let mutation = "mutation { createTag(input: {name: \"Sneaky\"}) { slug } }";
    let encoded: String = form_urlencoded::byte_serialize(mutation.as_bytes()).collect();
    let response = app
        .client
        .get(app.url(&format!("/graphql?query={encoded}")))
        .bearer_auth(&editor.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    assert_eq!(app.gql_ok(None, "{ tags(first: 100) { nodes { slug } } }", json!({})).await, tags_before);

    // Bad tokens.
    for token in ["garbage", "a.b.c"] {
        let (status, body) = app.gql(Some(token), "{ me { id } }", json!({})).await;
        assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"), "{body}");
    }
    let (_, body) =
        app.gql(None, "mutation { createTag(input: {name: \"Anon\"}) { slug } }", json!({})).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let (_, body) = app
        .gql(
            None,
            "mutation { login(email: \"nobody@example.org\", password: \"whatever12\") { accessToken } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let (_, body) = app
        .gql(
            Some(&editor.access),
            "mutation { createArticle(input: {title: \"\", category: \"atlantis\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION_FAILED");
    let fields: Vec<&str> = body["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"title"), "{body}");
    assert_eq!(app.gql_ok(None, "{ tags(first: 100) { nodes { slug } } }", json!({})).await, tags_before);

    // Legacy clients that accept only JSON get 200 with the same errors.
    let legacy = app
        .client
        .post(app.url("/graphql"))
        .header("Accept", "application/json")
        .json(&json!({"query": "{ nope }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), 200);
    assert_eq!(legacy.headers()["content-type"], "application/json");
    let not_acceptable = app
        .client
        .post(app.url("/graphql"))
        .header("Accept", "text/csv")
        .json(&json!({"query": "{ tags(first: 100) { nodes { slug } } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(not_acceptable.status(), 406);
}

async fn persisted_queries_and_cacheable_gets(app: TestApp) {
    app.seed_demo();
    let query = "{ categories { slug } }";
    let hash = newsdesk::graphql::persisted::sha256_hex(query);
    let extensions = json!({"persistedQuery": {"version": 1, "sha256Hash": hash}}).to_string();
    let encoded: String = form_urlencoded::byte_serialize(extensions.as_bytes()).collect();
    let path = format!("/graphql?extensions={encoded}");

    let unknown = app.get(&path).await.json::<Value>().await.unwrap();
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");
    let registered = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.json::<Value>().await.unwrap()["data"]["categories"][0]["slug"], "world");

    let cached = app.get(&path).await;
    assert_eq!(cached.status(), 200);
    assert_eq!(
        cached.headers()["cache-control"],
        "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400"
    );
    let etag = cached.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(cached.json::<Value>().await.unwrap()["data"]["categories"][0]["slug"], "world");
    let not_modified = app.client.get(app.url(&path)).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(not_modified.status(), 304);

    let mismatch = app.client.post(app.url("/graphql")).json(&json!({"query": "{ tags(first: 100) { nodes { slug } } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}})).send().await.unwrap();
    assert_eq!(code(&mismatch.json::<Value>().await.unwrap()), "BAD_REQUEST");
}

async fn graphiql_works_offline(app: TestApp) {
    let page = app.client.get(app.url("/graphql")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/graphql/assets/graphiql.min.js"));
    assert!(!html.contains("unpkg") && !html.contains("cdn."), "no CDN");
    for asset in
        ["graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"]
    {
        let response = app.get(&format!("/graphql/assets/{asset}")).await;
        assert_eq!(response.status(), 200, "{asset}");
        assert!(response.bytes().await.unwrap().len() > 1000);
    }
}

/// The same GET answers each client in the media type it asked for, even
/// when the first answer was kept by the response cache.
async fn cached_gets_keep_to_the_media_type_asked_for(app: TestApp) {
    app.seed_demo();
    let path = "/graphql?query=%7Bcategories%7Bslug%7D%7D";
    let get = |accept: &'static str| app.client.get(app.url(path)).header("Accept", accept).send();
    for (accept, expected) in [
        ("application/graphql-response+json", "application/graphql-response+json"),
        ("application/json", "application/json"),
        ("application/graphql-response+json", "application/graphql-response+json"),
    ] {
        let response = get(accept).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], expected, "asked for {accept}");
        assert!(response.headers().get_all("vary").iter().any(|v| v.to_str().unwrap().contains("Accept")));
    }

    let page = app.client.get(app.url("/graphql")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let program =
        app.client.get(app.url("/graphql")).header("Accept", "application/json").send().await.unwrap();
    assert_eq!(program.headers()["content-type"], "application/json", "a program never gets GraphiQL");
}

on_both_backends!(
    bad_input_is_refused_clearly_and_changes_nothing,
    persisted_queries_and_cacheable_gets,
    graphiql_works_offline,
    cached_gets_keep_to_the_media_type_asked_for,
);
