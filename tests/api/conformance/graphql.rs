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
    assert!(html.contains("subscriptionUrl") && html.contains("/graphql/ws"), "{html}");
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

on_both_backends!(
    the_standard_introspection_query_runs_at_the_default_limits,
    times_are_written_alike_in_both_apis,
    graphiql_can_try_subscriptions,
    tags_are_changed_by_id_as_by_slug,
);
