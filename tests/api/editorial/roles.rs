//! Who may write what, and bylines that follow their authors' names.

use serde_json::{Value, json};

use super::draft;
use crate::helpers::{PASSWORD, Session, TestApp};
use crate::on_both_backends;

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
        Row { action: "list trash", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "restore article", expected: [401, 403, 403, 403, 201, 201] },
        Row { action: "revisions", expected: [401, 403, 200, 404, 200, 200] },
        Row { action: "diff revision", expected: [401, 403, 200, 404, 200, 200] },
        Row { action: "restore revision", expected: [401, 403, 200, 404, 200, 200] },
        Row { action: "create preview", expected: [401, 403, 201, 404, 201, 201] },
        Row { action: "revoke preview", expected: [401, 403, 204, 404, 204, 204] },
        Row { action: "add correction", expected: [401, 403, 403, 403, 201, 201] },
        Row { action: "create collection", expected: [401, 403, 403, 403, 201, 201] },
        Row { action: "order collection", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "rename collection", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "delete collection", expected: [401, 403, 403, 403, 204, 204] },
        Row { action: "list drafts", expected: [401, 403, 200, 200, 200, 200] },
        Row { action: "create section", expected: [401, 403, 403, 403, 201, 201] },
        Row { action: "create tag", expected: [401, 403, 403, 403, 201, 201] },
        Row { action: "comment", expected: [401, 201, 201, 201, 201, 201] },
        Row { action: "hide comment", expected: [401, 403, 403, 403, 200, 200] },
        // Every caller reports the same comment once.
        Row { action: "report comment", expected: [401, 201, 201, 201, 201, 201] },
        Row { action: "view moderation queue", expected: [401, 403, 403, 403, 200, 200] },
        Row { action: "approve comment", expected: [401, 403, 403, 403, 200, 200] },
        // Whoever may edit the article: like editing the draft itself.
        Row { action: "set comments_mode", expected: [401, 403, 200, 404, 200, 200] },
        Row { action: "mark user trusted", expected: [401, 403, 403, 403, 403, 200] },
        Row { action: "list users", expected: [401, 403, 403, 403, 403, 200] },
        Row { action: "read audit log", expected: [401, 403, 403, 403, 403, 200] },
        Row { action: "issue password reset", expected: [401, 403, 403, 403, 403, 201] },
        Row { action: "edit own profile", expected: [401, 200, 200, 200, 200, 200] },
        Row { action: "change own password", expected: [401, 204, 204, 204, 204, 204] },
        Row { action: "export own data", expected: [401, 200, 200, 200, 200, 200] },
        // Last: the reader's account is gone after it. Staff accounts are closed by an admin.
        Row { action: "delete own account", expected: [401, 204, 403, 403, 403, 403] },
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
                "list trash" => match token {
                    Some(t) => app.get_as("/api/v1/trash", t).await,
                    None => app.get("/api/v1/trash").await,
                },
                "restore article" => {
                    let deleted = app.delete(&format!("/api/v1/articles/{id}"), Some(&admin.access)).await;
                    assert_eq!(deleted.status(), 204);
                    app.post(&format!("/api/v1/articles/{id}/restore"), token, &json!({})).await
                }
                "revisions" => match token {
                    Some(t) => app.get_as(&format!("/api/v1/articles/{id}/revisions"), t).await,
                    None => app.get(&format!("/api/v1/articles/{id}/revisions")).await,
                },
                "create preview" => {
                    app.post(&format!("/api/v1/articles/{id}/previews"), token, &json!({})).await
                }
                "diff revision" | "restore revision" => {
                    let edit = app
                        .patch(
                            &format!("/api/v1/articles/{id}"),
                            Some(&author.access),
                            Some("\"1\""),
                            &json!({"title": "Revised"}),
                        )
                        .await;
                    assert_eq!(edit.status(), 200);
                    let path = format!("/api/v1/articles/{id}/revisions/1");
                    match (row.action, token) {
                        ("diff revision", Some(t)) => app.get_as(&format!("{path}/diff"), t).await,
                        ("diff revision", None) => app.get(&format!("{path}/diff")).await,
                        _ => app.post(&format!("{path}/restore"), token, &json!({})).await,
                    }
                }
                "revoke preview" => {
                    let link = super::previews::share(&app, &author, id).await;
                    app.delete(&format!("/api/v1/previews/{}", link["token"].as_str().unwrap()), token).await
                }
                "add correction" => {
                    let note = json!({"kind": "correction", "text": "Matrix."});
                    app.post(&format!("/api/v1/articles/{published}/corrections"), token, &note).await
                }
                "create collection" => {
                    app.post("/api/v1/collections", token, &json!({"name": format!("List {unique}")})).await
                }
                "order collection" | "rename collection" | "delete collection" => {
                    let made = app
                        .post(
                            "/api/v1/collections",
                            Some(&admin.access),
                            &json!({"name": format!("List {unique}")}),
                        )
                        .await;
                    assert_eq!(made.status(), 201);
                    let path = format!("/api/v1/collections/list-{unique}");
                    match row.action {
                        "order collection" => {
                            app.put(
                                &format!("{path}/items"),
                                token,
                                Some("\"1\""),
                                &json!({"article_ids": [id]}),
                            )
                            .await
                        }
                        "rename collection" => {
                            app.patch(&path, token, None, &json!({"name": "Renamed"})).await
                        }
                        _ => app.delete(&path, token).await,
                    }
                }
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
                "report comment" => {
                    app.post(
                        &format!("/api/v1/comments/{comment}/reports"),
                        token,
                        &json!({"reason": "spam"}),
                    )
                    .await
                }
                "view moderation queue" => match token {
                    Some(t) => app.get_as("/api/v1/moderation/queue", t).await,
                    None => app.get("/api/v1/moderation/queue").await,
                },
                "approve comment" => {
                    // A fresh comment, reported, for every attempt: approving dismisses the report.
                    let posted = app
                        .post(
                            &format!("/api/v1/articles/{published}/comments"),
                            Some(&reader.access),
                            &json!({"body": format!("Approve me {unique}")}),
                        )
                        .await
                        .json::<Value>()
                        .await
                        .unwrap();
                    let path = format!("/api/v1/comments/{}", posted["id"].as_str().unwrap());
                    let report = app
                        .post(&format!("{path}/reports"), Some(&admin.access), &json!({"reason": "other"}))
                        .await;
                    assert_eq!(report.status(), 201);
                    app.post(&format!("{path}/approve"), token, &json!({})).await
                }
                "set comments_mode" => {
                    app.patch(
                        &format!("/api/v1/articles/{id}"),
                        token,
                        Some("\"1\""),
                        &json!({"comments_mode": "premoderated"}),
                    )
                    .await
                }
                "mark user trusted" => {
                    app.patch(&format!("/api/v1/users/{}", reader.id), token, None, &json!({"trusted": true}))
                        .await
                }
                "list users" => match token {
                    Some(t) => app.get_as("/api/v1/users", t).await,
                    None => app.get("/api/v1/users").await,
                },
                "read audit log" => match token {
                    Some(t) => app.get_as("/api/v1/audit", t).await,
                    None => app.get("/api/v1/audit").await,
                },
                "issue password reset" => {
                    app.post(&format!("/api/v1/users/{}/password-reset", reader.id), token, &json!({})).await
                }
                "edit own profile" => app.patch("/api/v1/me", token, None, &json!({"bio": unique})).await,
                // To the same password: the rows after still sign in with it.
                "change own password" => {
                    let body = json!({"current_password": PASSWORD, "new_password": PASSWORD});
                    app.post("/api/v1/me/password", token, &body).await
                }
                "export own data" => match token {
                    Some(t) => app.get_as("/api/v1/me/export", t).await,
                    None => app.get("/api/v1/me/export").await,
                },
                "delete own account" => {
                    let request =
                        app.client.delete(app.url("/api/v1/me")).json(&json!({"password": PASSWORD}));
                    match token {
                        Some(t) => request.bearer_auth(t),
                        None => request,
                    }
                    .send()
                    .await
                    .unwrap()
                }
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

/// An author an editor takes off a draft's byline has no more part in it
/// than any other author: reading, editing, submitting and its revisions
/// are 404 at once; the author now on the byline has them.
async fn taken_off_the_byline_is_taken_off_the_story(app: TestApp) {
    app.seed_demo();
    let (first, second, editor) =
        (app.sign_in_as("author").await, app.sign_in_as("author").await, app.sign_in_as("editor").await);
    let article = draft(&app, &first, "Harbour plan redrawn").await;
    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());
    let reassigned =
        app.patch(&path, Some(&editor.access), Some("\"1\""), &json!({"authors": [second.id]})).await;
    assert_eq!(reassigned.status(), 200);

    assert_eq!(app.get_as(&path, &first.access).await.status(), 404);
    assert_eq!(
        app.patch(&path, Some(&first.access), Some("\"2\""), &json!({"summary": "Mine."})).await.status(),
        404
    );
    assert_eq!(app.post(&format!("{path}/submit"), Some(&first.access), &json!({})).await.status(), 404);
    assert_eq!(app.get_as(&format!("{path}/revisions"), &first.access).await.status(), 404);
    let drafts: Value =
        app.get_as("/api/v1/articles?status=draft", &first.access).await.json().await.unwrap();
    assert!(drafts["data"].as_array().unwrap().iter().all(|a| a["id"] != article["id"]), "{drafts}");

    assert_eq!(app.get_as(&path, &second.access).await.status(), 200);
    assert_eq!(app.post(&format!("{path}/submit"), Some(&second.access), &json!({})).await.status(), 200);
}

on_both_backends!(
    role_matrix,
    bylines_follow_display_name_changes,
    taken_off_the_byline_is_taken_off_the_story
);
