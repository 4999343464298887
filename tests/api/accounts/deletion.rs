//! Deleting one's account: comments stay as tombstones, nothing personal
//! stays, no sign-in survives.

use serde_json::{Value, json};

use super::{audited, can_sign_in, comment, delete_me, refreshes, refused_field, signed_in};
use crate::helpers::{PASSWORD, TestApp, assert_problem};
use crate::on_both_backends;

async fn comment_count(app: &TestApp, slug: &str) -> i64 {
    app.get_json(&format!("/api/v1/articles/{slug}")).await["comment_count"].as_i64().unwrap()
}

async fn readers_delete_their_accounts(app: TestApp) {
    app.seed_demo();
    let (admin, editor) = (app.sign_in_as("admin").await, app.sign_in_as("editor").await);
    let (leaving, staying) = (app.sign_in_as("reader").await, app.sign_in_as("reader").await);
    let second_device = app.login(&leaving.email, PASSWORD).await;
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let before = comment_count(&app, &slug).await;
    let said = comment(&app, &leaving, &slug, "My name is on this.", None).await;
    let said_id = said["id"].as_str().unwrap();
    let hidden = comment(&app, &leaving, &slug, "Something rude.", None).await;
    let hidden_id = hidden["id"].as_str().unwrap();
    let hide =
        app.post(&format!("/api/v1/comments/{hidden_id}/hide"), Some(&editor.access), &json!({})).await;
    assert_eq!(hide.status(), 200);
    let reply = comment(&app, &staying, &slug, "I disagree.", Some(said_id)).await;
    let reported = app
        .post(
            &format!("/api/v1/comments/{}/reports", reply["id"].as_str().unwrap()),
            Some(&leaving.access),
            &json!({"reason": "abuse", "note": "Written about me, by name."}),
        )
        .await;
    assert_eq!(reported.status(), 201);
    assert_eq!(comment_count(&app, &slug).await, before + 2);

    // Refusals change nothing.
    assert_problem(delete_me(&app, Some(&editor.access), PASSWORD).await, 403, "FORBIDDEN").await;
    assert_problem(delete_me(&app, Some(&admin.access), PASSWORD).await, 403, "FORBIDDEN").await;
    refused_field(delete_me(&app, Some(&leaving.access), "not my password").await, "password").await;
    assert_problem(delete_me(&app, None, PASSWORD).await, 401, "UNAUTHENTICATED").await;
    let no_body = app.delete("/api/v1/me", Some(&leaving.access)).await;
    assert_eq!(no_body.status(), 400);
    assert!(signed_in(&app, &leaving).await);

    assert_eq!(delete_me(&app, Some(&leaving.access), PASSWORD).await.status(), 204);

    // No sign-in survives, and the address and password open nothing.
    assert!(!signed_in(&app, &leaving).await && !signed_in(&app, &second_device).await);
    assert!(!refreshes(&app, &second_device).await);
    assert!(!can_sign_in(&app, &leaving.email, PASSWORD).await);

    // The comments stay in the thread as tombstones; the replies stay too.
    let thread = app.get_json(&format!("/api/v1/articles/{slug}/comments?limit=100")).await;
    let find = |id: &Value| thread["data"].as_array().unwrap().iter().find(|c| c["id"] == *id).cloned();
    let tombstone = find(&said["id"]).expect("the tombstone stays in the thread");
    assert_eq!(
        (tombstone["status"].as_str(), &tombstone["body"], &tombstone["author"]),
        (Some("deleted"), &Value::Null, &Value::Null)
    );
    assert_eq!(tombstone["reply_count"], 1);
    assert!(find(&hidden["id"]).is_none(), "a hidden comment stays out of public view");
    let replies = app.get_json(&format!("/api/v1/articles/{slug}/comments?parent={said_id}")).await;
    assert_eq!(replies["data"][0]["id"], reply["id"], "{replies}");
    assert_eq!(comment_count(&app, &slug).await, before + 1, "only the reply still counts");
    let hidden_in_staff_view: Value =
        app.get_as(&format!("/api/v1/comments/{hidden_id}"), &editor.access).await.json().await.unwrap();
    assert_eq!(hidden_in_staff_view["status"], "hidden", "{hidden_in_staff_view}");
    assert_eq!(hidden_in_staff_view["body"], Value::Null, "its text is gone for editors too");

    // Their report still counts; the account is gone from administration.
    let queue: Value = app.get_as("/api/v1/moderation/queue", &editor.access).await.json().await.unwrap();
    let entry = queue["data"].as_array().unwrap().iter().find(|e| e["comment"]["id"] == reply["id"]).cloned();
    assert_eq!(entry.expect("still reported")["report_count"], 1);
    let account = format!("/api/v1/users/{}", leaving.id);
    assert_problem(app.get_as(&account, &admin.access).await, 404, "NOT_FOUND").await;
    let patched = app.patch(&account, Some(&admin.access), None, &json!({"disabled": false})).await;
    assert_problem(patched, 404, "NOT_FOUND").await;
    let reset = app.post(&format!("{account}/password-reset"), Some(&admin.access), &json!({})).await;
    assert_problem(reset, 404, "NOT_FOUND").await;
    let users: Value = app.get_as("/api/v1/users?limit=100", &admin.access).await.json().await.unwrap();
    assert!(users["data"].as_array().unwrap().iter().all(|u| u["id"] != leaving.id.as_str()), "{users}");
    assert!(users.to_string().find(&leaving.email).is_none());
    assert_eq!(audited(&app, &admin, "account_delete", &leaving.id).await, 1);

    // The address is free: signing up with it makes a new account.
    let again = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": leaving.email, "password": PASSWORD, "display_name": "Back"}),
        )
        .await;
    assert_eq!(again.status(), 202);
    let back = app.login(&leaving.email, PASSWORD).await;
    assert_ne!(back.id, leaving.id);
    let export: Value = app.get_as("/api/v1/me/export", &back.access).await.json().await.unwrap();
    assert_eq!((export["comments"].clone(), export["reports"].clone()), (json!([]), json!([])));
}

/// A story in the trash keeps no comment of a deleted account: restored,
/// it shows their comment as a tombstone, its count without it.
async fn the_trash_forgets_deleted_accounts_too(app: TestApp) {
    app.seed_demo();
    let (editor, reader) = (app.sign_in_as("editor").await, app.sign_in_as("reader").await);
    let slug = crate::fixtures::demo_slugs("published")[1].clone();
    let said = comment(&app, &reader, &slug, "Remember me?", None).await;
    let count = comment_count(&app, &slug).await;
    let article = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let id = article["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/articles/{id}"), Some(&editor.access)).await.status(), 204);

    assert_eq!(delete_me(&app, Some(&reader.access), PASSWORD).await.status(), 204);
    let trash: Value = app.get_as("/api/v1/trash", &editor.access).await.json().await.unwrap();
    assert_eq!(trash["data"][0]["comment_count"], count - 1, "{trash}");
    let restored =
        app.post(&format!("/api/v1/articles/{id}/restore"), Some(&editor.access), &json!({})).await;
    assert_eq!(restored.status(), 201);
    assert_eq!(comment_count(&app, &slug).await, count - 1);
    let thread = app.get_json(&format!("/api/v1/articles/{slug}/comments?limit=100")).await;
    let back = thread["data"].as_array().unwrap().iter().find(|c| c["id"] == said["id"]).cloned();
    let back = back.expect("the tombstone keeps its place");
    assert_eq!(
        (back["status"].as_str(), &back["body"], &back["author"]),
        (Some("deleted"), &Value::Null, &Value::Null)
    );
    assert!(!thread.to_string().contains("Remember me?"));

    // The address a deleted account keeps is nobody's to sign up with.
    let squat = app
        .post("/api/v1/auth/register", None, &json!({"email": format!("deleted:{}", reader.id), "password": PASSWORD, "display_name": "Squatter"}))
        .await;
    refused_field(squat, "email").await;
}

async fn graphql_deletes_accounts_too(app: TestApp) {
    let (reader, author) = (app.sign_in_as("reader").await, app.sign_in_as("author").await);
    let mutation = "mutation($password: String!) { deleteMe(password: $password) }";
    let (_, wrong) = app.gql(Some(&reader.access), mutation, json!({"password": "not my password"})).await;
    assert_eq!(wrong["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{wrong}");
    let (_, staff) = app.gql(Some(&author.access), mutation, json!({"password": PASSWORD})).await;
    assert_eq!(staff["errors"][0]["extensions"]["code"], "FORBIDDEN", "{staff}");
    let data = app.gql_ok(Some(&reader.access), mutation, json!({"password": PASSWORD})).await;
    assert_eq!(data["deleteMe"], true);
    let (_, after) = app.gql(Some(&reader.access), "{ me { id } }", json!({})).await;
    assert_eq!(after["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{after}");
    assert!(!can_sign_in(&app, &reader.email, PASSWORD).await);
}

on_both_backends!(
    readers_delete_their_accounts,
    the_trash_forgets_deleted_accounts_too,
    graphql_deletes_accounts_too
);
