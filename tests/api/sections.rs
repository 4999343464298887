//! Managing sections and tags.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};
use crate::on_both_backends;

async fn sections_are_created_renamed_moved_and_deleted(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let created = app
        .post(
            "/api/v1/categories",
            Some(&editor.access),
            &json!({"name": "Nordics", "description": "Five countries.", "parent": "europe"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let nordics: Value = created.json().await.unwrap();
    assert_eq!(nordics["slug"], "nordics");
    let europe = app.get_json("/api/v1/categories/europe").await;
    assert_eq!(nordics["parent_id"], europe["id"]);
    let world =
        app.get_json("/api/v1/articles?category=world&limit=100").await["data"].as_array().unwrap().len();

    let renamed = app
        .patch(
            "/api/v1/categories/nordics",
            Some(&editor.access),
            None,
            &json!({"name": "Nordic countries", "slug": "nordic"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(renamed.json::<Value>().await.unwrap()["name"], "Nordic countries");
    // The old slug leads to the section under its new one.
    assert_eq!(app.get_json("/api/v1/categories/nordics").await["slug"], "nordic");

    // No cycles: World cannot move under its own grandchild.
    let cycle =
        app.patch("/api/v1/categories/world", Some(&editor.access), None, &json!({"parent": "nordic"})).await;
    let problem = assert_problem(cycle, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "parent");
    let to_itself =
        app.patch("/api/v1/categories/world", Some(&editor.access), None, &json!({"parent": "world"})).await;
    assert_problem(to_itself, 400, "VALIDATION_FAILED").await;

    // Europe moves to the top level: World loses its articles.
    let moved =
        app.patch("/api/v1/categories/europe", Some(&editor.access), None, &json!({"parent": null})).await;
    assert_eq!(moved.status(), 200);
    assert!(moved.json::<Value>().await.unwrap()["parent_id"].is_null());
    let world_after =
        app.get_json("/api/v1/articles?category=world&limit=100").await["data"].as_array().unwrap().len();
    assert!(world_after < world);

    assert_problem(app.delete("/api/v1/categories/europe", Some(&editor.access)).await, 409, "CONFLICT")
        .await;
    let taken = app.post("/api/v1/categories", Some(&editor.access), &json!({"name": "Europe"})).await;
    assert_problem(taken, 409, "CONFLICT").await;
    assert_eq!(app.delete("/api/v1/categories/nordic", Some(&editor.access)).await.status(), 204);
    assert_problem(app.get("/api/v1/categories/nordic").await, 404, "NOT_FOUND").await;
    assert_problem(app.get("/api/v1/categories/nordics").await, 404, "NOT_FOUND").await;
    assert_problem(app.delete("/api/v1/categories/nordic", Some(&editor.access)).await, 404, "NOT_FOUND")
        .await;
}

async fn tags_are_created_renamed_and_deleted(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let created = app.post("/api/v1/tags", Some(&editor.access), &json!({"name": "Ports & Harbours"})).await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.json::<Value>().await.unwrap()["slug"], "ports-harbours");
    let article = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Docks reopen", "category": "europe", "tags": ["ports-harbours"]}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let renamed =
        app.patch("/api/v1/tags/ports-harbours", Some(&editor.access), None, &json!({"name": "Ports"})).await;
    assert_eq!(renamed.status(), 200);
    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());
    let tagged = app.get_as(&path, &editor.access).await.json::<Value>().await.unwrap();
    assert_eq!(tagged["tags"][0]["name"], "Ports");

    assert_eq!(app.delete("/api/v1/tags/ports-harbours", Some(&editor.access)).await.status(), 204);
    let untagged = app.get_as(&path, &editor.access).await.json::<Value>().await.unwrap();
    assert!(untagged["tags"].as_array().unwrap().is_empty(), "articles simply lose a deleted tag");
    assert_problem(
        app.post("/api/v1/tags", Some(&editor.access), &json!({"slug": "energy", "name": "Energy"})).await,
        409,
        "CONFLICT",
    )
    .await;
    assert_problem(
        app.post("/api/v1/tags", Some(&editor.access), &json!({"slug": "x"})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
}

on_both_backends!(sections_are_created_renamed_moved_and_deleted, tags_are_created_renamed_and_deleted);
