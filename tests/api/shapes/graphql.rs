//! Shapes of the main GraphQL queries.

use serde_json::json;

use super::{ENERGY, Newsroom, created, graphql};
use crate::helpers::TestApp;
use crate::{assert_shape, on_both_backends};

/// The mobile app's home feed: the sections and the first page of articles.
const HOME_FEED: &str = "query Home($n: Int!) {
  categories { slug name }
  articles(first: $n) {
    edges { cursor node { id slug title summary featured publishedAt readingTimeMinutes commentCount
      coverImage { url caption } category { id slug name } tags { slug name } authors { id displayName } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

const ARTICLE: &str = "query Article($slug: String!) {
  article(slug: $slug) {
    id slug title summary body bodyHtml status featured version publishedAt scheduledAt createdAt updatedAt
    readingTimeMinutes commentCount coverImage { url caption } category { id slug name parent { slug } }
    tags { id slug name } authors { id displayName }
    comments(first: 10) {
      edges { cursor node { id articleId body status replyCount createdAt editedAt author { id displayName } parent { id }
        replies(first: 10) { nodes { id body status author { displayName } parent { id } } pageInfo { hasNextPage endCursor } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}";

const CATEGORIES: &str = "{
  categories { id slug name description position createdAt updatedAt
    parent { slug name } children { slug name position } }
}";

async fn reading(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let thread = format!("/api/v1/articles/{ENERGY}/comments");
    let first = created(
        app.post(&thread, Some(&newsroom.reader.access), &json!({"body": "Good to see it agreed."})).await,
    )
    .await;
    created(
        app.post(
            &thread,
            Some(&newsroom.author.access),
            &json!({"body": "Thanks for reading.", "parent_id": first["id"]}),
        )
        .await,
    )
    .await;

    // Two a page: the probe and the night trains, with a next page.
    let feed = graphql(&app, None, HOME_FEED, json!({"n": 2})).await;
    assert_shape!("graphql_home_feed", "query articles(first: 2) with categories", feed);

    let article = graphql(&app, None, ARTICLE, json!({"slug": ENERGY})).await;
    assert_shape!("graphql_article", "query article(slug:) with comments and replies", article);

    let tree = graphql(&app, None, CATEGORIES, json!({})).await;
    assert_shape!("graphql_categories", "query categories with parent and children", tree);

    let tags =
        graphql(&app, None, "{ tags { nodes { id slug name } pageInfo { hasNextPage } } }", json!({})).await;
    assert_shape!("graphql_tags", "query tags", tags);

    let me = graphql(
        &app,
        Some(&newsroom.author.access),
        "{ me { id email displayName bio role disabled createdAt updatedAt } }",
        json!({}),
    )
    .await;
    assert_shape!("graphql_me", "query me (signed in)", me);

    let anonymous = graphql(&app, None, "{ me { id email } }", json!({})).await;
    assert_shape!("graphql_me_anonymous", "query me (anonymous)", anonymous);

    let users = graphql(
        &app,
        Some(&newsroom.admin.access),
        "{ users(first: 3) { edges { cursor node { id email displayName role disabled createdAt } }
             pageInfo { hasNextPage endCursor } } }",
        json!({}),
    )
    .await;
    assert_shape!("graphql_users", "query users(first: 3) as an admin", users);
}

async fn introspection(app: TestApp) {
    let roots = graphql(
        &app,
        None,
        "{ __schema { queryType { name } mutationType { name } subscriptionType { name } } }",
        json!({}),
    )
    .await;
    assert_shape!("graphql_root_types", "introspection of the root types", roots);
}

on_both_backends!(reading, introspection);
