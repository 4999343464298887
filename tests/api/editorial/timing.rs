//! Breaking news and expiry: the article clocks besides publication, in
//! both APIs, and the scheduler acting on them once.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::act;
use crate::fixtures::{end_breaking, make_expired};
use crate::helpers::{Backend, Session, TestApp, assert_problem, eventually};
use crate::on_both_backends;

fn hours(n: i64) -> String {
    (Utc::now() + Duration::hours(n)).to_rfc3339()
}

/// A draft in `europe` with `extra` members.
async fn draft_with(app: &TestApp, who: &Session, title: &str, extra: Value) -> Value {
    let mut body = json!({"title": title, "summary": "A standfirst.", "category": "europe"});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let response = app.post("/api/v1/articles", Some(&who.access), &body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

fn ids(list: &Value) -> Vec<&str> {
    list["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect()
}

async fn breaking_news_is_flagged_filtered_and_ends_by_itself(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let until = hours(2);
    let article =
        draft_with(&app, &editor, "Dam breach floods valley towns", json!({"breaking_until": until})).await;
    let id = article["id"].as_str().unwrap().to_owned();
    assert_eq!(article["breaking"], false, "a draft is not breaking news");
    let until_written: chrono::DateTime<Utc> = article["breaking_until"].as_str().unwrap().parse().unwrap();
    assert_eq!(until_written.timestamp(), until.parse::<chrono::DateTime<Utc>>().unwrap().timestamp());

    assert_eq!(act(&app, &editor, &id, "publish").await.status(), 200);
    let live = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(live["breaking"], true);
    let breaking = app.get_json("/api/v1/articles?breaking=true").await;
    assert!(ids(&breaking).contains(&id.as_str()), "{breaking}");
    assert!(breaking["data"].as_array().unwrap().iter().all(|a| a["breaking"] == true));
    let calm = app.get_json("/api/v1/articles?breaking=false&limit=100").await;
    assert!(!ids(&calm).contains(&id.as_str()));
    assert!(!calm["data"].as_array().unwrap().is_empty(), "stories without a window are not breaking");
    let searched = app.get_json("/api/v1/articles?q=dam%20breach&breaking=true").await;
    assert_eq!(ids(&searched), [id.as_str()], "search filters alike");
    let graphql = app
        .gql_ok(
            None,
            "{ articles(filter: {breaking: true}) { edges { node { id breaking breakingUntil expiresAt } } } }",
            json!({}),
        )
        .await;
    let node = &graphql["articles"]["edges"][0]["node"];
    assert_eq!(node["id"], id.as_str());
    assert_eq!(node["breaking"], true);
    assert_eq!(node["breakingUntil"], live["breaking_until"]);
    assert_eq!(node["expiresAt"], Value::Null);

    // Its window passes: the scheduler clears it, once, and every list knows.
    assert_eq!(app.services.end_breaking_due().await.unwrap(), vec![], "not yet");
    end_breaking(app.services.db(), &id, 1);
    let ended = app.services.end_breaking_due().await.unwrap();
    assert_eq!(ended.iter().map(ToString::to_string).collect::<Vec<_>>(), vec![id.clone()]);
    assert_eq!(app.services.end_breaking_due().await.unwrap(), vec![], "cleared once");
    let after = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(after["breaking"], false);
    assert_eq!(after["breaking_until"], Value::Null);
    assert_eq!(after["updated_at"], live["updated_at"], "the story's text did not change");
    assert_eq!(after["version"], live["version"].as_i64().unwrap() + 1);
    assert!(!ids(&app.get_json("/api/v1/articles?breaking=true").await).contains(&id.as_str()));

    // An editor opens a new window on a live story with GraphQL, and ends it with `null`.
    let opened = app
        .gql_ok(
            Some(&editor.access),
            "mutation($id: ID!, $v: Int!, $until: DateTime!) { updateArticle(id: $id, expectedVersion: $v, input: {breakingUntil: $until}) { breaking version } }",
            json!({"id": id, "v": after["version"], "until": hours(1)}),
        )
        .await;
    assert_eq!(opened["updateArticle"]["breaking"], true);
    let version = opened["updateArticle"]["version"].as_i64().unwrap().to_string();
    let closed = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&editor.access),
            Some(&format!("\"{version}\"")),
            &json!({"breaking_until": null}),
        )
        .await;
    let closed: Value = closed.json().await.unwrap();
    assert_eq!(closed["breaking"], false, "{closed}");
    assert_eq!(closed["breaking_until"], Value::Null);
}

async fn clock_times_are_checked(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let body = json!({"title": "Too late", "category": "europe", "breaking_until": hours(-1), "expires_at": hours(-1)});
    let problem = assert_problem(
        app.post("/api/v1/articles", Some(&editor.access), &body).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["breaking_until", "expires_at"], "{problem}");
    let week = json!({"title": "Too long", "category": "europe", "breaking_until": hours(169)});
    assert_problem(app.post("/api/v1/articles", Some(&editor.access), &week).await, 400, "VALIDATION_FAILED")
        .await;
    let not_a_time = json!({"title": "Garbled", "category": "europe", "expires_at": "soon"});
    assert_problem(
        app.post("/api/v1/articles", Some(&editor.access), &not_a_time).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(app.get("/api/v1/articles?breaking=maybe").await, 400, "VALIDATION_FAILED").await;

    let (_, body) = app
        .gql(
            Some(&editor.access),
            "mutation($at: DateTime!) { createArticle(input: {title: \"Late\", category: \"europe\", breakingUntil: $at}) { id } }",
            json!({"at": hours(-2)}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["fields"][0]["field"], "breakingUntil", "{body}");
}

async fn expiring_stories_leave_the_site_on_time(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let article =
        draft_with(&app, &editor, "Ferry timetable for the holidays", json!({"expires_at": hours(24)})).await;
    let id = article["id"].as_str().unwrap().to_owned();
    assert_eq!(act(&app, &editor, &id, "publish").await.status(), 200);
    let live = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(live["expires_at"], article["expires_at"]);
    assert_eq!(app.services.expire_due().await.unwrap(), vec![], "not yet");

    make_expired(app.services.db(), &id, 1);
    let expired = app.services.expire_due().await.unwrap();
    assert_eq!(expired.iter().map(ToString::to_string).collect::<Vec<_>>(), vec![id.clone()]);
    assert_eq!(app.services.expire_due().await.unwrap(), vec![], "archived once");
    assert_problem(app.get(&format!("/api/v1/articles/{id}")).await, 404, "NOT_FOUND").await;
    assert!(!ids(&app.get_json("/api/v1/articles?limit=100").await).contains(&id.as_str()));
    let kept =
        app.get_as(&format!("/api/v1/articles/{id}"), &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(kept["status"], "archived");
    assert!(kept["expires_at"].is_string(), "the expiry stays on the record");
    let (_, body) = app.gql(None, "query($id: ID!) { article(id: $id) { id } }", json!({"id": id})).await;
    assert_eq!(body["data"]["article"], Value::Null, "{body}");
}

async fn nothing_goes_live_past_its_expiry(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let article = draft_with(&app, &editor, "Polling stations open", json!({"expires_at": hours(2)})).await;
    let id = article["id"].as_str().unwrap().to_owned();
    let schedule = |at: String| {
        let (app, id, token) = (&app, id.clone(), editor.access.clone());
        async move { app.post(&format!("/api/v1/articles/{id}/schedule"), Some(&token), &json!({"at": at})).await }
    };
    let problem = assert_problem(schedule(hours(3)).await, 409, "CONFLICT").await;
    assert_eq!(problem["current_status"], "draft");
    let scheduled = schedule(hours(1)).await;
    assert_eq!(scheduled.status(), 200);
    let scheduled: Value = scheduled.json().await.unwrap();
    // Moving the expiry before the scheduled time is refused too, and nothing is kept.
    let version = format!("\"{}\"", scheduled["version"]);
    let early = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&editor.access),
            Some(&version),
            &json!({"expires_at": hours(0) }),
        )
        .await;
    assert_eq!(early.status(), 400, "now is not in the future");
    let early = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&editor.access),
            Some(&version),
            &json!({"expires_at": (Utc::now() + Duration::minutes(30)).to_rfc3339()}),
        )
        .await;
    assert_problem(early, 409, "CONFLICT").await;
    let unchanged =
        app.get_as(&format!("/api/v1/articles/{id}"), &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(unchanged["expires_at"], article["expires_at"]);
    assert_eq!(unchanged["version"], scheduled["version"]);

    // Its expiry passes before anyone publishes it: publishing is refused in both APIs.
    make_expired(app.services.db(), &id, 1);
    assert_problem(act(&app, &editor, &id, "publish").await, 409, "CONFLICT").await;
    let (_, body) = app
        .gql(
            Some(&editor.access),
            "mutation($id: ID!) { publishArticle(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "CONFLICT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["currentStatus"], "scheduled", "{body}");
    // A scheduled story is not archived by the expiry clock: it was never
    // live. When its time comes, it does not go live either: it is archived.
    assert_eq!(app.services.expire_due().await.unwrap(), vec![]);
    crate::fixtures::make_due(app.services.db(), &id, 1);
    assert_eq!(app.services.publish_due().await.unwrap(), vec![], "nothing went live");
    let archived =
        app.get_as(&format!("/api/v1/articles/{id}"), &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(archived["status"], "archived");
    assert_eq!(archived["published_at"], Value::Null);
    assert_problem(app.get(&format!("/api/v1/articles/{id}")).await, 404, "NOT_FOUND").await;
}

/// With its background tasks on, an instance ends a breaking-news window
/// and archives an expiring story by itself, within a tick of their times
/// (which exercises the scheduler's one read of every clock).
async fn the_clocks_run_on_their_own(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.background_tasks = true).await;
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let soon = (Utc::now() + Duration::milliseconds(1_500)).to_rfc3339();
    let flash =
        draft_with(&app, &editor, "Tremor felt across the coast", json!({"breaking_until": soon})).await;
    let notice = draft_with(&app, &editor, "Road closed for the marathon", json!({"expires_at": soon})).await;
    for article in [&flash, &notice] {
        assert_eq!(act(&app, &editor, article["id"].as_str().unwrap(), "publish").await.status(), 200);
    }
    let (flash, notice) = (flash["id"].as_str().unwrap(), notice["id"].as_str().unwrap());
    // The clock has to pass their times: this waits on the clock, which is
    // what is under test, and nothing else.
    eventually("the scheduler to end the window and archive the notice", || async {
        let flash = app.get_json(&format!("/api/v1/articles/{flash}")).await;
        flash["breaking_until"].is_null()
            && app.get(&format!("/api/v1/articles/{notice}")).await.status() == 404
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clocks_run_on_their_own_sqlite() {
    the_clocks_run_on_their_own(Backend::Sqlite).await;
}

crate::postgres_tests! {
    async fn the_clocks_run_on_their_own_postgres() {
        the_clocks_run_on_their_own(Backend::Postgres).await;
    }
}

on_both_backends!(
    breaking_news_is_flagged_filtered_and_ends_by_itself,
    clock_times_are_checked,
    expiring_stories_leave_the_site_on_time,
    nothing_goes_live_past_its_expiry,
);
