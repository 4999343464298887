//! Snapshot tests of the API's response shapes: a representative body of
//! every REST route and of the main GraphQL operations, with the status and
//! the headers that are part of the contract. A change to what a client
//! receives shows up as a diff of a file under `snapshots/`.
//!
//! Every snapshot has an explicit name, so the SQLite and PostgreSQL variants
//! of a test compare against the same file: both engines must answer alike.
//! Values that differ from run to run (ids, times, tokens, cursors, content
//! hashes) are replaced by placeholders; a null stays null, so a field that
//! turns from null to set (or back) still shows.
//!
//! After an intended change, rewrite the snapshots on SQLite with
//! `INSTA_UPDATE=always cargo test --test api shapes` (or `cargo insta
//! review`), check that PostgreSQL agrees (the same run with
//! `NEWSDESK_TEST_POSTGRES_URL` set and without `INSTA_UPDATE`), review the
//! diff and commit it. In CI (`CI` set) a mismatch fails and nothing is written.

use reqwest::Response;
use serde_json::{Map, Value, json};

use crate::helpers::{Session, TestApp};

mod articles;
mod auth;
mod comments;
mod graphql;
mod graphql_mutations;
mod problems;
mod taxonomy;

/// Asserts a value, redacted, against the snapshot `name` (one file per
/// name in `snapshots/`, shared by both engines), with keys sorted.
/// `what` says which route or operation it is, in the snapshot's header.
#[macro_export]
macro_rules! assert_shape {
    ($name:literal, $what:expr, $value:expr) => {{
        let shape = $crate::shapes::redact($value);
        insta::with_settings!(
            {
                sort_maps => true,
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => $what,
            },
            { insta::assert_json_snapshot!($name, shape) }
        );
    }};
}

/// The headers that are part of the contract, when present. (`Date`,
/// `Content-Length` and the request id vary, and say nothing of the shape.)
const CONTRACT_HEADERS: [&str; 9] = [
    "allow",
    "cache-control",
    "content-type",
    "etag",
    "link",
    "location",
    "retry-after",
    "vary",
    "www-authenticate",
];

/// A response as the snapshot shows it: `{status, headers, body}`; `body` is
/// left out when empty (a 204), and is a string when not JSON.
pub async fn exchange(response: Response) -> Value {
    let status = response.status().as_u16();
    let mut headers = Map::new();
    for name in CONTRACT_HEADERS {
        let values: Vec<&str> =
            response.headers().get_all(name).iter().map(|v| v.to_str().unwrap_or("<not text>")).collect();
        if !values.is_empty() {
            headers.insert(name.to_owned(), Value::from(values.join(", ")));
        }
    }
    let text = response.text().await.expect("body");
    let mut shape = json!({"status": status, "headers": headers});
    if !text.is_empty() {
        shape["body"] = serde_json::from_str(&text).unwrap_or(Value::String(text));
    }
    shape
}

/// Replaces what differs from run to run by placeholders, by key name, and
/// only where the value has the expected form (so a malformed id or time
/// would show, and fail): ids → `[id]`, times → `[time]`, tokens →
/// `[token]`, cursors → `[cursor]`; a null stays null. In every other
/// string, embedded ids become `[id]`, and in headers content hashes
/// `[hash]`, cursors `[cursor]` and waiting times `[seconds]`.
pub fn redact(value: Value) -> Value {
    redact_in(None, value)
}

fn redact_in(key: Option<&str>, value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k.clone(), redact_in(Some(&k), v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| redact_in(key, v)).collect()),
        Value::String(text) => Value::String(redact_string(key.unwrap_or(""), text)),
        other => other,
    }
}

fn is_id_key(key: &str) -> bool {
    key == "id" || key.ends_with("_id") || key.ends_with("Id")
}

fn is_time_key(key: &str) -> bool {
    // `datePublished`, `dateModified`: schema.org's names, in structured data.
    key.ends_with("_at") || key.ends_with("At") || key.starts_with("date")
}

fn redact_string(key: &str, text: String) -> String {
    match key {
        k if is_id_key(k) && uuid::Uuid::try_parse(&text).is_ok() => "[id]".to_owned(),
        k if is_time_key(k) && chrono::DateTime::parse_from_rfc3339(&text).is_ok() => "[time]".to_owned(),
        "access_token" | "refresh_token" | "accessToken" | "refreshToken" | "token" if !text.is_empty() => {
            "[token]".to_owned()
        }
        "next_cursor" | "cursor" | "endCursor" | "startCursor" if !text.is_empty() => "[cursor]".to_owned(),
        "etag" => replace_hashes(&text),
        "link" => replace_uuids(&replace_cursor_parameter(&text)),
        "retry-after" if text.parse::<u64>().is_ok() => "[seconds]".to_owned(),
        _ => replace_uuids(&text),
    }
}

/// Every hyphenated UUID inside `text` → `[id]`.
fn replace_uuids(text: &str) -> String {
    const LEN: usize = 36;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() >= LEN
            && rest.is_char_boundary(LEN)
            && rest.as_bytes()[8] == b'-'
            && uuid::Uuid::try_parse(&rest[..LEN]).is_ok()
        {
            out.push_str("[id]");
            rest = &rest[LEN..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Runs of exactly 16 hex digits (the content hash of an ETag) → `[hash]`.
fn replace_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 16 {
            out.push_str("[hash]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The value of a `cursor=` query parameter (in a `Link` header) → `[cursor]`.
fn replace_cursor_parameter(text: &str) -> String {
    let Some(start) = text.find("cursor=").map(|i| i + "cursor=".len()) else {
        return text.to_owned();
    };
    let end = text[start..].find(['&', '>']).map_or(text.len(), |i| start + i);
    format!("{}[cursor]{}", &text[..start], &text[end..])
}

/// A small newsroom with fixed names, the same on every run: four accounts,
/// three sections (World › Europe, Science), two tags and three published
/// articles, oldest first: energy cap, night trains, probe.
pub struct Newsroom {
    pub admin: Session,
    pub editor: Session,
    pub author: Session,
    pub reader: Session,
    /// The published articles' ids, oldest first.
    pub articles: Vec<String>,
}

pub const ENERGY: &str = "ministers-agree-winter-energy-price-cap";

impl Newsroom {
    pub async fn open(app: &TestApp) -> Newsroom {
        let admin = account(app, "admin", "Ada Admin").await;
        let editor = account(app, "editor", "Eda Editor").await;
        let author = account(app, "author", "Ines Carvalho").await;
        let reader = account(app, "reader", "Rui Reader").await;
        for section in [
            json!({"name": "World", "description": "International news."}),
            json!({"name": "Europe", "description": "The continent.", "parent": "world"}),
            json!({"name": "Science", "description": "Research and discoveries."}),
        ] {
            created(app.post("/api/v1/categories", Some(&editor.access), &section).await).await;
        }
        for tag in ["Energy", "Transport"] {
            created(app.post("/api/v1/tags", Some(&editor.access), &json!({"name": tag})).await).await;
        }
        let mut articles = Vec::new();
        for article in [
            json!({"title": "Ministers agree winter energy price cap", "summary": "Bills held at last year's level.",
                   "body": "The cap holds **until March**.\n\nSee [the decree](https://gov.example/decree).",
                   "category": "europe", "tags": ["energy"], "featured": true,
                   "cover_image": {"url": "https://images.example.org/cap.jpg", "caption": "The ministry. Photo: A. Moreau"}}),
            json!({"title": "Night trains return to the Alps", "summary": "Three routes from December.",
                   "body": "Sleeper services *resume* on three routes.", "category": "europe",
                   "tags": ["transport", "energy"]}),
            json!({"title": "Probe reaches the outer belt", "summary": "A decade in flight.",
                   "body": "The probe sent its first images.", "category": "science"}),
        ] {
            let draft = created(app.post("/api/v1/articles", Some(&author.access), &article).await).await;
            let id = draft["id"].as_str().unwrap().to_owned();
            let published =
                app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;
            assert_eq!(published.status(), 200);
            articles.push(id);
        }
        Newsroom { admin, editor, author, reader, articles }
    }
}

/// An account with a fixed address (`<role>@newsroom.test`), signed in.
async fn account(app: &TestApp, role: &str, name: &str) -> Session {
    app.sign_in_new(&format!("{role}@newsroom.test"), role, name).await
}

/// The body of a 201.
pub async fn created(response: Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

#[test]
fn redaction_keeps_nulls_and_shapes() {
    let redacted = redact(json!({
        "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "parent_id": null,
        "slug": "not-an-id",
        "published_at": "2026-01-02T03:04:05.123456Z",
        "scheduled_at": null,
        "createdAt": "yesterday",
        "refresh_token": "abc",
        "next_cursor": null,
        "detail": "comment 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b is gone",
        "etag": "W/\"v3-00ff00ff00ff00ff\"",
        "link": "</api/v1/tags?limit=2&cursor=eyJ4Ijo>; rel=\"next\"",
    }));
    assert_eq!(
        redacted,
        json!({
            "id": "[id]",
            "parent_id": null,
            "slug": "not-an-id",
            "published_at": "[time]",
            "scheduled_at": null,
            "createdAt": "yesterday",
            "refresh_token": "[token]",
            "next_cursor": null,
            "detail": "comment [id] is gone",
            "etag": "W/\"v3-[hash]\"",
            "link": "</api/v1/tags?limit=2&cursor=[cursor]>; rel=\"next\"",
        })
    );
}

/// A GraphQL operation over POST, as the GraphQL-over-HTTP spec's media type
/// asks, as a `{status, headers, body}` exchange.
pub async fn graphql(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("Accept", "application/graphql-response+json")
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    exchange(request.send().await.unwrap()).await
}
