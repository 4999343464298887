//! Changing one's password, and admins' one-time password-reset links.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::{audited, can_sign_in, refreshes, refused_field, signed_in};
use crate::helpers::{PASSWORD, TestApp, assert_problem};
use crate::on_both_backends;

const NEW_PASSWORD: &str = "staple battery horse correct";

/// With the current password, the password changes: every other sign-in
/// ends at once (access and refresh tokens), the one that asked goes on.
async fn changing_a_password_ends_the_other_sign_ins(app: TestApp) {
    let admin = app.sign_in_as("admin").await;
    let phone = app.sign_in_as("reader").await;
    let laptop = app.login(&phone.email, PASSWORD).await;
    let tablet = app.login(&phone.email, PASSWORD).await;

    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let wrong =
        app.post("/api/v1/me/password", Some(&phone.access), &change("not my password", NEW_PASSWORD)).await;
    refused_field(wrong, "current_password").await;
    let short = app.post("/api/v1/me/password", Some(&phone.access), &change(PASSWORD, "short")).await;
    refused_field(short, "new_password").await;
    let unknown = app
        .post(
            "/api/v1/me/password",
            Some(&phone.access),
            &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": 1}),
        )
        .await;
    refused_field(unknown, "confirm").await;
    assert_problem(
        app.post("/api/v1/me/password", None, &change(PASSWORD, NEW_PASSWORD)).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    assert!(signed_in(&app, &laptop).await, "a refused change ends nothing");
    assert_eq!(audited(&app, &admin, "password_change", &phone.id).await, 0);

    let changed = app.post("/api/v1/me/password", Some(&phone.access), &change(PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(changed.status(), 204);
    assert!(signed_in(&app, &phone).await, "the sign-in that asked goes on");
    assert!(!signed_in(&app, &laptop).await && !signed_in(&app, &tablet).await);
    assert!(!refreshes(&app, &laptop).await);
    assert!(refreshes(&app, &phone).await);
    assert!(!can_sign_in(&app, &phone.email, PASSWORD).await);
    assert!(can_sign_in(&app, &phone.email, NEW_PASSWORD).await);
    assert_eq!(audited(&app, &admin, "password_change", &phone.id).await, 1);

    // GraphQL: the same, from a new sign-in; the phone's ends this time.
    let desktop = app.login(&phone.email, NEW_PASSWORD).await;
    let mutation = "mutation($current: String!, $new: String!) { changePassword(currentPassword: $current, newPassword: $new) }";
    let (_, refused) =
        app.gql(Some(&desktop.access), mutation, json!({"current": PASSWORD, "new": PASSWORD})).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{refused}");
    let data =
        app.gql_ok(Some(&desktop.access), mutation, json!({"current": NEW_PASSWORD, "new": PASSWORD})).await;
    assert_eq!(data["changePassword"], true);
    assert!(signed_in(&app, &desktop).await);
    assert!(!signed_in(&app, &phone).await);
    assert!(can_sign_in(&app, &phone.email, PASSWORD).await);
}

/// An admin's reset link sets a new password once, within 24 hours; it
/// ends every sign-in of the account; a newer link replaces it.
async fn reset_links_work_once(app: TestApp) {
    let (admin, editor) = (app.sign_in_as("admin").await, app.sign_in_as("editor").await);
    let reader = app.sign_in_as("reader").await;
    let path = format!("/api/v1/users/{}/password-reset", reader.id);

    assert_problem(app.post(&path, Some(&editor.access), &json!({})).await, 403, "FORBIDDEN").await;
    assert_problem(app.post(&path, None, &json!({})).await, 401, "UNAUTHENTICATED").await;
    let nobody = format!("/api/v1/users/{}/password-reset", uuid::Uuid::now_v7());
    assert_problem(app.post(&nobody, Some(&admin.access), &json!({})).await, 404, "NOT_FOUND").await;
    assert_problem(
        app.post("/api/v1/users/not-a-uuid/password-reset", Some(&admin.access), &json!({})).await,
        404,
        "NOT_FOUND",
    )
    .await;

    let issued = app.post(&path, Some(&admin.access), &json!({})).await;
    assert_eq!(issued.status(), 201);
    assert_eq!(issued.headers()["cache-control"], "no-store");
    let first: Value = issued.json().await.unwrap();
    let expires: DateTime<Utc> = first["expires_at"].as_str().unwrap().parse().unwrap();
    let from_now = expires - Utc::now();
    assert!(from_now > Duration::hours(23) && from_now <= Duration::hours(24), "{first}");
    // A newer link replaces the first.
    let second: Value = app.post(&path, Some(&admin.access), &json!({})).await.json().await.unwrap();
    assert_ne!(first["token"], second["token"]);
    assert_eq!(audited(&app, &admin, "user_password_reset", &reader.id).await, 2);

    let reset = |token: &Value, new: &str| json!({"token": token, "new_password": new});
    let replaced = app.post("/api/v1/auth/password-reset", None, &reset(&first["token"], NEW_PASSWORD)).await;
    refused_field(replaced, "token").await;
    let unknown =
        app.post("/api/v1/auth/password-reset", None, &reset(&json!("made-up"), NEW_PASSWORD)).await;
    refused_field(unknown, "token").await;
    let short = app.post("/api/v1/auth/password-reset", None, &reset(&second["token"], "short")).await;
    refused_field(short, "new_password").await;
    assert!(signed_in(&app, &reader).await, "a refused reset ends nothing");

    let used = app.post("/api/v1/auth/password-reset", None, &reset(&second["token"], NEW_PASSWORD)).await;
    assert_eq!(used.status(), 204);
    assert!(!signed_in(&app, &reader).await && !refreshes(&app, &reader).await, "every sign-in ended");
    assert!(can_sign_in(&app, &reader.email, NEW_PASSWORD).await);
    assert!(!can_sign_in(&app, &reader.email, PASSWORD).await);
    let again = app.post("/api/v1/auth/password-reset", None, &reset(&second["token"], PASSWORD)).await;
    refused_field(again, "token").await;
    assert_eq!(audited(&app, &admin, "password_reset", &reader.id).await, 1);

    // Past its 24 hours, a link resets nothing.
    let third: Value = app.post(&path, Some(&admin.access), &json!({})).await.json().await.unwrap();
    crate::fixtures::expire_password_resets(app.services.db(), &reader.id);
    let late = app.post("/api/v1/auth/password-reset", None, &reset(&third["token"], PASSWORD)).await;
    refused_field(late, "token").await;
    assert!(can_sign_in(&app, &reader.email, NEW_PASSWORD).await);

    // GraphQL: issue and use.
    let issue = "mutation($id: ID!) { createPasswordReset(userId: $id) { token expiresAt } }";
    let (_, denied) = app.gql(Some(&editor.access), issue, json!({"id": reader.id})).await;
    assert_eq!(denied["errors"][0]["extensions"]["code"], "FORBIDDEN", "{denied}");
    let link =
        app.gql_ok(Some(&admin.access), issue, json!({"id": reader.id})).await["createPasswordReset"].clone();
    let use_it =
        "mutation($token: String!, $new: String!) { resetPassword(token: $token, newPassword: $new) }";
    let data = app.gql_ok(None, use_it, json!({"token": link["token"], "new": PASSWORD})).await;
    assert_eq!(data["resetPassword"], true);
    assert!(can_sign_in(&app, &reader.email, PASSWORD).await);
    let (_, twice) = app.gql(None, use_it, json!({"token": link["token"], "new": PASSWORD})).await;
    assert_eq!(twice["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{twice}");
}

on_both_backends!(changing_a_password_ends_the_other_sign_ins, reset_links_work_once);
