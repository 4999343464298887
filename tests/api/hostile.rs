//! Hostile input: whatever a client sends, the answer is a 4xx that says
//! what was wrong, never a 500, on either engine. PostgreSQL text cannot
//! hold NUL, so NUL in every place text goes is the sharpest probe.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};

/// Requests carrying NUL and other control characters in a path segment, a
/// query, a JSON field and a GraphQL argument, over every route family.
fn battery(comment_id: &str) -> Vec<(Method, String, Option<Value>)> {
    let mut requests = Vec::new();
    for segment in ["%00", "a%00b", "a%01b", "%E2%80%AEb", "%FF%FE", "a%C3%28b", "99999999999999999999999"] {
        for path in [
            format!("/api/v1/articles/{segment}"),
            format!("/api/v1/articles/{segment}/comments"),
            format!("/api/v1/articles/{segment}/revisions"),
            format!("/api/v1/categories/{segment}"),
            format!("/api/v1/tags/{segment}"),
            format!("/api/v1/users/{segment}"),
            format!("/api/v1/comments/{segment}"),
        ] {
            requests.push((Method::GET, path, None));
        }
        for action in ["publish", "submit", "archive", "unpublish", "schedule"] {
            requests.push((Method::POST, format!("/api/v1/articles/{segment}/{action}"), Some(json!({}))));
        }
        requests.push((Method::PATCH, format!("/api/v1/articles/{segment}"), Some(json!({"title": "x"}))));
        requests.push((Method::DELETE, format!("/api/v1/tags/{segment}"), None));
    }
    for query in [
        "q=a%00b",
        "q=%00",
        "category=a%00b",
        "tag=a%00b",
        "author=a%00b",
        "cursor=a%00b",
        "published_after=2026%00",
        "sort=a%00b",
        "limit=1%00",
        "limit=99999999999999999999999",
        "limit=-1",
        "q=%FF%FE",
        "cursor=%C3%28",
        "published_after=99999-99-99T99:99:99Z",
    ] {
        requests.push((Method::GET, format!("/api/v1/articles?{query}"), None));
    }
    requests.push((Method::GET, "/api/v1/tags?cursor=%00".into(), None));
    let nul = "a\u{0}b";
    requests.push((Method::POST, "/api/v1/articles".into(), Some(json!({"title": nul, "body": nul}))));
    requests.push((Method::POST, "/api/v1/categories".into(), Some(json!({"name": nul, "slug": nul}))));
    requests.push((Method::POST, "/api/v1/tags".into(), Some(json!({"name": nul}))));
    requests.push((Method::PATCH, format!("/api/v1/comments/{comment_id}"), Some(json!({"body": nul}))));
    requests.push((Method::POST, "/api/v1/auth/login".into(), Some(json!({"email": nul, "password": nul}))));
    requests.push((
        Method::POST,
        "/api/v1/auth/register".into(),
        Some(json!({"email": format!("{nul}@example.org"), "password": nul, "display_name": nul})),
    ));
    requests.push((Method::POST, "/api/v1/auth/refresh".into(), Some(json!({"refresh_token": nul}))));
    for document in [
        r#"{ article(slug: "a\u0000b") { id } }"#,
        r#"{ articles(first: 1, filter: {search: "a\u0000b"}) { edges { node { id } } } }"#,
        r#"{ category(slug: "\u0000") { id } }"#,
        r#"{ tag(slug: "\u0000") { id } }"#,
        r#"{ comment(id: "\u0000") { id } }"#,
        r#"{ node(id: "\u0000") { id } }"#,
        r#"{ articles(first: 1, after: "\u0000") { edges { node { id } } } }"#,
    ] {
        requests.push((Method::POST, "/graphql".into(), Some(json!({"query": document}))));
    }
    requests
}

async fn no_input_is_a_server_error(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let comment = app
        .post(&format!("/api/v1/articles/{slug}/comments"), Some(&editor.access), &json!({"body": "Hello"}))
        .await;
    let comment: Value = comment.json().await.unwrap();
    let comment_id = comment["id"].as_str().unwrap().to_owned();
    for (method, path, body) in battery(&comment_id) {
        for token in [None, Some(&editor.access)] {
            let mut request = app.client.request(method.clone(), app.url(&path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            let text = response.text().await.unwrap();
            assert!(status.is_client_error() || status.is_success(), "{method} {path}: {status} {text}");
            if path == "/graphql" {
                assert!(!text.contains("INTERNAL"), "{path} {body:?}: {text}");
            }
        }
    }
    // Bodies no JSON parser should recurse through, and bytes that are not UTF-8.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let not_utf8 = b"{\"title\": \"\xff\xfe\"}".to_vec();
    for path in ["/api/v1/articles", "/graphql", "/api/v1/auth/login"] {
        for body in [deep.clone().into_bytes(), deep_object.clone().into_bytes(), not_utf8.clone()] {
            let response = app
                .client
                .post(app.url(path))
                .bearer_auth(&editor.access)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert!(
                status.is_client_error() || status == 200,
                "{path}: {status} {}",
                response.text().await.unwrap()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_input_is_a_server_error_sqlite() {
    no_input_is_a_server_error(TestApp::spawn(Backend::Sqlite).await).await;
}

crate::postgres_tests! {
    async fn no_input_is_a_server_error_postgres() {
        no_input_is_a_server_error(TestApp::spawn(Backend::Postgres).await).await;
    }
}

/// A persisted query is remembered only once it parses: a registration of
/// garbage keeps nothing, so it cannot fill the store.
async fn persisted_queries_keep_only_valid_documents(app: TestApp) {
    let hash = |query: &str| {
        use sha2::Digest;
        sha2::Sha256::digest(query.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let ask = |query: Option<&str>, hash: String| {
        let mut body = json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}});
        if let Some(query) = query {
            body["query"] = json!(query);
        }
        app.client.post(app.url("/graphql")).json(&body).send()
    };
    let broken = "{ articles(first: 1) { edges { node { id } }";
    let refused: Value = ask(Some(broken), hash(broken)).await.unwrap().json().await.unwrap();
    assert!(refused["errors"].is_array(), "{refused}");
    let again: Value = ask(None, hash(broken)).await.unwrap().json().await.unwrap();
    assert_eq!(again["errors"][0]["message"], "PersistedQueryNotFound", "{again}");

    let valid = "{ categories { slug } }";
    let kept: Value = ask(Some(valid), hash(valid)).await.unwrap().json().await.unwrap();
    assert!(kept["data"]["categories"].is_array(), "{kept}");
    let by_hash: Value = ask(None, hash(valid)).await.unwrap().json().await.unwrap();
    assert!(by_hash["data"]["categories"].is_array(), "{by_hash}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persisted_queries_keep_only_valid_documents_sqlite() {
    persisted_queries_keep_only_valid_documents(TestApp::spawn(Backend::Sqlite).await).await;
}

/// Aliases cannot multiply a document's cost past its limits: a thousand
/// aliased searches are refused before anything runs, and a thousand
/// aliased lookups stop at the per-request budget of database calls.
async fn aliases_cannot_hold_the_database(app: TestApp) {
    app.seed_demo();
    let searches: String = (0..1_000)
        .map(|n| {
            format!("s{n}: articles(first: 1, filter: {{search: \"said the\"}}) {{ edges {{ cursor }} }} ")
        })
        .collect();
    let before = app.queries_run().await;
    let refused: Value = app
        .post("/graphql", None, &json!({"query": format!("{{ {searches} }}")}))
        .await
        .json()
        .await
        .unwrap();
    assert!(refused["data"].is_null(), "{}", &refused.to_string()[..300]);
    assert!(
        refused["errors"][0]["message"].as_str().unwrap().contains("complex"),
        "{}",
        refused["errors"][0]
    );
    assert_eq!(app.queries_run().await - before, 0, "refused before anything ran");

    let lookups: String =
        (0..1_000).map(|n| format!("a{n}: article(slug: \"no-such-story-{n}\") {{ id }} ")).collect();
    let before = app.queries_run().await;
    let stopped: Value =
        app.post("/graphql", None, &json!({"query": format!("{{ {lookups} }}")})).await.json().await.unwrap();
    let errors = stopped["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["message"].as_str().unwrap().contains("database calls")),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0]["extensions"]["code"], "BAD_REQUEST");
    let ran = app.queries_run().await - before;
    assert!(ran <= 260, "{ran} statements: the budget stops the document");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aliases_cannot_hold_the_database_sqlite() {
    aliases_cannot_hold_the_database(TestApp::spawn(Backend::Sqlite).await).await;
}

crate::postgres_tests! {
    async fn aliases_cannot_hold_the_database_postgres() {
        aliases_cannot_hold_the_database(TestApp::spawn(Backend::Postgres).await).await;
    }
}

/// One client address holds at most 64 sockets open at once; the next is
/// refused before the upgrade, and a closed one frees its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_cannot_hold_sockets_without_end() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let connect = || async {
        let mut request =
            format!("{}/graphql/ws", app.base.replace("http://", "ws://")).into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
        tokio_tungstenite::connect_async(request).await
    };
    let mut open = Vec::new();
    for _ in 0..64 {
        open.push(connect().await.expect("within the limit").0);
    }
    match connect().await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 429),
        other => panic!("the 65th socket is refused: {:?}", other.map(|(_, r)| r.status())),
    }
    drop(open.pop());
    crate::helpers::eventually("a closed socket to free its place", || async { connect().await.is_ok() })
        .await;
}
