//! Moderation through GraphQL: the same rules, the same codes.

use serde_json::{Value, json};

use super::approve_demo_queue;
use crate::fixtures::demo_slugs;
use crate::helpers::TestApp;
use crate::on_both_backends;

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or("<none>")
}

const ARTICLE: &str =
    "query($slug: String!) { article(slug: $slug) { id version commentsMode commentCount } }";
const SET_MODE: &str = "mutation($id: ID!, $v: Int!, $mode: CommentsMode!) { \
    updateArticle(id: $id, expectedVersion: $v, input: {commentsMode: $mode}) { commentsMode } }";
const ADD: &str =
    "mutation($id: ID!) { addComment(articleId: $id, body: \"Through the app.\") { id status } }";
const QUEUE: &str = "query($first: Int, $after: String) { moderationQueue(first: $first, after: $after) { \
    edges { cursor node { held reported reportCount reasons comment { id status } article { id slug title } } } \
    pageInfo { hasNextPage endCursor } } }";

async fn moderation_through_graphql(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (reader, other, editor, admin) = (
        app.sign_in_as("reader").await.access,
        app.sign_in_as("reader").await.access,
        app.sign_in_as("editor").await.access,
        app.sign_in_as("admin").await.access,
    );
    approve_demo_queue(&app, &editor).await;
    let article = app.gql_ok(None, ARTICLE, json!({"slug": slug})).await["article"].clone();
    assert_eq!(article["commentsMode"], "OPEN");
    let (id, count) = (article["id"].clone(), article["commentCount"].as_i64().unwrap());
    let set = |token: &str, version: &Value, mode: &str| {
        let variables = json!({"id": id, "v": version, "mode": mode});
        let (app, token) = (&app, token.to_owned());
        async move { app.gql(Some(&token), SET_MODE, variables).await }
    };

    let (_, closed) = set(&editor, &article["version"], "CLOSED").await;
    assert_eq!(closed["data"]["updateArticle"]["commentsMode"], "CLOSED", "{closed}");
    let (_, refused) = app.gql(Some(&reader), ADD, json!({"id": id})).await;
    assert_eq!(code(&refused), "CONFLICT");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("comments are closed"), "{refused}");

    let version = app.gql_ok(None, ARTICLE, json!({"slug": slug})).await["article"]["version"].clone();
    set(&editor, &version, "PREMODERATED").await;
    let held = app.gql_ok(Some(&reader), ADD, json!({"id": id})).await["addComment"].clone();
    assert_eq!(held["status"], "HELD");
    let held_id = held["id"].clone();
    let (_, anonymous) =
        app.gql(None, "query($id: ID!) { comment(id: $id) { id } }", json!({"id": held_id})).await;
    assert!(anonymous["data"]["comment"].is_null(), "not public while held");

    let queue = app.gql_ok(Some(&editor), QUEUE, json!({"first": 10})).await["moderationQueue"].clone();
    let node = &queue["edges"][0]["node"];
    assert_eq!((node["held"].clone(), node["reported"].clone()), (json!(true), json!(false)));
    assert_eq!(node["comment"]["id"], held_id);
    assert_eq!(node["article"]["slug"], slug.as_str());
    let (_, forbidden) = app.gql(Some(&reader), QUEUE, json!({})).await;
    assert_eq!(code(&forbidden), "FORBIDDEN");

    let approve = "mutation($id: ID!) { approveComment(commentId: $id) { status } }";
    let (_, by_reader) = app.gql(Some(&reader), approve, json!({"id": held_id})).await;
    assert_eq!(code(&by_reader), "FORBIDDEN");
    let approved = app.gql_ok(Some(&editor), approve, json!({"id": held_id})).await;
    assert_eq!(approved["approveComment"]["status"], "VISIBLE");
    let after = app.gql_ok(None, ARTICLE, json!({"slug": slug})).await["article"].clone();
    assert_eq!(after["commentCount"].as_i64().unwrap(), count + 1);

    let report = "mutation($id: ID!, $reason: ReportReason!, $note: String) { \
        reportComment(commentId: $id, reason: $reason, note: $note) { commentId reason note } }";
    let filed = app
        .gql_ok(Some(&other), report, json!({"id": held_id, "reason": "OFF_TOPIC", "note": "Wrong story"}))
        .await;
    assert_eq!(
        filed["reportComment"],
        json!({"commentId": held_id, "reason": "OFF_TOPIC", "note": "Wrong story"})
    );
    let (_, twice) = app.gql(Some(&other), report, json!({"id": held_id, "reason": "SPAM"})).await;
    assert_eq!(code(&twice), "CONFLICT");
    let (_, anonymous) = app.gql(None, report, json!({"id": held_id, "reason": "SPAM"})).await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED");
    let queue = app.gql_ok(Some(&editor), QUEUE, json!({})).await["moderationQueue"].clone();
    let node = &queue["edges"][0]["node"];
    assert_eq!((node["reported"].clone(), node["reportCount"].clone()), (json!(true), json!(1)));
    assert_eq!(node["reasons"], json!(["OFF_TOPIC"]));

    let user = "mutation($id: ID!) { updateUser(id: $id, input: {trusted: true}) { trusted } }";
    let reader_id = app.gql_ok(Some(&reader), "{ me { id trusted } }", json!({})).await["me"].clone();
    assert_eq!(reader_id["trusted"], false);
    let (_, by_editor) = app.gql(Some(&editor), user, json!({"id": reader_id["id"]})).await;
    assert_eq!(code(&by_editor), "FORBIDDEN");
    let marked = app.gql_ok(Some(&admin), user, json!({"id": reader_id["id"]})).await;
    assert_eq!(marked["updateUser"]["trusted"], true);
    let shown = app.gql_ok(Some(&reader), ADD, json!({"id": id})).await["addComment"].clone();
    assert_eq!(shown["status"], "VISIBLE", "trusted: no wait");
}

on_both_backends!(moderation_through_graphql);
