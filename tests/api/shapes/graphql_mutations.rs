//! Shapes of the main GraphQL mutations, and of a refusal.

use serde_json::json;

use super::{Newsroom, graphql};
use crate::helpers::{PASSWORD, TestApp};
use crate::{assert_shape, on_both_backends};

/// What the mutations below select of an article.
const ARTICLE_FIELDS: &str = "id slug title summary body bodyHtml status featured version
  publishedAt scheduledAt createdAt updatedAt readingTimeMinutes commentCount
  coverImage { url caption } category { id slug name } tags { id slug name } authors { id displayName }";

async fn writing(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let (author, editor, reader) =
        (&newsroom.author.access, &newsroom.editor.access, &newsroom.reader.access);

    let created = graphql(
        &app,
        Some(author),
        &format!("mutation($i: CreateArticleInput!) {{ createArticle(input: $i) {{ {ARTICLE_FIELDS} }} }}"),
        json!({"i": {"title": "Tram line opens in Vessa", "summary": "Twelve stops.",
                      "body": "The *first* tram ran today.", "category": "europe", "tags": ["transport"],
                      "coverImage": {"url": "https://images.example.org/tram.jpg"}}}),
    )
    .await;
    let id = created["body"]["data"]["createArticle"]["id"].as_str().unwrap().to_owned();
    assert_shape!("graphql_create_article", "mutation createArticle", created);

    let updated = graphql(
        &app,
        Some(author),
        &format!(
            "mutation($id: ID!, $i: UpdateArticleInput!) {{ updateArticle(id: $id, expectedVersion: 1, input: $i) {{ {ARTICLE_FIELDS} }} }}"
        ),
        json!({"id": id, "i": {"summary": "Twelve stops, one line.", "coverImage": null, "featured": true}}),
    )
    .await;
    assert_shape!("graphql_update_article", "mutation updateArticle", updated);

    let published = graphql(
        &app,
        Some(editor),
        &format!("mutation($id: ID!) {{ publishArticle(id: $id) {{ {ARTICLE_FIELDS} }} }}"),
        json!({"id": id}),
    )
    .await;
    assert_shape!("graphql_publish_article", "mutation publishArticle", published);

    let comment = graphql(
        &app,
        Some(reader),
        "mutation($id: ID!) { addComment(articleId: $id, body: \"Finally!\") {
           id articleId body status replyCount createdAt editedAt author { id displayName } parent { id } } }",
        json!({"id": id}),
    )
    .await;
    assert_shape!("graphql_add_comment", "mutation addComment", comment);
}

async fn accounts(app: TestApp) {
    let registered = graphql(
        &app,
        None,
        "mutation($e: String!, $p: String!) { register(email: $e, password: $p, displayName: \"Lena Park\") {
           email message } }",
        json!({"e": "lena@newsroom.test", "p": PASSWORD}),
    )
    .await;
    assert_shape!("graphql_register", "mutation register", registered);

    let login = graphql(
        &app,
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
           accessToken refreshToken tokenType expiresIn user { id email role } } }",
        json!({"e": "lena@newsroom.test", "p": PASSWORD}),
    )
    .await;
    assert_shape!("graphql_login", "mutation login", login);

    // Every refused argument at once, by its GraphQL name.
    let refused = graphql(
        &app,
        None,
        "mutation { register(email: \"not-an-email\", password: \"short\", displayName: \"\") { email } }",
        json!({}),
    )
    .await;
    assert_shape!("graphql_validation_error", "mutation register with invalid arguments", refused);
}

on_both_backends!(writing, accounts);
