//! Targeted invalidation: a write makes stale what showed what it changed,
//! and nothing else. Every affected read is fresh at once (on a second
//! instance, as soon as the change notice arrives); an unrelated read is
//! still answered from memory, as `/metrics` and the statement counter show.
//! Responses name what they show in `Surrogate-Key`, the tags a CDN purges by.

use serde_json::{Value, json};

use crate::fixtures::demo_slugs;
use crate::helpers::{Backend, TestApp, eventually, metric};
use crate::on_both_backends;

/// Anonymous reads answered from memory so far.
async fn hits(app: &TestApp) -> u64 {
    cache_metric(app, "hit").await
}

async fn cache_metric(app: &TestApp, result: &str) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    metric(&text, &format!("newsdesk_response_cache_requests_total{{result=\"{result}\"}}"))
}

/// Reads `path` and asserts it came from memory: one more hit, no statement.
async fn assert_kept(app: &TestApp, path: &str) -> Value {
    let (hits_before, queries_before) = (hits(app).await, app.queries_run().await);
    let body = app.get_json(path).await;
    assert_eq!(hits(app).await, hits_before + 1, "{path} is answered from memory");
    assert_eq!(app.queries_run().await, queries_before, "{path} ran no statement");
    body
}

/// The `Surrogate-Key` of an anonymous read of `path`, word by word.
async fn surrogate_keys(app: &TestApp, path: &str) -> Vec<String> {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let keys =
        response.headers().get("surrogate-key").unwrap_or_else(|| panic!("{path} has no Surrogate-Key"));
    keys.to_str().unwrap().split(' ').map(str::to_owned).collect()
}

fn ids_of(list: &Value) -> Vec<String> {
    list["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
}

const POSTED_FEED: &str = "{ articles(first: 5) { nodes { id title commentCount category { name } } } }";

async fn posted_feed(app: &TestApp) -> Value {
    posted(app, POSTED_FEED).await
}

async fn posted(app: &TestApp, query: &str) -> Value {
    let response =
        app.client.post(app.url("/graphql")).json(&json!({ "query": query })).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Section feeds are read in a batch the request spawns: what the batch
/// reads must count as shown by the request.
const SECTION_FEEDS: &str = "{ categories { slug articles(first: 2) { nodes { id } } } }";

async fn a_comment_makes_stale_its_article_and_nothing_else(app: TestApp) {
    app.seed_demo();
    let reader = app.sign_in_as("reader").await;
    let published = demo_slugs("published");
    let home = "/api/v1/articles?limit=3";
    let commented_id = ids_of(&app.get_json(home).await)[0].clone();
    let commented = format!("/api/v1/articles/{commented_id}");
    let other = format!("/api/v1/articles/{}", published.last().unwrap());
    let other_section = "/api/v1/articles?category=health";
    let thread = format!("{commented}/comments");
    let reads = [home, commented.as_str(), thread.as_str(), other.as_str(), other_section];
    for path in reads {
        app.get_json(path).await;
    }
    let feed_before = posted_feed(&app).await;
    for path in reads {
        assert_kept(&app, path).await;
    }
    assert!(
        surrogate_keys(&app, home).await.contains(&format!("article:{commented_id}")),
        "a list names every article it shows"
    );
    assert!(surrogate_keys(&app, &thread).await.contains(&format!("thread:{commented_id}")));
    assert!(surrogate_keys(&app, &other).await.iter().any(|k| k == "all"));

    let count = app.get_json(&commented).await["comment_count"].as_i64().unwrap();
    let posted = app
        .post(&format!("{commented}/comments"), Some(&reader.access), &json!({"body": "Well reported."}))
        .await;
    assert_eq!(posted.status(), 201);

    // Everything that shows the comment or the article's count is fresh…
    assert_eq!(app.get_json(&commented).await["comment_count"], count + 1);
    assert!(app.get_json(&thread).await.to_string().contains("Well reported."));
    assert_eq!(app.get_json(home).await["data"][0]["comment_count"], count + 1);
    let feed_after = posted_feed(&app).await;
    assert_ne!(feed_after, feed_before);
    assert_eq!(feed_after["data"]["articles"]["nodes"][0]["commentCount"], count + 1);
    // …and another article's page, and a feed without it, are still kept.
    assert_kept(&app, &other).await;
    assert_kept(&app, other_section).await;
}

on_both_backends!(a_comment_makes_stale_its_article_and_nothing_else);

async fn a_publish_makes_stale_the_feeds_it_enters(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let (home, europe, world, health) = (
        "/api/v1/articles?limit=5",
        "/api/v1/articles?category=europe",
        "/api/v1/articles?category=world",
        "/api/v1/articles?category=health",
    );
    let unrelated = format!("/api/v1/articles/{}", demo_slugs("published")[0]);
    for path in [home, europe, world, health, unrelated.as_str()] {
        app.get_json(path).await;
        assert_kept(&app, path).await;
    }
    let sections_before = posted(&app, SECTION_FEEDS).await;
    assert_eq!(posted(&app, SECTION_FEEDS).await, sections_before);
    let draft: Value = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Night trains return", "category": "europe"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    // A draft is nobody's news yet.
    assert_kept(&app, europe).await;

    let published =
        app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;
    assert_eq!(published.status(), 200);
    for path in [home, europe, world] {
        assert_eq!(ids_of(&app.get_json(path).await)[0], id, "{path} holds the new story");
    }
    assert_kept(&app, health).await;
    assert_kept(&app, &unrelated).await;
    let sections_after = posted(&app, SECTION_FEEDS).await;
    let europe_feed = sections_after["data"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "europe")
        .unwrap()["articles"]["nodes"][0]["id"]
        .clone();
    assert_eq!(europe_feed, id.as_str(), "the batched section feeds are fresh: {sections_after}");

    // An edit of the published story: its page and the feeds showing it.
    let edited = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&editor.access),
            Some("\"2\""),
            &json!({"title": "Night trains return to the Alps"}),
        )
        .await;
    assert_eq!(edited.status(), 200, "{}", edited.text().await.unwrap());
    assert_eq!(app.get_json(europe).await["data"][0]["title"], "Night trains return to the Alps");
    assert_kept(&app, health).await;
}

on_both_backends!(a_publish_makes_stale_the_feeds_it_enters);

async fn a_section_rename_makes_stale_what_shows_the_section(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let europe = "/api/v1/articles?category=europe";
    let health = "/api/v1/articles?category=health";
    let in_europe = format!("/api/v1/articles/{}", ids_of(&app.get_json(europe).await)[0]);
    let in_health = format!("/api/v1/articles/{}", ids_of(&app.get_json(health).await)[0]);
    for path in [europe, health, in_europe.as_str(), in_health.as_str(), "/api/v1/categories"] {
        app.get_json(path).await;
        assert_kept(&app, path).await;
    }
    let renamed = app
        .patch("/api/v1/categories/europe", Some(&editor.access), None, &json!({"name": "Europe & UK"}))
        .await;
    assert_eq!(renamed.status(), 200, "{}", renamed.text().await.unwrap());
    assert_eq!(app.get_json(&in_europe).await["category"]["name"], "Europe & UK");
    assert_eq!(app.get_json(europe).await["data"][0]["category"]["name"], "Europe & UK");
    let sections = app.get_json("/api/v1/categories").await;
    assert!(sections.to_string().contains("Europe & UK"), "{sections}");
    assert_kept(&app, &in_health).await;
    assert_kept(&app, health).await;
}

on_both_backends!(a_section_rename_makes_stale_what_shows_the_section);

async fn a_write_that_names_no_keys_makes_everything_stale(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let page = format!("/api/v1/articles/{}", demo_slugs("published")[0]);
    app.get_json(&page).await;
    assert_kept(&app, &page).await;
    // A tag rename changes what a page shows through the tag; tags are rare
    // writes, and invalidate everything.
    let tag = app.get_json("/api/v1/tags?limit=1").await["data"][0]["slug"].as_str().unwrap().to_owned();
    let renamed = app
        .patch(&format!("/api/v1/tags/{tag}"), Some(&editor.access), None, &json!({"name": "Renamed"}))
        .await;
    assert_eq!(renamed.status(), 200, "{}", renamed.text().await.unwrap());
    let before = cache_metric(&app, "miss").await;
    app.get_json(&page).await;
    assert_eq!(cache_metric(&app, "miss").await, before + 1, "read anew after a write that named no keys");
}

on_both_backends!(a_write_that_names_no_keys_makes_everything_stale);

crate::postgres_tests! {
    /// Two instances on one database: the change notice carries the keys, so
    /// the second instance drops what the write changed and keeps the rest.
    async fn a_sibling_drops_only_what_a_write_changed_postgres() {
        let first = TestApp::spawn(Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let reader = first.sign_in_as("reader").await;
        let published = demo_slugs("published");
        let commented = format!("/api/v1/articles/{}", published[0]);
        let other = format!("/api/v1/articles/{}", published[1]);
        for path in [commented.as_str(), other.as_str()] {
            second.get_json(path).await;
            assert_kept(&second, path).await;
        }
        let count = second.get_json(&commented).await["comment_count"].as_i64().unwrap();
        let posted = first
            .post(&format!("{commented}/comments"), Some(&reader.access), &json!({"body": "Seen from afar."}))
            .await;
        assert_eq!(posted.status(), 201);
        eventually("the second instance to show the new comment count", || async {
            second.get_json(&commented).await["comment_count"] == count + 1
        })
        .await;
        assert_kept(&second, &other).await;
        let thread = second.get_json(&format!("{commented}/comments")).await;
        assert!(thread.to_string().contains("Seen from afar."), "{thread}");
    }
}

crate::postgres_tests! {
    /// A sibling whose change listener loses its connection serves nothing
    /// from memory until it is back, then catches up with what it missed.
    async fn a_sibling_that_lost_its_listener_catches_up_postgres() {
        use diesel::{Connection, PgConnection, RunQueryDsl};

        let first = TestApp::spawn(Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let reader = first.sign_in_as("reader").await;
        let page = format!("/api/v1/articles/{}", demo_slugs("published")[0]);
        second.get_json(&page).await;
        assert_kept(&second, &page).await;

        // Cut the listeners of this test's schema (both instances'), and no
        // other test's.
        let url = first.database_url.clone();
        let cut = tokio::task::spawn_blocking(move || {
            let mut conn = PgConnection::establish(&url).expect("connect");
            let channels = newsdesk::db::changes::Channels::of(&mut conn).expect("channels");
            diesel::sql_query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE query = 'LISTEN ' || $1 AND datname = current_database()",
            )
            .bind::<diesel::sql_types::Text, _>(&channels.events)
            .execute(&mut conn)
            .expect("terminate the listeners")
        })
        .await
        .unwrap();
        assert!(cut >= 1, "the listeners were found");
        let count = first.get_json(&page).await["comment_count"].as_i64().unwrap();
        let posted = first
            .post(&format!("{page}/comments"), Some(&reader.access), &json!({"body": "Heard at last."}))
            .await;
        assert_eq!(posted.status(), 201);
        eventually("the second instance to show the comment made while it could not hear", || async {
            second.get_json(&page).await["comment_count"] == count + 1
        })
        .await;
        eventually("the second instance to keep reads again once it hears again", || async {
            second.get_json(&page).await;
            let before = hits(&second).await;
            second.get_json(&page).await;
            hits(&second).await == before + 1
        })
        .await;
    }
}

/// GraphQL answers a story it cannot show with `null`, and that answer is
/// kept like any other: it must go stale when the story appears.
async fn a_kept_null_goes_stale_when_the_story_appears(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let query = "{ article(slug: \"night-buses-return\") { title } categories { slug } }";
    let missing = posted(&app, query).await;
    assert_eq!(missing["data"]["article"], Value::Null, "{missing}");
    assert_eq!(posted(&app, query).await, missing, "kept");

    let draft: Value = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Night buses return", "slug": "night-buses-return", "category": "europe"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    let by_id = format!("{{ node(id: \"{id}\") {{ ... on Article {{ title }} }} categories {{ slug }} }}");
    assert_eq!(posted(&app, &by_id).await["data"]["node"], Value::Null, "a draft is nobody's news");
    assert_eq!(posted(&app, query).await["data"]["article"], Value::Null);

    let published =
        app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;
    assert_eq!(published.status(), 200);
    assert_eq!(posted(&app, query).await["data"]["article"]["title"], "Night buses return");
    assert_eq!(posted(&app, &by_id).await["data"]["node"]["title"], "Night buses return");
}

on_both_backends!(a_kept_null_goes_stale_when_the_story_appears);
