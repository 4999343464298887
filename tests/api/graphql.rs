//! The GraphQL API over real HTTP and WebSocket.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::{demo_slugs, make_due};
use crate::helpers::{PASSWORD, TestApp, eventually};
use crate::on_both_backends;

impl TestApp {
    /// POSTs an operation; returns the HTTP status and the body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("Accept", "application/graphql-response+json")
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// POSTs an operation that must succeed; returns its `data`.
    pub async fn gql_ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let (status, body) = self.gql(token, query, variables).await;
        assert!(status == 200 && body.get("errors").is_none(), "{status}: {body}");
        body["data"].clone()
    }
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or("<none>")
}

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id role } } }";

async fn editorial_story_through_graphql_only(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    for (email, role) in [("gq.author@example.org", "AUTHOR"), ("gq.editor@example.org", "EDITOR")] {
        app.gql_ok(
            Some(&admin.access),
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id role } }",
            json!({"i": {"email": email, "password": PASSWORD, "displayName": role, "role": role}}),
        )
        .await;
    }
    let login = |email: &'static str| {
        let app = &app;
        async move {
            let data = app.gql_ok(None, LOGIN, json!({"e": email, "p": PASSWORD})).await;
            data["login"]["accessToken"].as_str().unwrap().to_owned()
        }
    };
    let author = login("gq.author@example.org").await;
    let editor = login("gq.editor@example.org").await;

    let created = app
        .gql_ok(
            Some(&author),
            "mutation($i: CreateArticleInput!) { createArticle(input: $i) { id slug status version } }",
            json!({"i": {"title": "Tram line opens in Vessa", "summary": "Twelve stops.", "body": "The *first* tram ran today.", "category": "europe", "tags": ["energy"]}}),
        )
        .await;
    let id = created["createArticle"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["createArticle"]["status"], "DRAFT");

    let stale = app
        .gql(Some(&author), "mutation($id: ID!) { updateArticle(id: $id, expectedVersion: 9, input: {summary: \"x\"}) { id } }", json!({"id": id}))
        .await;
    assert_eq!(code(&stale.1), "PRECONDITION_FAILED");
    app.gql_ok(Some(&author), "mutation($id: ID!) { updateArticle(id: $id, expectedVersion: 1, input: {summary: \"Twelve stops, one line.\"}) { version } }", json!({"id": id})).await;
    app.gql_ok(Some(&author), "mutation($id: ID!) { submitArticle(id: $id) { status } }", json!({"id": id}))
        .await;
    let refused = app
        .gql(Some(&author), "mutation($id: ID!) { publishArticle(id: $id) { status } }", json!({"id": id}))
        .await;
    assert_eq!(code(&refused.1), "FORBIDDEN");
    let published = app
        .gql_ok(
            Some(&editor),
            "mutation($id: ID!) { publishArticle(id: $id) { status publishedAt } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(published["publishArticle"]["status"], "PUBLISHED");
    let twice = app
        .gql(Some(&editor), "mutation($id: ID!) { publishArticle(id: $id) { status } }", json!({"id": id}))
        .await;
    assert_eq!(code(&twice.1), "CONFLICT");
    assert_eq!(twice.1["errors"][0]["extensions"]["currentStatus"], "published");

    let feed = app.gql_ok(None, "{ articles(first: 1) { nodes { id bodyHtml } } }", json!({})).await;
    assert_eq!(feed["articles"]["nodes"][0]["id"], id.as_str());
    assert!(feed["articles"]["nodes"][0]["bodyHtml"].as_str().unwrap().contains("<em>first</em>"));

    app.gql_ok(None, "mutation { register(email: \"gq.reader@example.org\", password: \"correct horse battery\", displayName: \"R\") { role } }", json!({})).await;
    let reader = login("gq.reader@example.org").await;
    let comment = app
        .gql_ok(Some(&reader), "mutation($id: ID!) { addComment(articleId: $id, body: \"Finally!\") { id body author { displayName } } }", json!({"id": id}))
        .await;
    let comment_id = comment["addComment"]["id"].as_str().unwrap().to_owned();
    let thread = app
        .gql_ok(
            None,
            "query($id: ID!) { article(id: $id) { commentCount comments(first: 10) { nodes { body } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(thread["article"]["commentCount"], 1);
    app.gql_ok(
        Some(&editor),
        "mutation($id: ID!) { hideComment(id: $id) { status } }",
        json!({"id": comment_id}),
    )
    .await;
    let thread = app
        .gql_ok(
            None,
            "query($id: ID!) { article(id: $id) { commentCount comments(first: 10) { nodes { body } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(thread["article"]["commentCount"], 0);
    assert!(thread["article"]["comments"]["nodes"].as_array().unwrap().is_empty());
    let revisions = app
        .gql_ok(
            Some(&editor),
            "query($id: ID!) { article(id: $id) { revisions { version summary editor { displayName } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(revisions["article"]["revisions"][0]["summary"], "Twelve stops.");
    let me = app.gql_ok(Some(&reader), "{ me { email role } }", json!({})).await;
    assert_eq!(me["me"]["role"], "READER");
    assert!(app.gql_ok(None, "{ me { email } }", json!({})).await["me"].is_null());
}

async fn rest_and_graphql_agree(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let rest = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let data = app
        .gql_ok(
            None,
            "query($s: String!) { article(slug: $s) { id slug title summary body bodyHtml status featured publishedAt createdAt updatedAt version readingTimeMinutes commentCount coverImage { url caption } category { id slug name } tags { slug name } authors { id displayName } } }",
            json!({"s": slug}),
        )
        .await;
    let g = &data["article"];
    for (rest_key, gql_key) in [
        ("id", "id"),
        ("slug", "slug"),
        ("title", "title"),
        ("summary", "summary"),
        ("body", "body"),
        ("body_html", "bodyHtml"),
        ("featured", "featured"),
        ("published_at", "publishedAt"),
        ("created_at", "createdAt"),
        ("updated_at", "updatedAt"),
        ("version", "version"),
        ("reading_time_minutes", "readingTimeMinutes"),
        ("comment_count", "commentCount"),
        ("cover_image", "coverImage"),
        ("category", "category"),
        ("tags", "tags"),
        ("authors", "authors"),
    ] {
        let (r, q) = (&rest[rest_key], &g[gql_key]);
        if rest_key.ends_with("_at") {
            let r: chrono::DateTime<chrono::Utc> = r.as_str().unwrap().parse().unwrap();
            let q: chrono::DateTime<chrono::Utc> = q.as_str().unwrap().parse().unwrap();
            assert_eq!(r, q, "{rest_key}");
        } else if rest_key == "authors" {
            let names = |v: &Value| {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        (
                            a["id"].clone(),
                            a["display_name"]
                                .clone()
                                .as_str()
                                .map(str::to_owned)
                                .or(a["displayName"].as_str().map(str::to_owned)),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(r), names(q));
        } else {
            assert_eq!(r, q, "{rest_key}");
        }
    }
    assert_eq!(rest["status"], "published");
    assert_eq!(g["status"], "PUBLISHED");

    // The same refusal, the same code.
    let rest_error = app.get("/api/v1/articles?limit=0").await.json::<Value>().await.unwrap();
    let gql_error = app.gql(None, "{ articles(first: 0) { nodes { id } } }", json!({})).await.1;
    assert_eq!(rest_error["code"], code(&gql_error));
    let rest_missing = app.get("/api/v1/articles/nope/comments").await.json::<Value>().await.unwrap();
    let gql_missing =
        app.gql(None, "{ article(slug: \"nope\") { comments { nodes { id } } } }", json!({})).await.1;
    assert_eq!(rest_missing["code"], "NOT_FOUND");
    assert!(gql_missing["data"]["article"].is_null());
}

const FEED: &str = "query($n: Int!) { categories { slug name } articles(first: $n) { edges { cursor node { id slug title summary publishedAt readingTimeMinutes commentCount category { slug name } tags { slug name } authors { id displayName } } } pageInfo { hasNextPage endCursor } } }";

async fn statements_do_not_grow_with_page_size(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 120, 0, 3).unwrap();
    let mut counts = Vec::new();
    for n in [5, 50, 100] {
        let before = app.queries_run().await;
        let data = app.gql_ok(None, FEED, json!({"n": n})).await;
        assert_eq!(data["articles"]["edges"].as_array().unwrap().len(), n);
        counts.push(app.queries_run().await - before);
    }
    assert_eq!(counts[0], counts[1], "{counts:?}");
    assert_eq!(counts[1], counts[2], "{counts:?}");
    assert!(counts[0] <= 6, "home feed in at most six statements: {counts:?}");

    // Bodies on a list come from one batched statement too.
    let mut with_bodies = Vec::new();
    for n in [5, 50] {
        let before = app.queries_run().await;
        app.gql_ok(None, "query($n: Int!) { articles(first: $n) { nodes { body } } }", json!({"n": n})).await;
        with_bodies.push(app.queries_run().await - before);
    }
    assert_eq!(with_bodies[0], with_bodies[1]);
}

async fn paging_through_the_feed(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 45, 0, 5).unwrap();
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .gql_ok(None, "query($a: String) { articles(first: 10, after: $a) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }", json!({"a": after}))
            .await;
        let connection = &data["articles"];
        seen.extend(connection["edges"].as_array().unwrap().iter().map(|e| e["node"]["id"].clone()));
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = connection["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 45);
    let mut unique = seen.clone();
    unique.sort_by_key(|v| v.to_string());
    unique.dedup();
    assert_eq!(unique.len(), 45);
}

async fn bad_input_is_refused_clearly_and_changes_nothing(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let (status, body) = app.gql(None, "{ articles(first: 5 { nodes { id } } }", json!({})).await;
    assert_eq!((status, code(&body)), (400, "BAD_REQUEST"), "{body}");
    let (status, body) = app.gql(None, "{ articles { nodes { nope } } }", json!({})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    let (status, body) =
        app.gql(None, "query($n: Int!) { articles(first: $n) { nodes { id } } }", json!({"n": "many"})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    let (_, body) = app.gql(None, "{ articles(first: 101) { nodes { id } } }", json!({})).await;
    assert_eq!(code(&body), "VALIDATION_FAILED");
    assert_eq!(body["errors"][0]["extensions"]["fields"][0]["field"], "first");

    // Too deep and too costly: refused before any statement runs.
    let deep = "{ articles { nodes { comments { nodes { replies { nodes { replies { nodes { replies { nodes { replies { nodes { id } } } } } } } } } } } } }";
    let before = app.queries_run().await;
    let (status, body) = app.gql(None, deep, json!({})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    let costly = "{ articles(first: 100) { nodes { comments(first: 100) { nodes { replies(first: 100) { nodes { id body } } } } } } }";
    let (status, body) = app.gql(None, costly, json!({})).await;
    assert_eq!((status, code(&body)), (400, "VALIDATION_FAILED"), "{body}");
    assert_eq!(app.queries_run().await, before, "nothing touched the database");

    // Mutations over GET run nothing.
    let tags_before = app.gql_ok(None, "{ tags { slug } }", json!({})).await;
    let mutation = "mutation { createTag(input: {name: \"Sneaky\"}) { slug } }";
    let encoded: String = form_urlencoded::byte_serialize(mutation.as_bytes()).collect();
    let response = app
        .client
        .get(app.url(&format!("/graphql?query={encoded}")))
        .bearer_auth(&editor.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    assert_eq!(app.gql_ok(None, "{ tags { slug } }", json!({})).await, tags_before);

    // Bad tokens.
    for token in ["garbage", "a.b.c"] {
        let (status, body) = app.gql(Some(token), "{ me { id } }", json!({})).await;
        assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"), "{body}");
    }
    let (_, body) =
        app.gql(None, "mutation { createTag(input: {name: \"Anon\"}) { slug } }", json!({})).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let (_, body) = app
        .gql(
            None,
            "mutation { login(email: \"nobody@example.org\", password: \"whatever12\") { accessToken } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let (_, body) = app
        .gql(
            Some(&editor.access),
            "mutation { createArticle(input: {title: \"\", category: \"atlantis\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION_FAILED");
    let fields: Vec<&str> = body["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"title"), "{body}");
    assert_eq!(app.gql_ok(None, "{ tags { slug } }", json!({})).await, tags_before);

    // Legacy clients that accept only JSON get 200 with the same errors.
    let legacy = app
        .client
        .post(app.url("/graphql"))
        .header("Accept", "application/json")
        .json(&json!({"query": "{ nope }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), 200);
    assert_eq!(legacy.headers()["content-type"], "application/json");
    let not_acceptable = app
        .client
        .post(app.url("/graphql"))
        .header("Accept", "text/csv")
        .json(&json!({"query": "{ tags { slug } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(not_acceptable.status(), 406);
}

async fn persisted_queries_and_cacheable_gets(app: TestApp) {
    app.seed_demo();
    let query = "{ categories { slug } }";
    let hash = newsdesk::graphql::persisted::sha256_hex(query);
    let extensions = json!({"persistedQuery": {"version": 1, "sha256Hash": hash}}).to_string();
    let encoded: String = form_urlencoded::byte_serialize(extensions.as_bytes()).collect();
    let path = format!("/graphql?extensions={encoded}");

    let unknown = app.get(&path).await.json::<Value>().await.unwrap();
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");
    let registered = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.json::<Value>().await.unwrap()["data"]["categories"][0]["slug"], "world");

    let cached = app.get(&path).await;
    assert_eq!(cached.status(), 200);
    assert_eq!(cached.headers()["cache-control"], "public, max-age=30");
    let etag = cached.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(cached.json::<Value>().await.unwrap()["data"]["categories"][0]["slug"], "world");
    let not_modified = app.client.get(app.url(&path)).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(not_modified.status(), 304);

    let mismatch = app.client.post(app.url("/graphql")).json(&json!({"query": "{ tags { slug } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}})).send().await.unwrap();
    assert_eq!(code(&mismatch.json::<Value>().await.unwrap()), "BAD_REQUEST");
}

async fn graphiql_works_offline(app: TestApp) {
    let page = app.client.get(app.url("/graphql")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/graphql/assets/graphiql.min.js"));
    assert!(!html.contains("unpkg") && !html.contains("cdn."), "no CDN");
    for asset in
        ["graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"]
    {
        let response = app.get(&format!("/graphql/assets/{asset}")).await;
        assert_eq!(response.status(), 200, "{asset}");
        assert!(response.bytes().await.unwrap().len() > 1000);
    }
}

/// A graphql-transport-ws client.
struct Subscriber {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Subscriber {
    async fn connect(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Self {
        let mut request =
            format!("{}/graphql/ws", app.base.replace("http://", "ws://")).into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
        let (mut socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(response.headers()["sec-websocket-protocol"], "graphql-transport-ws");
        let payload = token.map_or(json!({}), |t| json!({"Authorization": format!("Bearer {t}")}));
        socket
            .send(Message::text(json!({"type": "connection_init", "payload": payload}).to_string()))
            .await
            .unwrap();
        let ack = Self::read(&mut socket).await.expect("connection_ack");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        let listening = app.services.subscribers();
        socket
            .send(Message::text(
                json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
                    .to_string(),
            ))
            .await
            .unwrap();
        // The subscription is live once the server listens for its events.
        eventually("the server to register the subscription", || async {
            app.services.subscribers() > listening
        })
        .await;
        Self { socket }
    }

    async fn read(
        socket: &mut tokio_tungstenite::WebSocketStream<
            tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
        >,
    ) -> Option<Value> {
        loop {
            match socket.next().await? {
                Ok(Message::Text(text)) => {
                    let message: Value = serde_json::from_str(&text).unwrap();
                    if message["type"] == "ping" {
                        continue;
                    }
                    return Some(message);
                }
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// The next event, if one arrives within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<Value> {
        tokio::time::timeout(wait, Self::read(&mut self.socket)).await.ok().flatten()
    }
}

async fn publish_via_rest(app: &TestApp, editor: &str, title: &str, category: &str) -> String {
    let created = app
        .post("/api/v1/articles", Some(editor), &json!({"title": title, "category": category}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let published = app.post(&format!("/api/v1/articles/{id}/publish"), Some(editor), &json!({})).await;
    assert_eq!(published.status(), 200);
    id
}

async fn subscribers_see_publications_and_comments_live(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let mut everything = Subscriber::connect(
        &app,
        None,
        "subscription { articlePublished { slug title category { slug } } }",
        json!({}),
    )
    .await;
    let mut science = Subscriber::connect(
        &app,
        None,
        "subscription($c: String) { articlePublished(category: $c) { slug } }",
        json!({"c": "science"}),
    )
    .await;

    publish_via_rest(&app, &editor.access, "Bridge reopens in Kavos", "europe").await;
    let event = everything.next(Duration::from_secs(5)).await.expect("an event");
    assert_eq!(event["type"], "next");
    assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "bridge-reopens-in-kavos");
    assert!(
        science.next(Duration::from_millis(700)).await.is_none(),
        "a section filter keeps other sections out"
    );

    publish_via_rest(&app, &editor.access, "Probe reaches the outer belt", "space").await;
    let event = science.next(Duration::from_secs(5)).await.expect("sub-sections are included");
    assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "probe-reaches-the-outer-belt");

    // A scheduled article going live is announced too.
    let scheduled = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Comet visible tonight", "category": "science"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = scheduled["id"].as_str().unwrap();
    let at = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let response =
        app.post(&format!("/api/v1/articles/{id}/schedule"), Some(&editor.access), &json!({"at": at})).await;
    assert_eq!(response.status(), 200);
    make_due(app.services.db(), id, 1);
    assert_eq!(app.services.publish_due().await.unwrap().len(), 1);
    let event = science.next(Duration::from_secs(5)).await.expect("the scheduled article, live");
    assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "comet-visible-tonight");

    // Comments, with a signed-in subscriber.
    let slug = demo_slugs("published")[0].clone();
    let article_id =
        app.get_json(&format!("/api/v1/articles/{slug}")).await["id"].as_str().unwrap().to_owned();
    let reader = app.sign_in_as("reader").await;
    let mut comments = Subscriber::connect(
        &app,
        Some(&reader.access),
        "subscription($a: ID!) { commentAdded(articleId: $a) { body author { displayName } } }",
        json!({"a": article_id}),
    )
    .await;
    app.post(&format!("/api/v1/articles/{slug}/comments"), Some(&reader.access), &json!({"body": "Live!"}))
        .await;
    let event = comments.next(Duration::from_secs(5)).await.expect("a comment event");
    assert_eq!(event["payload"]["data"]["commentAdded"]["body"], "Live!");
}

async fn websocket_refuses_bad_tokens(app: TestApp) {
    let mut request =
        format!("{}/graphql/ws", app.base.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    socket
        .send(Message::text(
            json!({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}}).to_string(),
        ))
        .await
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), socket.next()).await.unwrap();
    match reply {
        // The connection closes, saying why; no subscription can start.
        Some(Ok(Message::Close(Some(frame)))) => assert!(frame.reason.contains("access token"), "{frame:?}"),
        Some(Ok(Message::Text(text))) => panic!("unexpected acceptance: {text}"),
        other => panic!("expected a close: {other:?}"),
    }
}

/// Input members left out keep their value; an explicit `null` clears it.
async fn null_clears_and_absence_keeps(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let token = Some(editor.access.as_str());
    let europe = app.gql_ok(None, "{ category(slug: \"europe\") { id parent { slug } } }", json!({})).await;
    assert_eq!(europe["category"]["parent"]["slug"], "world");
    let id = europe["category"]["id"].clone();
    let update = "mutation($id: ID!, $input: UpdateCategoryInput!) { updateCategory(id: $id, input: $input) { name parent { slug } } }";

    let renamed = app.gql_ok(token, update, json!({"id": id, "input": {"name": "Europe & Eurasia"}})).await;
    assert_eq!(renamed["updateCategory"]["parent"]["slug"], "world", "absent: kept");
    let moved = app.gql_ok(token, update, json!({"id": id, "input": {"parent": null}})).await;
    assert_eq!(moved["updateCategory"]["name"], "Europe & Eurasia");
    assert!(moved["updateCategory"]["parent"].is_null(), "null: moved to the top level");

    let created = app
        .gql_ok(
            token,
            "mutation($input: CreateArticleInput!) { createArticle(input: $input) { id version } }",
            json!({"input": {"title": "Cover story", "category": "world",
                             "coverImage": {"url": "https://img.example/c.jpg", "caption": "A cover"}}}),
        )
        .await;
    let (article, version) =
        (created["createArticle"]["id"].clone(), created["createArticle"]["version"].clone());
    let edit = "mutation($id: ID!, $v: Int!, $input: UpdateArticleInput!) { updateArticle(id: $id, expectedVersion: $v, input: $input) { version coverImage { url } } }";
    let kept = app
        .gql_ok(token, edit, json!({"id": article, "v": version, "input": {"title": "Cover story, updated"}}))
        .await;
    assert_eq!(kept["updateArticle"]["coverImage"]["url"], "https://img.example/c.jpg", "absent: kept");
    let version = kept["updateArticle"]["version"].clone();
    let removed =
        app.gql_ok(token, edit, json!({"id": article, "v": version, "input": {"coverImage": null}})).await;
    assert!(removed["updateArticle"]["coverImage"].is_null(), "null: removed");
}

on_both_backends!(
    null_clears_and_absence_keeps,
    editorial_story_through_graphql_only,
    rest_and_graphql_agree,
    statements_do_not_grow_with_page_size,
    paging_through_the_feed,
    bad_input_is_refused_clearly_and_changes_nothing,
    persisted_queries_and_cacheable_gets,
    graphiql_works_offline,
    subscribers_see_publications_and_comments_live,
    websocket_refuses_bad_tokens,
);

crate::postgres_tests! {
    /// A subscriber on one instance hears of a publication made on another.
    async fn subscriptions_span_instances_postgres() {
        let first = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let mut subscriber =
            Subscriber::connect(&second, None, "subscription { articlePublished { slug } }", json!({})).await;
        let editor = first.sign_in_as("editor").await;
        publish_via_rest(&first, &editor.access, "Harbour pilots strike ends", "europe").await;
        let event = subscriber.next(Duration::from_secs(5)).await.expect("the event crossed instances");
        assert_eq!(event["payload"]["data"]["articlePublished"]["slug"], "harbour-pilots-strike-ends");
        assert!(subscriber.next(Duration::from_millis(500)).await.is_none(), "and arrived once");
    }
}

crate::postgres_tests! {
    /// A comment posted on one instance reaches a subscriber on another, once,
    /// and a refused comment (its transaction rolled back) reaches nobody.
    async fn comment_events_span_instances_postgres() {
        let first = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        first.seed_demo();
        let second = TestApp::attach(&first).await;
        let slug = demo_slugs("published")[0].clone();
        let article_id =
            first.get_json(&format!("/api/v1/articles/{slug}")).await["id"].as_str().unwrap().to_owned();
        let mut subscriber = Subscriber::connect(
            &second,
            None,
            "subscription($a: ID!) { commentAdded(articleId: $a) { body } }",
            json!({"a": article_id}),
        )
        .await;
        let reader = first.sign_in_as("reader").await;
        let refused = first
            .post(
                &format!("/api/v1/articles/{slug}/comments"),
                Some(&reader.access),
                &json!({"body": "A reply to nothing", "parent_id": uuid::Uuid::now_v7().to_string()}),
            )
            .await;
        assert_eq!(refused.status(), 400);
        let posted = first
            .post(&format!("/api/v1/articles/{slug}/comments"), Some(&reader.access), &json!({"body": "Across"}))
            .await;
        assert_eq!(posted.status(), 201);
        let event = subscriber.next(Duration::from_secs(5)).await.expect("the event crossed instances");
        assert_eq!(event["payload"]["data"]["commentAdded"]["body"], "Across");
        assert!(subscriber.next(Duration::from_millis(500)).await.is_none(), "and arrived once");
    }
}
