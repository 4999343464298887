//! The lifecycle: moves, versions and racing edits, the schedule.

use serde_json::{Value, json};

use super::{act, draft};
use crate::fixtures::make_due;
use crate::helpers::{Backend, TestApp, assert_problem, eventually};
use crate::on_both_backends;

async fn the_whole_lifecycle(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let editor = app.sign_in_as("editor").await;
    let article = draft(&app, &author, "Harbour tolls to rise in spring").await;
    let id = article["id"].as_str().unwrap().to_owned();
    assert_eq!(article["status"], "draft");
    assert_eq!(article["slug"], "harbour-tolls-to-rise-in-spring");
    assert_eq!(article["version"], 1);
    assert!(article["body_html"].as_str().unwrap().contains("<strong>bold</strong>"));
    assert_eq!(article["authors"][0]["id"], author.id.as_str());

    // Drafts are invisible to the public.
    assert_problem(app.get(&format!("/api/v1/articles/{id}")).await, 404, "NOT_FOUND").await;
    let own = app.get_as(&format!("/api/v1/articles/{id}"), &author.access).await;
    assert_eq!(own.status(), 200);

    let submitted = act(&app, &author, &id, "submit").await;
    assert_eq!(submitted.status(), 200);
    let submitted: Value = submitted.json().await.unwrap();
    assert_eq!(submitted["status"], "in_review");
    assert_eq!(submitted["version"], 2);

    // Authors cannot publish, nor edit once submitted.
    assert_problem(act(&app, &author, &id, "publish").await, 403, "FORBIDDEN").await;
    let late_edit = app
        .patch(&format!("/api/v1/articles/{id}"), Some(&author.access), Some("\"2\""), &json!({"title": "x"}))
        .await;
    assert_problem(late_edit, 403, "FORBIDDEN").await;

    let published = act(&app, &editor, &id, "publish").await;
    assert_eq!(published.status(), 200);
    let published: Value = published.json().await.unwrap();
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());
    let feed = app.get_json("/api/v1/articles?limit=1").await;
    assert_eq!(feed["data"][0]["id"], id.as_str(), "newest in the public feed");

    let again = act(&app, &editor, &id, "publish").await;
    let problem = assert_problem(again, 409, "CONFLICT").await;
    assert_eq!(problem["current_status"], "published");

    // An editor corrects it: the old text becomes a revision.
    let fixed = app
        .patch(
            &format!("/api/v1/articles/{id}"),
            Some(&editor.access),
            Some("\"3\""),
            &json!({"title": "Harbour tolls to rise in April"}),
        )
        .await;
    assert_eq!(fixed.status(), 200);
    let etag = fixed.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\"v4-"), "{etag}");
    let revisions = app.get_as(&format!("/api/v1/articles/{id}/revisions"), &author.access).await;
    assert_eq!(revisions.status(), 200);
    let revisions: Value = revisions.json().await.unwrap();
    assert_eq!(revisions["data"].as_array().unwrap().len(), 1);
    assert_eq!(revisions["data"][0]["title"], "Harbour tolls to rise in spring");
    assert_eq!(
        revisions["data"][0]["editor"]["id"],
        editor.id.as_str(),
        "the version was last touched by the editor who published it"
    );

    let archived = act(&app, &editor, &id, "archive").await;
    assert_eq!(archived.status(), 200);
    assert_problem(app.get(&format!("/api/v1/articles/{id}")).await, 404, "NOT_FOUND").await;
    let restored = act(&app, &editor, &id, "unpublish").await;
    let restored: Value = restored.json().await.unwrap();
    assert_eq!(restored["status"], "draft");
    assert!(restored["published_at"].is_null());

    let staff_list = app.get_as("/api/v1/articles?status=draft", &editor.access).await;
    let staff_list: Value = staff_list.json().await.unwrap();
    assert!(staff_list["data"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()));

    let deleted = app.delete(&format!("/api/v1/articles/{id}"), Some(&editor.access)).await;
    assert_eq!(deleted.status(), 204);
    assert_problem(app.get_as(&format!("/api/v1/articles/{id}"), &editor.access).await, 404, "NOT_FOUND")
        .await;
}

async fn edits_need_the_current_version(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let article = draft(&app, &author, "Ferry strike called off").await;
    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());

    let missing = app.patch(&path, Some(&author.access), None, &json!({"summary": "New."})).await;
    assert_problem(missing, 428, "PRECONDITION_REQUIRED").await;
    let stale = app.patch(&path, Some(&author.access), Some("\"7\""), &json!({"summary": "New."})).await;
    assert_problem(stale, 412, "PRECONDITION_FAILED").await;
    let garbage = app.patch(&path, Some(&author.access), Some("\"abc\""), &json!({"summary": "New."})).await;
    assert_problem(garbage, 400, "VALIDATION_FAILED").await;

    // The ETag of a GET works as If-Match.
    let etag = app.get_as(&path, &author.access).await.headers()["etag"].to_str().unwrap().to_owned();
    let ok = app.patch(&path, Some(&author.access), Some(&etag), &json!({"summary": "New."})).await;
    assert_eq!(ok.status(), 200);
    let reused = app.patch(&path, Some(&author.access), Some(&etag), &json!({"summary": "Newer."})).await;
    assert_problem(reused, 412, "PRECONDITION_FAILED").await;
    let current = app.get_as(&path, &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(current["summary"], "New.", "the refused edit changed nothing");
}

async fn racing_edits_exactly_one_wins(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let article = draft(&app, &editor, "Rail link approved").await;
    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());
    for round in 0..3 {
        let version = format!("\"{}\"", round + 1);
        let (first, second) =
            (json!({"title": format!("Version A{round}")}), json!({"title": format!("Version B{round}")}));
        let (a, b) = tokio::join!(
            app.patch(&path, Some(&editor.access), Some(&version), &first),
            app.patch(&path, Some(&editor.access), Some(&version), &second),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "round {round}");
    }
    let current = app.get_as(&path, &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(current["version"], 4);
    let revisions =
        app.get_as(&format!("{path}/revisions"), &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(revisions["data"].as_array().unwrap().len(), 3, "one revision per winning edit");

    // Whichever request reads first, the write itself is conditional: an
    // update at a version that is no longer current changes nothing, even when
    // it got past the service's own check (as a racing loser does).
    use newsdesk::db::repo::articles::{ArticleChanges, update_versioned};
    let id: newsdesk::domain::ArticleId = article["id"].as_str().unwrap().parse().unwrap();
    let changes = ArticleChanges { title: Some("Lost update".into()), ..ArticleChanges::default() };
    let (stale, current_write) = app
        .services
        .db()
        .run(move |conn| {
            let stale = update_versioned(conn, id, 3, &changes)?;
            let current = update_versioned(conn, id, 4, &ArticleChanges::default())?;
            Ok((stale, current))
        })
        .await
        .unwrap();
    assert!(current_write, "the current version is written");
    assert!(!stale, "a stale version is not");
    let after = app.get_as(&path, &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(after["version"], 5);
    assert!(after["title"].as_str().unwrap().starts_with("Version "), "{after}");
}

async fn scheduled_articles_go_live_at_their_time(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let article = draft(&app, &editor, "Observatory opens to the public").await;
    let id = article["id"].as_str().unwrap().to_owned();
    let at = chrono::Utc::now() + chrono::Duration::hours(2);
    let scheduled = app
        .post(
            &format!("/api/v1/articles/{id}/schedule"),
            Some(&editor.access),
            &json!({"at": at.to_rfc3339()}),
        )
        .await;
    assert_eq!(scheduled.status(), 200);
    let scheduled: Value = scheduled.json().await.unwrap();
    assert_eq!(scheduled["status"], "scheduled");
    assert_problem(app.get(&format!("/api/v1/articles/{id}")).await, 404, "NOT_FOUND").await;

    // Before its time, the scheduler leaves it alone.
    assert_eq!(app.services.publish_due().await.unwrap(), vec![]);
    assert_problem(app.get(&format!("/api/v1/articles/{id}")).await, 404, "NOT_FOUND").await;

    // Its time comes: the next run publishes it, at that time, once.
    let due = make_due(app.services.db(), &id, 3);
    let published = app.services.publish_due().await.unwrap();
    assert_eq!(published.iter().map(ToString::to_string).collect::<Vec<_>>(), vec![id.clone()]);
    assert_eq!(app.services.publish_due().await.unwrap(), vec![], "published once");
    let live = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(live["status"], "published");
    assert_eq!(live["scheduled_at"], Value::Null);
    let published_at: chrono::DateTime<chrono::Utc> = live["published_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(published_at, due, "published at its scheduled time, not when the scheduler ran");

    let past = app
        .post(
            &format!(
                "/api/v1/articles/{}/schedule",
                draft(&app, &editor, "Too late").await["id"].as_str().unwrap()
            ),
            Some(&editor.access),
            &json!({"at": "2001-01-01T00:00:00Z"}),
        )
        .await;
    let problem = assert_problem(past, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "at");
}

/// With its background tasks on (as from the command line), an instance
/// publishes a scheduled article by itself, within a tick of its time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduler_runs_on_its_own() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.background_tasks = true).await;
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let id = draft(&app, &editor, "Night train returns").await["id"].as_str().unwrap().to_owned();
    let at = chrono::Utc::now() + chrono::Duration::milliseconds(1_500);
    let scheduled = app
        .post(
            &format!("/api/v1/articles/{id}/schedule"),
            Some(&editor.access),
            &json!({"at": at.to_rfc3339()}),
        )
        .await;
    assert_eq!(scheduled.status(), 200);
    // The clock has to pass the article's time: this waits on the clock, which
    // is what is under test, and nothing else.
    eventually("the scheduler to publish the article", || async {
        app.get(&format!("/api/v1/articles/{id}")).await.status() == 200
    })
    .await;
}

on_both_backends!(
    the_whole_lifecycle,
    edits_need_the_current_version,
    racing_edits_exactly_one_wins,
    scheduled_articles_go_live_at_their_time,
);
