//! Queries and mutations: the editorial story, parity with REST, paging,
//! batched loading, and PATCH semantics.

use serde_json::{Value, json};

use super::code;
use crate::fixtures::demo_slugs;
use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id role } } }";

const FEED: &str = "query($n: Int!) { categories { slug name } articles(first: $n) { edges { cursor node { id slug title summary publishedAt readingTimeMinutes commentCount category { slug name } tags { slug name } authors { id displayName } } } pageInfo { hasNextPage endCursor } } }";

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

    app.gql_ok(None, "mutation { register(email: \"gq.reader@example.org\", password: \"correct horse battery\", displayName: \"R\") { email } }", json!({})).await;
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
            "query($s: String!) { article(slug: $s) { id slug title summary body bodyHtml status featured publishedAt createdAt updatedAt version readingTimeMinutes commentCount coverImage { url caption } category { id slug name url } tags { slug name url } authors { id displayName url } url seo { title description imageUrl canonicalUrl } structuredData } }",
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
        ("url", "url"),
        ("structured_data", "structuredData"),
    ] {
        let (r, q) = (&rest[rest_key], &g[gql_key]);
        if rest_key.ends_with("_at") {
            let r: chrono::DateTime<chrono::Utc> = r.as_str().unwrap().parse().unwrap();
            let q: chrono::DateTime<chrono::Utc> = q.as_str().unwrap().parse().unwrap();
            assert_eq!(r, q, "{rest_key}");
        } else if rest_key == "cover_image" {
            // REST lists every member; GraphQL what was asked for.
            for (member, field) in [("url", "url"), ("caption", "caption")] {
                assert_eq!(r[member], q[field], "cover_image.{member}");
            }
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
    for (rest_key, gql_key) in [
        ("title", "title"),
        ("description", "description"),
        ("image_url", "imageUrl"),
        ("canonical_url", "canonicalUrl"),
    ] {
        assert_eq!(rest["seo"][rest_key], g["seo"][gql_key], "seo.{rest_key}");
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

/// Lists inside lists (comments of articles, replies of comments, articles
/// of sections, revisions) are loaded for the whole page at once: the
/// statements a request runs do not grow with the page.
async fn nested_lists_load_in_batches(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 60, 900, 7).unwrap();
    let threads = "query($n: Int!) { articles(first: $n) { nodes { slug commentCount \
                   comments(first: 3) { nodes { body replies(first: 3) { nodes { body } } } pageInfo { hasNextPage } } } } }";
    let mut counts = Vec::new();
    let mut replies_seen = 0;
    for n in [5, 50] {
        let before = app.queries_run().await;
        let data = app.gql_ok(None, threads, json!({"n": n})).await;
        counts.push(app.queries_run().await - before);
        let articles = data["articles"]["nodes"].as_array().unwrap();
        assert_eq!(articles.len(), n);
        for article in articles {
            let comments = article["comments"]["nodes"].as_array().unwrap();
            assert!(comments.len() <= 3);
            replies_seen +=
                comments.iter().map(|c| c["replies"]["nodes"].as_array().unwrap().len()).sum::<usize>();
        }
    }
    assert!(replies_seen > 0, "the data set has replies to load");
    assert_eq!(counts[0], counts[1], "threads: {counts:?}");
    assert!(counts[0] <= 8, "{counts:?}");

    let mut counts = Vec::new();
    for n in [5, 50] {
        let before = app.queries_run().await;
        let data = app
            .gql_ok(
                None,
                "query($n: Int!) { categories { slug articles(first: $n) { nodes { slug } } } }",
                json!({"n": n}),
            )
            .await;
        counts.push(app.queries_run().await - before);
        let sections = data["categories"].as_array().unwrap();
        assert!(sections.len() >= 12);
        assert!(sections.iter().any(|c| c["articles"]["nodes"].as_array().unwrap().len() > 1));
    }
    assert_eq!(counts[0], counts[1], "sections: {counts:?}");
    assert!(counts[0] <= 4, "{counts:?}");

    // Each section's page is its own feed's first page, sub-sections included.
    let world = app
        .gql_ok(
            None,
            "{ category(slug: \"world\") { articles(first: 4) { nodes { slug } pageInfo { endCursor } } } }",
            json!({}),
        )
        .await;
    let rest = app.get_json("/api/v1/articles?category=world&limit=4").await;
    let slugs =
        |nodes: &Value| nodes.as_array().unwrap().iter().map(|n| n["slug"].clone()).collect::<Vec<_>>();
    assert_eq!(slugs(&world["category"]["articles"]["nodes"]), slugs(&rest["data"]));
    assert_eq!(world["category"]["articles"]["pageInfo"]["endCursor"], rest["next_cursor"]);

    // Revisions too, for editors.
    let editor = app.sign_in_as("editor").await;
    let mut counts = Vec::new();
    for n in [5, 50] {
        let before = app.queries_run().await;
        app.gql_ok(
            Some(&editor.access),
            "query($n: Int!) { articles(first: $n) { nodes { revisions { version } } } }",
            json!({"n": n}),
        )
        .await;
        counts.push(app.queries_run().await - before);
    }
    assert_eq!(counts[0], counts[1], "revisions: {counts:?}");
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
    editorial_story_through_graphql_only,
    rest_and_graphql_agree,
    statements_do_not_grow_with_page_size,
    nested_lists_load_in_batches,
    paging_through_the_feed,
    null_clears_and_absence_keeps,
);
