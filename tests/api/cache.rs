//! The response cache for anonymous reads: every write is visible on the very
//! next request, on this instance and (PostgreSQL) on its siblings.

use serde_json::{Value, json};

use crate::fixtures::demo_slugs;
use crate::helpers::{Backend, TestApp, eventually};
use crate::on_both_backends;

async fn writes_show_on_the_very_next_read(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let reader = app.sign_in_as("reader").await;
    let feed = "/api/v1/articles?limit=5";
    let first = app.get_json(feed).await;
    assert_eq!(app.get_json(feed).await, first, "served again (from the cache)");

    // A publish.
    let draft = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Cable car reopens", "category": "europe"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;
    assert_eq!(app.get_json(feed).await["data"][0]["id"], id.as_str());
    let article_path = format!("/api/v1/articles/{id}");
    assert_eq!(app.get_json(&article_path).await["title"], "Cable car reopens");

    // An edit.
    let edited = app
        .patch(
            &article_path,
            Some(&editor.access),
            Some("\"2\""),
            &json!({"title": "Cable car reopens after repairs"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    assert_eq!(app.get_json(&article_path).await["title"], "Cable car reopens after repairs");
    assert_eq!(app.get_json(feed).await["data"][0]["title"], "Cable car reopens after repairs");

    // A new comment.
    app.post(&format!("{article_path}/comments"), Some(&reader.access), &json!({"body": "At last."})).await;
    assert_eq!(app.get_json(&article_path).await["comment_count"], 1);
    assert_eq!(app.get_json(&format!("{article_path}/comments")).await["data"][0]["body"], "At last.");

    // GraphQL reads too.
    let gql = |app: &TestApp| {
        let url = app.url("/graphql?query=%7Barticles(first%3A1)%7Bnodes%7Btitle%7D%7D%7D");
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(gql(&app).await["data"]["articles"]["nodes"][0]["title"], "Cable car reopens after repairs");

    // An unpublish.
    app.post(&format!("{article_path}/unpublish"), Some(&editor.access), &json!({})).await;
    assert_eq!(app.get(&article_path).await.status(), 404);
    let rest_feed = app.get_json(feed).await;
    let rest_ids: Vec<&str> =
        rest_feed["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(!rest_ids.is_empty(), "{rest_feed}");
    assert!(!rest_ids.contains(&id.as_str()), "the unpublished article left the REST feed");
    let graphql_feed = gql(&app).await;
    let titles = graphql_feed["data"]["articles"]["nodes"].as_array().unwrap();
    assert!(!titles.is_empty(), "{graphql_feed}");
    assert!(titles.iter().all(|n| n["title"] != "Cable car reopens after repairs"), "and the GraphQL feed");

    // Signed-in readers never get a cached anonymous view.
    let staff =
        app.get_as("/api/v1/articles?status=draft", &editor.access).await.json::<Value>().await.unwrap();
    assert!(staff["data"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()));
}

async fn the_cache_can_be_switched_off(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.response_cache = false).await;
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let slug = demo_slugs("published")[0].clone();

    let hits = |text: String| {
        crate::helpers::metric(&text, "newsdesk_response_cache_requests_total{result=\"hit\"}")
    };
    let hits_before = hits(app.get("/metrics").await.text().await.unwrap());
    let before = app.queries_run().await;
    let first = app.get("/api/v1/articles?limit=100").await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    app.get_json("/api/v1/articles?limit=100").await;
    assert_eq!(app.queries_run().await - before, 2, "bodies are not kept: every read queries");
    let hits_after = hits(app.get("/metrics").await.text().await.unwrap());
    assert_eq!(hits_after, hits_before, "a read that had to query is no hit");

    // Validators are: a matching If-None-Match is answered without a query.
    let before = app.queries_run().await;
    let again = app.client.get(app.url("/api/v1/articles?limit=100")).header("If-None-Match", &etag);
    let again = again.send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.headers()["cache-control"].to_str().unwrap().starts_with("public"));
    assert_eq!(app.queries_run().await, before, "a 304 from remembered validators");

    let response =
        app.post(&format!("/api/v1/articles/{slug}/archive"), Some(&editor.access), &json!({})).await;
    assert_eq!(response.status(), 200);
    // The write forgot the validator: the same If-None-Match now gets the new list.
    let after = app.client.get(app.url("/api/v1/articles?limit=100")).header("If-None-Match", &etag);
    let after = after.send().await.unwrap();
    assert_eq!(after.status(), 200);
    assert_ne!(after.headers()["etag"].to_str().unwrap(), etag);
    let feed: Value = after.json().await.unwrap();
    assert!(feed["data"].as_array().unwrap().iter().all(|a| a["slug"] != slug.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_can_be_switched_off_sqlite() {
    the_cache_can_be_switched_off(Backend::Sqlite).await;
}

crate::postgres_tests! {
    async fn the_cache_can_be_switched_off_postgres() {
        the_cache_can_be_switched_off(Backend::Postgres).await;
    }
}

crate::postgres_tests! {
    /// Two instances behind a load balancer, on one PostgreSQL database.
    async fn sibling_instances_see_each_others_writes_postgres() {
        let first = TestApp::spawn(Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let feed = "/api/v1/articles?limit=1";
        let before = second.get_json(feed).await;
        assert_eq!(second.get_json(feed).await, before, "cached on the second instance");

        let editor = first.sign_in_as("editor").await;
        let draft = first
            .post(
                "/api/v1/articles",
                Some(&editor.access),
                &json!({"title": "Ferry timetable changes", "category": "europe"}),
            )
            .await
            .json::<Value>()
            .await
            .unwrap();
        let id = draft["id"].as_str().unwrap().to_owned();
        first.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;

        eventually("the second instance's cache to learn of the first one's write", || async {
            second.get_json(feed).await["data"][0]["id"] == id.as_str()
        })
        .await;
    }
}

/// Anonymous GraphQL queries sent by POST, as Apollo and app clients send
/// them, are answered from the response cache until a write commits.
async fn posted_graphql_queries_are_cached_like_gets(app: TestApp) {
    app.seed_demo();
    let feed = json!({"query": "query Feed($n: Int) { articles(first: $n) { nodes { slug title } } }", "variables": {"n": 3}});
    let same_in_other_layout = json!({
        "query": "query Feed($n: Int) {\n  articles(first: $n) {\n    nodes { slug, title }\n  }\n}",
        "variables": {"n": 3},
    });
    let post = |body: &Value, token: Option<&str>| {
        let mut request = app.client.post(app.url("/graphql")).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let first: Value = post(&feed, None).await.unwrap().json().await.unwrap();
    assert_eq!(first["data"]["articles"]["nodes"].as_array().unwrap().len(), 3, "{first}");
    let before = app.queries_run().await;
    let again: Value = post(&same_in_other_layout, None).await.unwrap().json().await.unwrap();
    assert_eq!(again, first);
    assert_eq!(app.queries_run().await, before, "answered from memory");
    let same_bytes: Value = post(&feed, None).await.unwrap().json().await.unwrap();
    assert_eq!(same_bytes, first);
    assert_eq!(app.queries_run().await, before, "the same bytes again, from memory before parsing");

    // Other variables are another entry.
    let five: Value = post(&json!({"query": feed["query"], "variables": {"n": 5}}), None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(five["data"]["articles"]["nodes"].as_array().unwrap().len(), 5);

    // A write commits: the next read is fresh.
    let editor = app.sign_in_as("editor").await;
    let slug = first["data"]["articles"]["nodes"][0]["slug"].as_str().unwrap().to_owned();
    let version = app.get_json(&format!("/api/v1/articles/{slug}")).await["version"].to_string();
    let edited = app
        .patch(
            &format!("/api/v1/articles/{slug}"),
            Some(&editor.access),
            Some(&version),
            &json!({"title": "Fresh title"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let fresh: Value = post(&feed, None).await.unwrap().json().await.unwrap();
    assert_eq!(fresh["data"]["articles"]["nodes"][0]["title"], "Fresh title");

    // Signed-in callers and mutations always run.
    let before = app.queries_run().await;
    post(&feed, Some(&editor.access)).await.unwrap().json::<Value>().await.unwrap();
    post(&feed, Some(&editor.access)).await.unwrap().json::<Value>().await.unwrap();
    assert!(app.queries_run().await >= before + 2, "a signed-in caller's reads are never shared");
    let logout = json!({"query": "mutation { logout(refreshToken: \"x\") }"});
    let before = app.queries_run().await;
    post(&logout, None).await.unwrap().json::<Value>().await.unwrap();
    post(&logout, None).await.unwrap().json::<Value>().await.unwrap();
    assert!(app.queries_run().await >= before + 2, "a mutation always runs");
}

/// The header names an answer's `Vary` lists, over all its lines.
fn vary_names(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("vary")
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect()
}

/// Fresh or replayed from memory, every answer names in `Vary` each request
/// header it depends on: a CDN keeps one copy per value.
async fn vary_names_everything_an_answer_depends_on(app: TestApp) {
    app.seed_demo();
    for _ in 0..2 {
        let list = app
            .client
            .get(app.url("/api/v1/articles"))
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .unwrap();
        let names = vary_names(&list);
        assert!(
            names.contains(&"authorization".into()) && names.contains(&"accept-encoding".into()),
            "{names:?}"
        );
        let get = app.get("/graphql?query=%7Bcategories%7Bslug%7D%7D").await;
        let names = vary_names(&get);
        assert!(names.contains(&"accept".into()) && names.contains(&"authorization".into()), "{names:?}");
        let post =
            app.client.post(app.url("/graphql")).json(&json!({"query": "{ categories { slug } }"})).send();
        let names = vary_names(&post.await.unwrap());
        assert!(names.contains(&"accept".into()), "{names:?}");
    }
}

on_both_backends!(
    writes_show_on_the_very_next_read,
    posted_graphql_queries_are_cached_like_gets,
    vary_names_everything_an_answer_depends_on,
);

crate::postgres_tests! {
    /// A notice PostgreSQL refuses (payloads stop at 8,000 bytes) fails its
    /// transaction like any statement: the write is rolled back, and the
    /// connection is left out of any transaction for its next user.
    async fn a_refused_notice_rolls_its_transaction_back_postgres() {
        use newsdesk::db::models::TagRow;
        use newsdesk::db::repo::tags;
        use newsdesk::domain::TagId;

        let app = TestApp::spawn(Backend::Postgres).await;
        let tag = |slug: &str| TagRow {
            id: TagId::generate(),
            slug: slug.to_owned(),
            name: slug.to_owned(),
            created_at: chrono::Utc::now().naive_utc(),
        };
        let (refused, next) = (tag("refused"), tag("afterwards"));
        let db = app.services.db().clone();
        let (failed, then) = tokio::task::spawn_blocking(move || {
            db.run_blocking(|conn| {
                let failed = conn.transaction(|conn| {
                    tags::insert(conn, &refused)?;
                    conn.notify_event(&"x".repeat(9_000))
                });
                // The same connection: an open transaction left behind would make
                // this a savepoint that is never committed.
                let then = conn.transaction(|conn| tags::insert(conn, &next));
                Ok((failed, then))
            })
        })
        .await
        .unwrap()
        .unwrap();
        assert!(failed.is_err(), "the oversized notice fails the transaction");
        then.unwrap();
        assert_eq!(app.get("/api/v1/tags/afterwards").await.status(), 200, "committed");
        assert_eq!(app.get("/api/v1/tags/refused").await.status(), 404, "rolled back");
    }
}
