//! Shapes of `/categories` (sections) and `/tags`.

use serde_json::json;

use super::{Newsroom, exchange};
use crate::helpers::TestApp;
use crate::{assert_shape, on_both_backends};

async fn sections(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let editor = &newsroom.editor.access;

    let created = app
        .post(
            "/api/v1/categories",
            Some(editor),
            &json!({"name": "Asia", "description": "East and South Asia.", "parent": "world"}),
        )
        .await;
    assert_shape!("categories_create", "POST /api/v1/categories", exchange(created).await);

    // Tree order: World, Europe, Asia, then Science.
    let list = app.get("/api/v1/categories").await;
    assert_shape!("categories_list", "GET /api/v1/categories", exchange(list).await);

    let one = app.get("/api/v1/categories/europe").await;
    assert_shape!("categories_get", "GET /api/v1/categories/{slug}", exchange(one).await);

    let changed = app
        .patch(
            "/api/v1/categories/asia",
            Some(editor),
            None,
            &json!({"name": "Asia & Pacific", "parent": null, "position": 5}),
        )
        .await;
    assert_shape!("categories_update", "PATCH /api/v1/categories/{slug}", exchange(changed).await);

    let deleted = app.delete("/api/v1/categories/asia", Some(editor)).await;
    assert_shape!("categories_delete", "DELETE /api/v1/categories/{slug}", exchange(deleted).await);
}

async fn tags(app: TestApp) {
    let newsroom = Newsroom::open(&app).await;
    let editor = &newsroom.editor.access;

    let created = app.post("/api/v1/tags", Some(editor), &json!({"name": "Climate"})).await;
    assert_shape!("tags_create", "POST /api/v1/tags", exchange(created).await);

    // Slug order, two a page: climate, energy, then a `Link` to transport.
    let list = app.get("/api/v1/tags?limit=2").await;
    assert_shape!("tags_list", "GET /api/v1/tags?limit=2", exchange(list).await);

    let one = app.get("/api/v1/tags/energy").await;
    assert_shape!("tags_get", "GET /api/v1/tags/{slug}", exchange(one).await);

    let changed = app
        .patch(
            "/api/v1/tags/climate",
            Some(editor),
            None,
            &json!({"name": "Climate change", "slug": "climate-change"}),
        )
        .await;
    assert_shape!("tags_update", "PATCH /api/v1/tags/{slug}", exchange(changed).await);

    let deleted = app.delete("/api/v1/tags/climate-change", Some(editor)).await;
    assert_shape!("tags_delete", "DELETE /api/v1/tags/{slug}", exchange(deleted).await);
}

on_both_backends!(sections, tags);
