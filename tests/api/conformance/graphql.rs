//! GraphQL as graphql-js, GraphiQL, Apollo and code generators expect it.

use serde_json::{Value, json};

use crate::fixtures::demo_slugs;
use crate::helpers::TestApp;
use crate::on_both_backends;

/// graphql-js's `getIntrospectionQuery()`: what GraphiQL, Apollo tooling,
/// Postman and code generators send to learn the schema.
const STANDARD_INTROSPECTION: &str = include_str!("introspection.graphql");

async fn the_standard_introspection_query_runs_at_the_default_limits(app: TestApp) {
    let data = app.gql_ok(None, STANDARD_INTROSPECTION, json!({})).await;
    let schema = &data["__schema"];
    assert_eq!(schema["queryType"]["name"], "Query");
    assert_eq!(schema["mutationType"]["name"], "Mutation");
    assert_eq!(schema["subscriptionType"]["name"], "Subscription");
    let names: Vec<&str> =
        schema["types"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Article") && names.contains(&"DateTime"), "{names:?}");

    // Introspection has limits of its own: an abusive document is refused.
    let mut deep = String::from("kind");
    for _ in 0..22 {
        deep = format!("kind ofType {{ {deep} }}");
    }
    let abusive = format!("{{ __schema {{ types {{ fields {{ type {{ {deep} }} }} }} }} }}");
    let (_, body) = app.gql(None, &abusive, json!({})).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("nested too deep"), "{body}");
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");
}

async fn times_are_written_alike_in_both_apis(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let rest = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let data = app
        .gql_ok(None, "query($s: String) { article(slug: $s) { createdAt publishedAt } }", json!({"s": slug}))
        .await;
    assert!(rest["created_at"].as_str().unwrap().ends_with('Z'), "{rest}");
    assert_eq!(data["article"]["createdAt"], rest["created_at"]);
    assert_eq!(data["article"]["publishedAt"], rest["published_at"]);
}

async fn graphiql_can_try_subscriptions(app: TestApp) {
    let page = app.client.get(app.url("/graphql")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/graphql/assets/start.js"), "{html}");
    let start = app.get("/graphql/assets/start.js").await.text().await.unwrap();
    assert!(start.contains("subscriptionUrl") && start.contains("/graphql/ws"), "{start}");
}

async fn tags_are_changed_by_id_as_by_slug(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let tag = app.get_json("/api/v1/tags/energy").await;
    let id = tag["id"].as_str().unwrap();
    let renamed = app
        .gql_ok(
            Some(&editor.access),
            "mutation($id: ID!) { updateTag(id: $id, input: {name: \"Power\"}) { slug name } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(renamed["updateTag"], json!({"slug": "energy", "name": "Power"}));
    let deleted = app
        .gql_ok(Some(&editor.access), "mutation($id: ID!) { deleteTag(id: $id) }", json!({"id": id}))
        .await;
    assert_eq!(deleted["deleteTag"], true);
    assert_eq!(app.get("/api/v1/tags/energy").await.status(), 404);
}

async fn what_rest_reads_graphql_reads_too(app: TestApp) {
    app.seed_demo();
    let admin = app.sign_in_as("admin").await;
    let slug = demo_slugs("published")[0].clone();
    let comments = app.get_json(&format!("/api/v1/articles/{slug}/comments")).await;
    let comment_id = comments["data"][0]["id"].as_str().unwrap().to_owned();

    let data = app
        .gql_ok(
            Some(&admin.access),
            "query($c: ID!, $u: ID!) { comment(id: $c) { id body } tag(slug: \"energy\") { slug name } \
             user(id: $u) { id email role } missing: comment(id: \"00000000-0000-7000-8000-000000000000\") { id } }",
            json!({"c": comment_id, "u": admin.id}),
        )
        .await;
    assert_eq!(data["comment"]["id"], comment_id.as_str());
    assert_eq!(data["comment"]["body"], comments["data"][0]["body"]);
    assert_eq!(data["tag"]["slug"], "energy");
    assert_eq!(data["user"]["email"], admin.email.as_str());
    assert_eq!(data["user"]["role"], "ADMIN");
    assert!(data["missing"].is_null());

    // Tags page like every other list.
    let first = app
        .gql_ok(None, "{ tags(first: 2) { nodes { slug } pageInfo { hasNextPage endCursor } } }", json!({}))
        .await;
    assert_eq!(first["tags"]["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(first["tags"]["pageInfo"]["hasNextPage"], true);
    let after = first["tags"]["pageInfo"]["endCursor"].as_str().unwrap();
    let next = app
        .gql_ok(
            None,
            "query($a: String) { tags(first: 2, after: $a) { nodes { slug } } }",
            json!({"a": after}),
        )
        .await;
    assert_ne!(next["tags"]["nodes"][0], first["tags"]["nodes"][0]);
}

async fn every_object_is_found_again_by_its_id(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let article = app.get_json(&format!("/api/v1/articles/{slug}")).await;
    let comment = app.get_json(&format!("/api/v1/articles/{slug}/comments")).await["data"][0].clone();
    let section = article["category"].clone();
    let tag = app.get_json("/api/v1/tags/energy").await;
    let author = article["authors"][0].clone();
    let node = "query($id: ID!) { node(id: $id) { __typename id ... on Article { slug } ... on User { displayName } } }";
    for (id, typename) in [
        (&article["id"], "Article"),
        (&comment["id"], "Comment"),
        (&section["id"], "Category"),
        (&tag["id"], "Tag"),
        (&author["id"], "User"),
    ] {
        let data = app.gql_ok(None, node, json!({"id": id})).await;
        assert_eq!(data["node"]["__typename"], typename, "{data}");
        assert_eq!(&data["node"]["id"], id);
    }
    let data = app.gql_ok(None, node, json!({"id": article["id"]})).await;
    assert_eq!(data["node"]["slug"], slug.as_str());
    let nothing = app.gql_ok(None, node, json!({"id": "not-an-id"})).await;
    assert!(nothing["node"].is_null());
    let draft = crate::fixtures::demo_slugs("draft")[0].clone();
    let editor = app.sign_in_as("editor").await;
    let draft_id =
        app.get_as(&format!("/api/v1/articles/{draft}"), &editor.access).await.json::<Value>().await.unwrap()
            ["id"]
            .clone();
    assert!(
        app.gql_ok(None, node, json!({"id": draft_id})).await["node"].is_null(),
        "unpublished work stays hidden"
    );
}

async fn one_person_is_one_user_wherever_they_appear(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let query = "query($s: String) { article(slug: $s) { authors { __typename id displayName bio email role } \
                 comments(first: 1) { nodes { author { __typename id email } } } } }";
    let data = app.gql_ok(None, query, json!({"s": slug})).await;
    let author = &data["article"]["authors"][0];
    assert_eq!(author["__typename"], "User", "a byline is the person's User, cached once");
    assert!(!author["displayName"].as_str().unwrap().is_empty());
    assert!(author["email"].is_null() && author["role"].is_null(), "private fields stay private: {author}");
    let commenter = &data["article"]["comments"]["nodes"][0]["author"];
    assert_eq!(commenter["__typename"], "User");
    assert!(commenter["email"].is_null());

    // The same person, signed in, sees their own account through a byline.
    let author_id = author["id"].as_str().unwrap();
    let email = crate::fixtures::demo()["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| {
            let name = &u["display_name"];
            name == &author["displayName"]
        })
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .unwrap();
    let me = app.login(&email, newsdesk::seed::DEMO_PASSWORD).await;
    assert_eq!(me.id, author_id);
    let mine = app.gql_ok(Some(&me.access), query, json!({"s": slug})).await;
    assert_eq!(mine["article"]["authors"][0]["email"], email.as_str());
}

/// A failed non-null field nulls its nearest nullable parent (GraphQL spec,
/// "Handling Field Errors"): the key is there, as generated types promise.
async fn failed_fields_null_their_nearest_nullable_parent(app: TestApp) {
    app.seed_demo();
    let slug = demo_slugs("published")[0].clone();
    let (status, body) = app
        .gql(
            None,
            "query($s: String) { article(slug: $s) { slug revisions { version } } }",
            json!({"s": slug}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], json!({"article": null}), "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["article", "revisions"]));
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // A non-null root field that fails takes `data` with it.
    let (status, body) = app.gql(None, "{ tags { nodes { slug } } users { nodes { id } } }", json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("data").is_some_and(Value::is_null), "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["users"]));

    // A nullable field that fails is null, its siblings kept.
    let reader = app.sign_in_as("reader").await;
    let (_, body) = app
        .gql(Some(&reader.access), "{ me { displayName } forbidden: user(id: \"x\") { id } }", json!({}))
        .await;
    assert_eq!(body["data"]["me"]["displayName"], "Test reader", "{body}");
    assert!(body["data"].get("forbidden").is_some_and(Value::is_null), "{body}");
}

on_both_backends!(
    failed_fields_null_their_nearest_nullable_parent,
    what_rest_reads_graphql_reads_too,
    every_object_is_found_again_by_its_id,
    one_person_is_one_user_wherever_they_appear,
    the_standard_introspection_query_runs_at_the_default_limits,
    times_are_written_alike_in_both_apis,
    graphiql_can_try_subscriptions,
    tags_are_changed_by_id_as_by_slug,
);
