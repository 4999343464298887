//! Writing and the editorial lifecycle over REST.

use serde_json::{Value, json};

use crate::fixtures::make_due;
use crate::helpers::{Backend, Session, TestApp, assert_problem, eventually};
use crate::on_both_backends;

/// A draft by `author` in the demo's `europe` section, tagged `energy`.
async fn draft(app: &TestApp, author: &Session, title: &str) -> Value {
    let response = app
        .post(
            "/api/v1/articles",
            Some(&author.access),
            &json!({"title": title, "summary": "A standfirst.", "body": "First paragraph.\n\nSecond **bold** one.", "category": "europe", "tags": ["energy"]}),
        )
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

async fn act(app: &TestApp, who: &Session, id: &str, action: &str) -> reqwest::Response {
    let body = if action == "schedule" {
        json!({"at": (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339()})
    } else {
        json!({})
    };
    app.post(&format!("/api/v1/articles/{id}/{action}"), Some(&who.access), &body).await
}

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

async fn slugs_are_unique(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    let first = draft(&app, &author, "Budget vote delayed").await;
    let second = draft(&app, &author, "Budget vote delayed").await;
    assert_eq!(first["slug"], "budget-vote-delayed");
    assert_eq!(second["slug"], "budget-vote-delayed-2");
    let clash = app
        .post(
            "/api/v1/articles",
            Some(&author.access),
            &json!({"title": "Other", "slug": "budget-vote-delayed", "category": "europe"}),
        )
        .await;
    assert_problem(clash, 409, "CONFLICT").await;
    let rename = app
        .patch(
            &format!("/api/v1/articles/{}", second["id"].as_str().unwrap()),
            Some(&author.access),
            Some("\"1\""),
            &json!({"slug": "budget-vote-delayed"}),
        )
        .await;
    assert_problem(rename, 409, "CONFLICT").await;
}

async fn input_is_validated_field_by_field(app: TestApp) {
    app.seed_demo();
    let author = app.sign_in_as("author").await;
    for (body, field) in [
        (json!({"title": "", "category": "europe"}), "title"),
        (json!({"title": "x".repeat(201), "category": "europe"}), "title"),
        (json!({"title": "Fine", "category": "atlantis"}), "category"),
        (json!({"title": "Fine", "category": "europe", "tags": ["no-such-tag"]}), "tags"),
        (json!({"title": "Fine", "category": "europe", "tags": ["Bad Tag"]}), "tags"),
        (json!({"title": "Fine", "category": "europe", "slug": "Bad Slug"}), "slug"),
        (
            json!({"title": "Fine", "category": "europe", "cover_image": {"url": "javascript:alert(1)"}}),
            "cover_image.url",
        ),
        (json!({"title": 42, "category": "europe"}), "title"),
        (json!({"title": "Fine", "category": "europe", "tags": ["energy", 7]}), "tags[1]"),
        (json!({"title": "Fine", "category": "europe", "authors": [uuid::Uuid::now_v7()]}), "authors"),
        (json!({"title": "Fine"}), "category"),
        (
            json!({"title": "Fine", "category": "europe", "cover_image": {"caption": "no url"}}),
            "cover_image.url",
        ),
        (json!({"title": "Fine", "category": "europe", "titel": "typo"}), "titel"),
        (json!(["not", "an", "object"]), "body"),
    ] {
        let response = app.post("/api/v1/articles", Some(&author.access), &body).await;
        let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
        let fields: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{body}: {problem}");
    }
    let malformed = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&author.access)
        .header("Content-Type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, 400, "BAD_REQUEST").await;
    let not_json = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&author.access)
        .body("title=x")
        .send()
        .await
        .unwrap();
    assert_problem(not_json, 400, "BAD_REQUEST").await;
    let drafts =
        app.get_as("/api/v1/articles?status=draft", &author.access).await.json::<Value>().await.unwrap();
    assert!(drafts["data"].as_array().unwrap().is_empty(), "nothing was written");
}

async fn markup_in_text_is_never_rendered(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let response = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "<script>alert(1)</script> Tolls", "category": "europe", "body": "Hi <img src=x onerror=alert(1)> <script>steal()</script>\n\n[x](javascript:alert(1))"}),
        )
        .await;
    let article: Value = response.json().await.unwrap();
    assert_eq!(article["title"], "<script>alert(1)</script> Tolls", "titles are text, kept as typed");
    let html = article["body_html"].as_str().unwrap();
    assert!(
        !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
        "{html}"
    );
    assert_eq!(article["slug"], "script-alert-1-script-tolls");
}

/// Who may do what: every role against every write.
async fn role_matrix(app: TestApp) {
    app.seed_demo();
    let reader = app.sign_in_as("reader").await;
    let author = app.sign_in_as("author").await;
    let other_author = app.sign_in_as("author").await;
    let editor = app.sign_in_as("editor").await;
    let admin = app.sign_in_as("admin").await;
    let anonymous =
        Session { id: String::new(), email: String::new(), access: String::new(), refresh: String::new() };
    let published = crate::fixtures::demo_slugs("published")[0].clone();
    let comment = app
        .post(
            &format!("/api/v1/articles/{published}/comments"),
            Some(&reader.access),
            &json!({"body": "A reader's view."}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    struct Row {
        action: &'static str,
        expected: [u16; 6], // anonymous, reader, author (own), other author, editor, admin
    }
    let rows = [
        Row { action: "create article", expected: [401, 403, 201, 201, 201, 201] },
        // Another author's draft is not acknowledged to exist: 404, not 403.
        Row { action: "edit own draft", expected: [401, 403, 200, 404, 200, 200] },
        Row { action: "submit", expected: [401, 403, 200, 404, 200, 200] },
        Row { action: "publish", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "schedule", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "archive", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "delete article", expected: [401, 403, 403, 403, 204, 204] },
        Row { action: "revisions", expected: [401, 403, 200, 404, 200, 200] },
        Row { action: "list drafts", expected: [401, 403, 200, 200, 200, 200] },
        Row { action: "create section", expected: [401, 403, 403, 403, 201, 201] },
        Row { action: "create tag", expected: [401, 403, 403, 403, 201, 201] },
        Row { action: "comment", expected: [401, 201, 201, 201, 201, 201] },
        Row { action: "hide comment", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "list users", expected: [401, 403, 403, 403, 403, 200] },
    ];
    let callers = [&anonymous, &reader, &author, &other_author, &editor, &admin];
    for row in rows {
        for (who, expected) in callers.iter().zip(row.expected) {
            // A fresh draft by `author` for every attempt, so that attempts do not interfere.
            let article =
                draft(&app, &author, &format!("{} {}", row.action, uuid::Uuid::new_v4().simple())).await;
            let id = article["id"].as_str().unwrap();
            let token = (!who.access.is_empty()).then_some(who.access.as_str());
            let unique = uuid::Uuid::new_v4().simple().to_string();
            let response = match row.action {
                "create article" => {
                    app.post("/api/v1/articles", token, &json!({"title": "Matrix", "category": "europe"}))
                        .await
                }
                "edit own draft" => {
                    app.patch(
                        &format!("/api/v1/articles/{id}"),
                        token,
                        Some("\"1\""),
                        &json!({"summary": "Edited."}),
                    )
                    .await
                }
                "submit" | "publish" | "schedule" | "archive" => {
                    let body = if row.action == "schedule" {
                        json!({"at": (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339()})
                    } else {
                        json!({})
                    };
                    app.post(&format!("/api/v1/articles/{id}/{}", row.action), token, &body).await
                }
                "delete article" => app.delete(&format!("/api/v1/articles/{id}"), token).await,
                "revisions" => match token {
                    Some(t) => app.get_as(&format!("/api/v1/articles/{id}/revisions"), t).await,
                    None => app.get(&format!("/api/v1/articles/{id}/revisions")).await,
                },
                "list drafts" => match token {
                    Some(t) => app.get_as("/api/v1/articles?status=draft", t).await,
                    None => app.get("/api/v1/articles?status=draft").await,
                },
                "create section" => {
                    app.post("/api/v1/categories", token, &json!({"name": format!("Section {unique}")})).await
                }
                "create tag" => {
                    app.post("/api/v1/tags", token, &json!({"name": format!("Tag {unique}")})).await
                }
                "comment" => {
                    app.post(
                        &format!("/api/v1/articles/{published}/comments"),
                        token,
                        &json!({"body": "Matrix."}),
                    )
                    .await
                }
                "hide comment" => {
                    let response =
                        app.post(&format!("/api/v1/comments/{comment}/hide"), token, &json!({})).await;
                    if response.status() == 200 {
                        app.post(
                            &format!("/api/v1/comments/{comment}/unhide"),
                            Some(&admin.access),
                            &json!({}),
                        )
                        .await;
                    }
                    response
                }
                "list users" => match token {
                    Some(t) => app.get_as("/api/v1/users", t).await,
                    None => app.get("/api/v1/users").await,
                },
                other => unreachable!("{other}"),
            };
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_eq!(
                status,
                expected,
                "{} as caller #{}: {body}",
                row.action,
                callers.iter().position(|c| std::ptr::eq(*c, *who)).unwrap()
            );
        }
    }
}

async fn bylines_follow_display_name_changes(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let author = app.sign_in_as("author").await;
    let article = draft(&app, &author, "Night trains return").await;
    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());
    let renamed = app
        .patch(
            &format!("/api/v1/users/{}", author.id),
            Some(&admin.access),
            None,
            &json!({"display_name": "Ana Ruiz"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let after = app.get_as(&path, &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(after["authors"][0]["display_name"], "Ana Ruiz");
    let drafts =
        app.get_as("/api/v1/articles?status=draft", &author.access).await.json::<Value>().await.unwrap();
    assert_eq!(drafts["data"][0]["authors"][0]["display_name"], "Ana Ruiz");
}

on_both_backends!(
    bylines_follow_display_name_changes,
    the_whole_lifecycle,
    edits_need_the_current_version,
    racing_edits_exactly_one_wins,
    scheduled_articles_go_live_at_their_time,
    slugs_are_unique,
    input_is_validated_field_by_field,
    markup_in_text_is_never_rendered,
    role_matrix,
);
