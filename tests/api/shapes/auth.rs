//! Shapes of `/auth`, `/me`, `/users`, the probes and `/metrics`.

use serde_json::json;

use super::{Newsroom, exchange};
use crate::helpers::{PASSWORD, TestApp};
use crate::{assert_shape, on_both_backends};

async fn signing_up_in_and_out(app: TestApp) {
    let registered = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "lena@newsroom.test", "password": PASSWORD, "display_name": "Lena Park"}),
        )
        .await;
    assert_shape!("auth_register", "POST /api/v1/auth/register", exchange(registered).await);

    let login = app
        .post("/api/v1/auth/login", None, &json!({"email": "lena@newsroom.test", "password": PASSWORD}))
        .await;
    let login = exchange(login).await;
    let refresh_token = login["body"]["refresh_token"].as_str().unwrap().to_owned();
    let access_token = login["body"]["access_token"].as_str().unwrap().to_owned();
    assert_shape!("auth_login", "POST /api/v1/auth/login", login);

    let me = app.get_as("/api/v1/me", &access_token).await;
    assert_shape!("auth_me", "GET /api/v1/me", exchange(me).await);

    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": refresh_token})).await;
    let refreshed = exchange(refreshed).await;
    let refresh_token = refreshed["body"]["refresh_token"].as_str().unwrap().to_owned();
    assert_shape!("auth_refresh", "POST /api/v1/auth/refresh", refreshed);

    let logout = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": refresh_token})).await;
    assert_shape!("auth_logout", "POST /api/v1/auth/logout", exchange(logout).await);
}

async fn administering_accounts(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let admin = &newsroom.admin.access;

    // Oldest first: admin, editor, author, reader; two a page.
    let list = app.get_as("/api/v1/users?limit=2", admin).await;
    assert_shape!("users_list", "GET /api/v1/users?limit=2", exchange(list).await);

    let created = app
        .post(
            "/api/v1/users",
            Some(admin),
            &json!({"email": "mara@newsroom.test", "password": PASSWORD, "display_name": "Mara Lind",
                    "bio": "Covers the Nordics.", "role": "editor"}),
        )
        .await;
    let created = exchange(created).await;
    let id = created["body"]["id"].as_str().unwrap().to_owned();
    assert_shape!("users_create", "POST /api/v1/users", created);

    let one = app.get_as(&format!("/api/v1/users/{id}"), admin).await;
    assert_shape!("users_get", "GET /api/v1/users/{id}", exchange(one).await);

    let changed = app
        .patch(
            &format!("/api/v1/users/{id}"),
            Some(admin),
            None,
            &json!({"role": "author", "disabled": true, "display_name": "Mara Lind-Berg"}),
        )
        .await;
    assert_shape!("users_update", "PATCH /api/v1/users/{id}", exchange(changed).await);
}

/// A reader's own account: the profile, their data, a new password; an
/// admin's reset link; and the account deleted.
async fn own_accounts(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let reader = &newsroom.reader.access;
    let path = format!("/api/v1/articles/{}/comments", newsroom.articles[0]);
    let said = app.post(&path, Some(reader), &json!({"body": "Well reported."})).await;
    assert_eq!(said.status(), 201);

    let edited =
        app.patch("/api/v1/me", Some(reader), None, &json!({"bio": "Reads everything twice."})).await;
    assert_shape!("me_update", "PATCH /api/v1/me", exchange(edited).await);
    let export = app.get_as("/api/v1/me/export", reader).await;
    assert_shape!("me_export", "GET /api/v1/me/export", exchange(export).await);
    let changed = app
        .post(
            "/api/v1/me/password",
            Some(reader),
            &json!({"current_password": PASSWORD, "new_password": "a new secret, longer"}),
        )
        .await;
    assert_shape!("me_password", "POST /api/v1/me/password", exchange(changed).await);

    let issued = app
        .post(
            &format!("/api/v1/users/{}/password-reset", newsroom.reader.id),
            Some(&newsroom.admin.access),
            &json!({}),
        )
        .await;
    let issued = exchange(issued).await;
    let token = issued["body"]["token"].as_str().unwrap().to_owned();
    assert_shape!("users_password_reset", "POST /api/v1/users/{id}/password-reset", issued);
    let reset = app
        .post("/api/v1/auth/password-reset", None, &json!({"token": token, "new_password": PASSWORD}))
        .await;
    assert_shape!("auth_password_reset", "POST /api/v1/auth/password-reset", exchange(reset).await);

    let session = app.login(&newsroom.reader.email, PASSWORD).await;
    let deleted = app
        .client
        .delete(app.url("/api/v1/me"))
        .bearer_auth(&session.access)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_shape!("me_delete", "DELETE /api/v1/me", exchange(deleted).await);
}

async fn probes(app: TestApp) {
    assert_shape!("healthz", "GET /healthz", exchange(app.get("/healthz").await).await);
    assert_shape!("readyz", "GET /readyz", exchange(app.get("/readyz").await).await);

    // Prometheus text, a line each; the counts vary, the series do not.
    let mut metrics = exchange(app.get("/metrics").await).await;
    let lines: Vec<String> = metrics["body"]
        .as_str()
        .unwrap()
        .lines()
        .map(|line| match line.rsplit_once(' ') {
            Some((series, value)) if !line.starts_with('#') && value.parse::<f64>().is_ok() => {
                format!("{series} [n]")
            }
            _ => line.to_owned(),
        })
        .collect();
    metrics["body"] = json!(lines);
    assert_shape!("metrics", "GET /metrics", metrics);
}

on_both_backends!(signing_up_in_and_out, administering_accounts, own_accounts, probes);
