//! Abuse limits: rate limits and body sizes.

use serde_json::json;

use crate::helpers::{Backend, PASSWORD, TestApp, assert_problem};

async fn limited_app(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |settings| {
        settings.login_rate = 3;
        settings.register_rate = 2;
        settings.comment_rate = 2;
        settings.max_body_bytes = 4096;
    })
    .await
}

async fn limits(app: TestApp) {
    app.seed_demo();
    let reader = app.sign_in_as("reader").await; // the first sign-in
    for _ in 0..2 {
        let wrong = app
            .post("/api/v1/auth/login", None, &json!({"email": reader.email, "password": "not the password"}))
            .await;
        assert_eq!(wrong.status(), 401);
    }
    let limited =
        app.post("/api/v1/auth/login", None, &json!({"email": reader.email, "password": PASSWORD})).await;
    assert!(limited.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    assert_problem(limited, 429, "RATE_LIMITED").await;

    for n in 0..2 {
        let ok = app
            .post(
                "/api/v1/auth/register",
                None,
                &json!({"email": format!("r{n}@example.org"), "password": PASSWORD, "display_name": "R"}),
            )
            .await;
        assert_eq!(ok.status(), 202);
    }
    let third = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "r3@example.org", "password": PASSWORD, "display_name": "R"}),
        )
        .await;
    assert_problem(third, 429, "RATE_LIMITED").await;

    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let path = format!("/api/v1/articles/{slug}/comments");
    for _ in 0..2 {
        assert_eq!(app.post(&path, Some(&reader.access), &json!({"body": "Hello"})).await.status(), 201);
    }
    assert_problem(
        app.post(&path, Some(&reader.access), &json!({"body": "Hello"})).await,
        429,
        "RATE_LIMITED",
    )
    .await;

    let huge = json!({"body": "x".repeat(10_000)});
    let response = app.post(&path, Some(&reader.access), &huge).await;
    assert_problem(response, 413, "PAYLOAD_TOO_LARGE").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_sqlite() {
    limits(limited_app(Backend::Sqlite).await).await;
}

crate::postgres_tests! {
    async fn limits_postgres() {
        limits(limited_app(Backend::Postgres).await).await;
    }
}

/// Behind a proxy, the client is the address the proxy appended (the last
/// hop): the hops before it are the client's own to forge, and a forger who
/// changes them on every attempt is limited all the same.
async fn forwarded_for_is_read_from_the_proxy_end(app: TestApp) {
    app.seed_demo();
    let reader = app.sign_in_as("reader").await;
    let login = |forwarded: String| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("X-Forwarded-For", forwarded)
            .json(&json!({"email": reader.email, "password": "not the password"}))
            .send()
    };
    for n in 0..3 {
        let wrong = login(format!("198.51.100.{n}, 203.0.113.7")).await.expect("request");
        assert_eq!(wrong.status(), 401);
    }
    let forged = login("198.51.100.99, 203.0.113.7".into()).await.expect("request");
    assert_problem(forged, 429, "RATE_LIMITED").await;
    let other_client = login("203.0.113.8".into()).await.expect("request");
    assert_eq!(other_client.status(), 401, "another client behind the proxy has its own limit");
}

async fn proxied_app(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |settings| {
        settings.login_rate = 3;
        settings.trust_forwarded_for = true;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_is_read_from_the_proxy_end_sqlite() {
    forwarded_for_is_read_from_the_proxy_end(proxied_app(Backend::Sqlite).await).await;
}

crate::postgres_tests! {
    async fn forwarded_for_is_read_from_the_proxy_end_postgres() {
        forwarded_for_is_read_from_the_proxy_end(proxied_app(Backend::Postgres).await).await;
    }
}

/// The limits hold across instances sharing one database (an attacker who
/// spreads guesses over them gets no more), and every answer a limit
/// counted says what is left, over REST and GraphQL alike.
async fn limits_hold_across_instances(backend: Backend) {
    let three_a_minute = |settings: &mut newsdesk::config::Settings| settings.login_rate = 3;
    let first = TestApp::spawn_with(backend, three_a_minute).await;
    let second = TestApp::attach_with(&first, three_a_minute).await;
    first.seed_demo();
    let wrong = json!({"email": "nobody@example.org", "password": "not the password"});
    let left = |response: &reqwest::Response| {
        let header = |name: &str| response.headers()[name].to_str().unwrap().parse::<u64>().unwrap();
        (header("ratelimit-limit"), header("ratelimit-remaining"), header("ratelimit-reset"))
    };

    let answer = first.post("/api/v1/auth/login", None, &wrong).await;
    assert_eq!(answer.status(), 401);
    let (limit, remaining, reset) = left(&answer);
    assert_eq!((limit, remaining), (3, 2));
    assert!((1..=20).contains(&reset), "one attempt comes back in 20 s: {reset}");
    let answer = second.post("/api/v1/auth/login", None, &wrong).await;
    assert_eq!((answer.status().as_u16(), left(&answer).1), (401, 1), "counted with the first's");
    let answer = first.post("/api/v1/auth/login", None, &wrong).await;
    assert_eq!((answer.status().as_u16(), left(&answer).1), (401, 0));

    let refused = second.post("/api/v1/auth/login", None, &wrong).await;
    assert_eq!(left(&refused).1, 0);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    assert_problem(refused, 429, "RATE_LIMITED").await;

    let graphql = first
        .client
        .post(first.url("/graphql"))
        .json(&json!({
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
            "variables": {"e": "nobody@example.org", "p": "not the password"},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(left(&graphql).0, 3, "GraphQL answers carry the headers too");
    let body: serde_json::Value = graphql.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{body}");

    // What no limit counted carries none.
    assert!(!first.get("/api/v1/articles").await.headers().contains_key("ratelimit-limit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_hold_across_instances_sqlite() {
    limits_hold_across_instances(Backend::Sqlite).await;
}

crate::postgres_tests! {
    async fn limits_hold_across_instances_postgres() {
        limits_hold_across_instances(Backend::Postgres).await;
    }
}
