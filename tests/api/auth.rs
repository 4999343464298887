//! Accounts and tokens: sign-up, sign-in, rotation, reuse detection, bad tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TEST_JWT_SECRET, TestApp, assert_problem};
use crate::on_both_backends;

async fn register_then_sign_in(app: TestApp) {
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": " Ana@Example.ORG ", "password": PASSWORD, "display_name": "Ana"}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let first: Value = response.json().await.unwrap();
    assert_eq!(first["email"], "ana@example.org");
    assert!(first.get("password").is_none() && first.get("id").is_none());

    let session = app.login("ANA@example.org", PASSWORD).await;
    let me = app.get_as("/api/v1/me", &session.access).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["role"], "reader");
    assert_eq!(me["email"], "ana@example.org");
    assert!(me.get("password").is_none() && me.get("password_hash").is_none());
    assert_problem(app.get("/api/v1/me").await, 401, "UNAUTHENTICATED").await;
}

/// Signing up with an address that has an account answers exactly as a new
/// one does, and changes nothing: sign-up never tells which addresses have
/// accounts, and nobody takes one over by signing up again.
async fn sign_up_does_not_reveal_accounts(app: TestApp) {
    let register = |email: &'static str, password: &'static str| {
        let body = json!({"email": email, "password": password, "display_name": "Someone"});
        app.client.post(app.url("/api/v1/auth/register")).json(&body).send()
    };
    let new = register("new@example.org", PASSWORD).await.unwrap();
    let taken = register("new@example.org", "another password entirely").await.unwrap();
    assert_eq!((new.status().as_u16(), taken.status().as_u16()), (202, 202));
    let headers = |r: &reqwest::Response| {
        let mut names: Vec<String> = r
            .headers()
            .keys()
            .map(|k| k.as_str().to_owned())
            .filter(|k| k != "date" && k != "x-request-id")
            .collect();
        names.sort();
        names
    };
    assert_eq!(headers(&new), headers(&taken));
    assert_eq!(new.text().await.unwrap(), taken.text().await.unwrap());
    app.login("new@example.org", PASSWORD).await;
    let takeover = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({"email": "new@example.org", "password": "another password entirely"}),
        )
        .await;
    assert_problem(takeover, 401, "UNAUTHENTICATED").await;
}

/// Addresses stored under looser rules than today's (an address literal, a
/// character no longer taken) still load and sign in: stricter rules apply
/// to new addresses, never to the accounts people have.
async fn accounts_with_older_addresses_still_sign_in(app: TestApp) {
    use newsdesk::domain::text::{Bio, DisplayName};
    use newsdesk::domain::user::NewPassword;
    use newsdesk::domain::{Email, Role, Vocabulary};
    let legacy = "old_style@127.0.0.1";
    assert!(Email::parse(legacy, "email").is_err(), "refused for new accounts");
    app.services
        .create_user_unchecked(newsdesk::service::accounts::NewUser {
            email: Email::stored(legacy),
            password: NewPassword::parse(PASSWORD, "password").unwrap(),
            display_name: DisplayName::parse("Old Timer", "display_name").unwrap(),
            bio: Bio::empty(),
            role: Role::parse_field("reader", "role").unwrap(),
        })
        .await
        .unwrap();
    let session = app.login(legacy, PASSWORD).await;
    let me: Value = app.get_as("/api/v1/me", &session.access).await.json().await.unwrap();
    assert_eq!(me["email"], legacy);
    let admin = app.sign_in_as("admin").await;
    let users = app.get_as("/api/v1/users?limit=100", &admin.access).await;
    assert_eq!(users.status(), 200, "the account list still loads");
}

async fn sign_up_input_is_checked(app: TestApp) {
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "not-an-email", "password": "short", "display_name": ""}),
        )
        .await;
    let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
    let mut fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["display_name", "email", "password"]);
    let missing = app.post("/api/v1/auth/register", None, &json!({"email": "a@b.org"})).await;
    assert_problem(missing, 400, "VALIDATION_FAILED").await;
    let extra = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "a@b.org", "password": PASSWORD, "display_name": "A", "role": "admin"}),
        )
        .await;
    assert_problem(extra, 400, "VALIDATION_FAILED").await;
}

async fn sign_in_failures_do_not_reveal_accounts(app: TestApp) {
    let known = app.sign_in_as("reader").await;
    let wrong_password = app
        .post("/api/v1/auth/login", None, &json!({"email": known.email, "password": "wrong password!"}))
        .await;
    let unknown_email = app
        .post("/api/v1/auth/login", None, &json!({"email": "nobody@example.org", "password": PASSWORD}))
        .await;
    let a = assert_problem(wrong_password, 401, "UNAUTHENTICATED").await;
    let b = assert_problem(unknown_email, 401, "UNAUTHENTICATED").await;
    assert_eq!(a["detail"], b["detail"]);
    let garbage = app.post("/api/v1/auth/login", None, &json!({"email": "x", "password": ""})).await;
    let c = assert_problem(garbage, 401, "UNAUTHENTICATED").await;
    assert_eq!(a["detail"], c["detail"]);
}

async fn refresh_tokens_rotate_and_reuse_revokes_the_family(app: TestApp) {
    let first = app.sign_in_as("author").await;
    let rotated = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first.refresh})).await;
    assert_eq!(rotated.status(), 200);
    let rotated: Value = rotated.json().await.unwrap();
    let second_refresh = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first.refresh);
    assert_eq!(rotated["token_type"], "Bearer");
    assert!(rotated["expires_in"].as_u64().unwrap() > 0);
    let me = app.get_as("/api/v1/me", rotated["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status(), 200);

    // The old token again: a replay. Both it and its successor stop working.
    let replay = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first.refresh})).await;
    assert_problem(replay, 401, "UNAUTHENTICATED").await;
    let successor = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": second_refresh})).await;
    assert_problem(successor, 401, "UNAUTHENTICATED").await;

    // Another sign-in of the same user is unaffected.
    let other = app.login(&first.email, PASSWORD).await;
    let fine = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": other.refresh})).await;
    assert_eq!(fine.status(), 200);
}

async fn logout_ends_the_sign_in(app: TestApp) {
    let session = app.sign_in_as("reader").await;
    let out = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": session.refresh})).await;
    assert_eq!(out.status(), 204);
    let refresh = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": session.refresh})).await;
    assert_problem(refresh, 401, "UNAUTHENTICATED").await;
    let again = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": session.refresh})).await;
    assert_eq!(again.status(), 204, "signing out is idempotent");
    let unknown = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": "made-up"})).await;
    assert_problem(unknown, 401, "UNAUTHENTICATED").await;
}

/// A new role or a disabled account ends the account's sign-ins: the next
/// sign-in carries the new role; a disabled account has none.
async fn disabling_and_role_changes_end_sign_ins(app: TestApp) {
    let admin = app.sign_in_as("admin").await;
    let user = app.sign_in_as("reader").await;

    let promote = app
        .patch(&format!("/api/v1/users/{}", user.id), Some(&admin.access), None, &json!({"role": "author"}))
        .await;
    assert_eq!(promote.status(), 200);
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": user.refresh})).await;
    assert_problem(refreshed, 401, "UNAUTHENTICATED").await;
    let again = app.login(&user.email, PASSWORD).await;
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": again.refresh})).await;
    let refreshed: Value = refreshed.json().await.unwrap();
    let access = refreshed["access_token"].as_str().unwrap();
    let draft = app
        .post("/api/v1/articles", Some(access), &json!({"title": "First story", "category": "general"}))
        .await;
    // The new token carries the author role: the refusal is about the input now, not the role.
    assert_problem(draft, 400, "VALIDATION_FAILED").await;

    let disable = app
        .patch(&format!("/api/v1/users/{}", user.id), Some(&admin.access), None, &json!({"disabled": true}))
        .await;
    assert_eq!(disable.status(), 200);
    let next =
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": refreshed["refresh_token"]})).await;
    assert_problem(next, 401, "UNAUTHENTICATED").await;
    let login =
        app.post("/api/v1/auth/login", None, &json!({"email": user.email, "password": PASSWORD})).await;
    assert_problem(login, 403, "FORBIDDEN").await;

    let self_demote = app
        .patch(&format!("/api/v1/users/{}", admin.id), Some(&admin.access), None, &json!({"role": "editor"}))
        .await;
    assert_problem(self_demote, 409, "CONFLICT").await;
}

fn claims(overrides: Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "sub": uuid::Uuid::now_v7().to_string(), "role": "admin", "iat": now, "exp": now + 600,
        "iss": "newsdesk", "aud": "newsdesk-api", "sid": uuid::Uuid::now_v7().to_string(),
    });
    for (key, value) in overrides.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(key);
        } else {
            claims[key] = value.clone();
        }
    }
    claims
}

fn sign(claims: &Value, secret: &[u8], alg: Algorithm) -> String {
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
}

async fn bad_tokens_are_refused_and_change_nothing(app: TestApp) {
    app.seed_demo();
    let now = chrono::Utc::now().timestamp();
    let secret = TEST_JWT_SECRET.as_bytes();
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let none_body = URL_SAFE_NO_PAD.encode(claims(json!({})).to_string());
    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            format!(
                "Bearer {}",
                sign(&claims(json!({"exp": now - 3600, "iat": now - 4200})), secret, Algorithm::HS256)
            ),
        ),
        (
            "wrong signature",
            format!(
                "Bearer {}",
                sign(&claims(json!({})), b"another-secret-another-secret-xx!", Algorithm::HS256)
            ),
        ),
        ("alg none", format!("Bearer {none_header}.{none_body}.")),
        ("other algorithm", format!("Bearer {}", sign(&claims(json!({})), secret, Algorithm::HS512))),
        (
            "wrong audience",
            format!("Bearer {}", sign(&claims(json!({"aud": "elsewhere"})), secret, Algorithm::HS256)),
        ),
        (
            "wrong issuer",
            format!("Bearer {}", sign(&claims(json!({"iss": "elsewhere"})), secret, Algorithm::HS256)),
        ),
        ("no audience", format!("Bearer {}", sign(&claims(json!({"aud": null})), secret, Algorithm::HS256))),
        (
            "issued in the future",
            format!("Bearer {}", sign(&claims(json!({"iat": now + 3600})), secret, Algorithm::HS256)),
        ),
        ("malformed header", "Bearer".to_owned()),
        ("wrong scheme", "Basic YWRtaW46YWRtaW4=".to_owned()),
        ("garbage", "Bearer not.a.token".to_owned()),
    ];
    let before = app.get_json("/api/v1/articles?limit=100").await["data"].as_array().unwrap().len();
    for (case, header) in cases {
        let response = app
            .client
            .post(app.url("/api/v1/articles"))
            .header("Authorization", header)
            .json(&json!({"title": "Forged", "category": "world"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{case}");
        assert_problem(response, 401, "UNAUTHENTICATED").await;
    }
    let tags = app
        .client
        .post(app.url("/api/v1/tags"))
        .header("Authorization", "Bearer x.y.z")
        .json(&json!({"name": "Forged"}))
        .send()
        .await
        .unwrap();
    assert_problem(tags, 401, "UNAUTHENTICATED").await;
    let after = app.get_json("/api/v1/articles?limit=100").await["data"].as_array().unwrap().len();
    assert_eq!(before, after);
    let forged_tag = app.get("/api/v1/tags/forged").await;
    assert_problem(forged_tag, 404, "NOT_FOUND").await;
}

async fn admins_manage_users(app: TestApp) {
    let admin = app.sign_in_as("admin").await;
    let editor = app.sign_in_as("editor").await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&admin.access),
            &json!({"email": "new.author@example.org", "password": PASSWORD, "display_name": "New Author", "role": "author"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["role"], "author");
    let list = app.get_as("/api/v1/users?limit=2", &admin.access).await;
    assert_eq!(list.status(), 200);
    let list: Value = list.json().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert!(list["next_cursor"].is_string());
    assert_problem(app.get_as("/api/v1/users", &editor.access).await, 403, "FORBIDDEN").await;
    let bad_role = app
        .post(
            "/api/v1/users",
            Some(&admin.access),
            &json!({"email": "x@example.org", "password": PASSWORD, "display_name": "X", "role": "root"}),
        )
        .await;
    let problem = assert_problem(bad_role, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "role");
    assert_problem(
        app.get_as(&format!("/api/v1/users/{}", uuid::Uuid::now_v7()), &admin.access).await,
        404,
        "NOT_FOUND",
    )
    .await;
}

on_both_backends!(
    register_then_sign_in,
    sign_up_does_not_reveal_accounts,
    accounts_with_older_addresses_still_sign_in,
    sign_up_input_is_checked,
    sign_in_failures_do_not_reveal_accounts,
    refresh_tokens_rotate_and_reuse_revokes_the_family,
    logout_ends_the_sign_in,
    disabling_and_role_changes_end_sign_ins,
    bad_tokens_are_refused_and_change_nothing,
    admins_manage_users,
);
