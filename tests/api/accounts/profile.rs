//! Editing one's profile and downloading one's data.

use serde_json::{Value, json};

use super::{audited, comment, refused_field};
use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

/// A reader renames themselves: their account and their comments say so at
/// once (cached threads included); a bad field is a 400 that names it.
async fn readers_edit_their_profile(app: TestApp) {
    app.seed_demo();
    let (reader, admin) = (app.sign_in_as("reader").await, app.sign_in_as("admin").await);
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let posted = comment(&app, &reader, &slug, "First!", None).await;
    let thread = format!("/api/v1/articles/{slug}/comments?limit=100");
    let author_of = |thread: Value| {
        let data = thread["data"].as_array().unwrap().clone();
        data.into_iter().find(|c| c["id"] == posted["id"]).unwrap()["author"]["display_name"].clone()
    };
    assert_eq!(author_of(app.get_json(&thread).await), "Test reader");

    let changed = app
        .patch(
            "/api/v1/me",
            Some(&reader.access),
            None,
            &json!({"display_name": "Ana Ruiz", "bio": "Reads the science pages."}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let me: Value = changed.json().await.unwrap();
    assert_eq!(
        (me["display_name"].as_str(), me["bio"].as_str()),
        (Some("Ana Ruiz"), Some("Reads the science pages."))
    );
    assert_eq!(me["email"], reader.email.as_str());
    assert_eq!(author_of(app.get_json(&thread).await), "Ana Ruiz", "the cached thread is stale no more");

    // `{}` changes nothing; a left-out field stays.
    let same: Value =
        app.patch("/api/v1/me", Some(&reader.access), None, &json!({})).await.json().await.unwrap();
    assert_eq!(
        (same["display_name"].as_str(), same["bio"].as_str()),
        (Some("Ana Ruiz"), Some("Reads the science pages."))
    );
    let bio_only: Value =
        app.patch("/api/v1/me", Some(&reader.access), None, &json!({"bio": ""})).await.json().await.unwrap();
    assert_eq!((bio_only["display_name"].as_str(), bio_only["bio"].as_str()), (Some("Ana Ruiz"), Some("")));

    refused_field(
        app.patch("/api/v1/me", Some(&reader.access), None, &json!({"display_name": "  "})).await,
        "display_name",
    )
    .await;
    refused_field(
        app.patch("/api/v1/me", Some(&reader.access), None, &json!({"bio": "x".repeat(5_000)})).await,
        "bio",
    )
    .await;
    refused_field(
        app.patch("/api/v1/me", Some(&reader.access), None, &json!({"role": "admin"})).await,
        "role",
    )
    .await;
    assert_problem(
        app.patch("/api/v1/me", None, None, &json!({"bio": "Anyone?"})).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(
        audited(&app, &admin, "profile_update", &reader.id).await,
        2,
        "one entry per change, none for `{{}}`"
    );

    // GraphQL: the same rules, the same account.
    let data = app
        .gql_ok(
            Some(&reader.access),
            "mutation($input: UpdateProfileInput!) { updateMe(input: $input) { displayName bio email } }",
            json!({"input": {"displayName": "Ana R."}}),
        )
        .await;
    assert_eq!(data["updateMe"], json!({"displayName": "Ana R.", "bio": "", "email": reader.email}));
    let (_, refused) = app
        .gql(Some(&reader.access), "mutation { updateMe(input: {displayName: \"\"}) { id } }", json!({}))
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{refused}");
    let (_, anonymous) = app.gql(None, "mutation { updateMe(input: {bio: \"x\"}) { id } }", json!({})).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{anonymous}");
}

/// The export holds the account, every comment the user wrote in any
/// state (a deleted one without its text) and every report they filed,
/// and nobody else's; it is an attachment no cache keeps.
async fn users_download_their_data(app: TestApp) {
    app.seed_demo();
    let (reader, other) = (app.sign_in_as("reader").await, app.sign_in_as("reader").await);
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let kept = comment(&app, &reader, &slug, "Kept.", None).await;
    let gone = comment(&app, &reader, &slug, "Regretted.", Some(kept["id"].as_str().unwrap())).await;
    assert_eq!(
        app.delete(&format!("/api/v1/comments/{}", gone["id"].as_str().unwrap()), Some(&reader.access))
            .await
            .status(),
        204
    );
    let theirs = comment(&app, &other, &slug, "Buy cheap watches.", None).await;
    let report = app
        .post(
            &format!("/api/v1/comments/{}/reports", theirs["id"].as_str().unwrap()),
            Some(&reader.access),
            &json!({"reason": "spam", "note": "Again."}),
        )
        .await;
    assert_eq!(report.status(), 201);

    let response = app.get_as("/api/v1/me/export", &reader.access).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"newsdesk-account-{}.json\"", reader.id));
    let export: Value = response.json().await.unwrap();
    assert_eq!(export["account"]["id"], reader.id.as_str());
    assert_eq!(export["account"]["email"], reader.email.as_str());
    assert!(export["exported_at"].is_string());
    let comments = export["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2, "{export}");
    assert_eq!(
        (comments[0]["id"].clone(), comments[0]["body"].clone(), comments[0]["status"].clone()),
        (kept["id"].clone(), json!("Kept."), json!("visible"))
    );
    assert_eq!(
        (comments[1]["id"].clone(), comments[1]["body"].clone(), comments[1]["status"].clone()),
        (gone["id"].clone(), Value::Null, json!("deleted"))
    );
    assert_eq!(comments[1]["parent_id"], kept["id"]);
    let reports = export["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{export}");
    assert_eq!(
        (reports[0]["comment_id"].clone(), reports[0]["reason"].clone(), reports[0]["note"].clone()),
        (theirs["id"].clone(), json!("spam"), json!("Again."))
    );

    let others: Value = app.get_as("/api/v1/me/export", &other.access).await.json().await.unwrap();
    assert_eq!(others["comments"].as_array().unwrap().len(), 1);
    assert_eq!(others["reports"], json!([]));
    assert_problem(app.get("/api/v1/me/export").await, 401, "UNAUTHENTICATED").await;

    let data = app
        .gql_ok(
            Some(&reader.access),
            "{ accountExport { account { id } comments { id body status parentId } reports { commentId reason note } } }",
            json!({}),
        )
        .await;
    let export = &data["accountExport"];
    assert_eq!(export["account"]["id"], reader.id.as_str());
    assert_eq!(
        export["comments"][1],
        json!({"id": gone["id"], "body": null, "status": "DELETED", "parentId": kept["id"]})
    );
    assert_eq!(export["reports"][0], json!({"commentId": theirs["id"], "reason": "SPAM", "note": "Again."}));
    let (_, anonymous) = app.gql(None, "{ accountExport { exportedAt } }", json!({})).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{anonymous}");
}

on_both_backends!(readers_edit_their_profile, users_download_their_data);
