//! Full-text search (`q`): headline matches first, then the rest, each
//! newest first; prefixes for search-as-you-type; snippets; pages as deep
//! as the matches go.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::fixtures::demo;
use crate::helpers::TestApp;
use crate::on_both_backends;

async fn search_ranks_title_matches_first(app: TestApp) {
    app.seed_demo();
    // A word in exactly one published title.
    let demo = demo();
    let published: Vec<_> =
        demo["articles"].as_array().unwrap().iter().filter(|a| a["status"] == "published").collect();
    let target =
        published.iter().find(|a| a["title"].as_str().unwrap().contains("Lodestar")).expect("demo story");
    let page = app.get_json("/api/v1/articles?q=lodestar").await;
    let results = page["data"].as_array().unwrap();
    assert!(!results.is_empty());
    assert_eq!(results[0]["slug"], target["slug"], "the title match ranks first");
    for result in results {
        assert_eq!(result["status"], "published");
    }

    // Stemming: "landing" finds "lands".
    let stemmed = app.get_json("/api/v1/articles?q=landing").await;
    assert!(stemmed["data"].as_array().unwrap().iter().any(|a| a["slug"] == target["slug"]));

    // Every word must match.
    let none = app.get_json("/api/v1/articles?q=lodestar%20zzyzx").await;
    assert!(none["data"].as_array().unwrap().is_empty());
}

async fn search_combines_with_filters_and_pages(app: TestApp) {
    app.seed_demo();
    let all = app.get_json("/api/v1/articles?q=minister&limit=100").await;
    let all: Vec<_> = all["data"].as_array().unwrap().iter().map(|a| a["id"].clone()).collect();
    assert!(all.len() >= 3, "the demo has several stories about ministers");
    let mut walked = Vec::new();
    let mut path = "/api/v1/articles?q=minister&limit=2".to_owned();
    loop {
        let page = app.get_json(&path).await;
        walked.extend(page["data"].as_array().unwrap().iter().map(|a| a["id"].clone()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/articles?q=minister&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(walked, all);

    let in_world = app.get_json("/api/v1/articles?q=minister&category=world&limit=100").await;
    let in_world = in_world["data"].as_array().unwrap();
    assert!(in_world.len() < all.len());
    let world_family = ["world", "europe", "asia", "americas", "africa"];
    assert!(in_world.iter().all(|a| world_family.contains(&a["category"]["slug"].as_str().unwrap())));
}

async fn hostile_search_text_is_just_text(app: TestApp) {
    app.seed_demo();
    for q in [
        "'; DROP TABLE articles; --",
        "\"unbalanced",
        "NEAR(a b",
        "title:energy OR body:*",
        "a & b | !c <-> d",
        "***",
        "%00%01",
        "énergie über straße",
    ] {
        let encoded: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let page = app.get_json(&format!("/api/v1/articles?q={encoded}")).await;
        assert!(page["data"].is_array(), "{q}");
    }
    let still_there = app.get_json("/api/v1/articles?limit=1").await;
    assert_eq!(still_there["data"].as_array().unwrap().len(), 1);
    let too_long = app.get(&format!("/api/v1/articles?q={}", "a".repeat(201))).await;
    crate::helpers::assert_problem(too_long, 400, "VALIDATION_FAILED").await;
}

async fn results_carry_snippets_and_prefixes_match(app: TestApp) {
    app.seed_demo();
    // Search-as-you-type: the start of a word finds it.
    let typed = app.get_json("/api/v1/articles?q=lodest").await;
    let first = &typed["data"][0];
    assert!(first["title"].as_str().unwrap().contains("Lodestar"), "{typed}");
    let snippet = first["snippet"].as_str().expect("a search result has a snippet");
    assert!(!snippet.is_empty());

    // The snippet marks the words, and escapes everything else.
    let editor = app.sign_in_as("editor").await;
    let draft: Value = app
        .post(
            "/api/v1/articles",
            Some(&editor.access),
            &json!({"title": "Harbour pilots strike", "category": "europe",
                    "summary": "Pilots <b>walk out</b> & tugboats idle as the harbour strike begins."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_str().unwrap();
    app.post(&format!("/api/v1/articles/{id}/publish"), Some(&editor.access), &json!({})).await;
    let found = app.get_json("/api/v1/articles?q=tugboat").await;
    assert_eq!(found["data"][0]["id"], id, "{found}");
    assert_eq!(
        found["data"][0]["snippet"],
        "Pilots &lt;b&gt;walk out&lt;/b&gt; &amp; <mark>tugboats</mark> idle as the harbour strike begins"
    );

    // The same in GraphQL; outside a search, no snippet.
    let query =
        json!({"query": "{ articles(first: 1, filter: {search: \"tugboat\"}) { nodes { id snippet } } }"});
    let graphql: Value =
        app.client.post(app.url("/graphql")).json(&query).send().await.unwrap().json().await.unwrap();
    let node = &graphql["data"]["articles"]["nodes"][0];
    assert_eq!(node["id"], id);
    assert_eq!(node["snippet"], found["data"][0]["snippet"]);
    let feed = app.get_json("/api/v1/articles?limit=1").await;
    assert!(feed["data"][0].get("snippet").is_none(), "{feed}");
    let plain = json!({"query": "{ articles(first: 1) { nodes { snippet } } }"});
    let graphql: Value =
        app.client.post(app.url("/graphql")).json(&plain).send().await.unwrap().json().await.unwrap();
    assert_eq!(graphql["data"]["articles"]["nodes"][0]["snippet"], Value::Null);
}

/// Results page as deep as the matches go: far past the 2,000 an offset
/// ranking once stopped at, each story once, headline matches first.
async fn search_pages_past_two_thousand_results(app: TestApp) {
    newsdesk::seed::bulk::generate(app.services.db(), 5_000, 0, 3).expect("generated stories");
    let mut seen = HashSet::new();
    let mut in_text = false;
    let mut path = "/api/v1/articles?q=ministers&limit=100".to_owned();
    loop {
        let page = app.get_json(&path).await;
        for article in page["data"].as_array().unwrap() {
            assert!(seen.insert(article["id"].as_str().unwrap().to_owned()), "each story once");
            let in_headline = article["title"].as_str().unwrap().to_lowercase().contains("minister");
            assert!(!(in_text && in_headline), "headline matches come first");
            in_text |= !in_headline;
            // A headline match may have nothing to mark in its text.
            let snippet = article["snippet"].as_str().unwrap();
            assert!(in_headline || snippet.contains("<mark>"), "{article}");
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/articles?q=ministers&limit=100&cursor={cursor}"),
            None => break,
        }
    }
    assert!(seen.len() > 2_000, "only {} results", seen.len());
    assert!(in_text, "both tiers were walked");
}

/// Publishes a story in Europe; its id.
async fn publish(app: &TestApp, token: &str, title: &str, summary: &str) -> String {
    let draft: Value = app
        .post(
            "/api/v1/articles",
            Some(token),
            &json!({"title": title, "category": "europe", "summary": summary}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_str().expect("a draft").to_owned();
    let published = app.post(&format!("/api/v1/articles/{id}/publish"), Some(token), &json!({})).await;
    assert_eq!(published.status(), 200);
    id
}

fn ids(page: &Value) -> Vec<&str> {
    page["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect()
}

/// Words are stemmed by the site language's rules: a start with another
/// language rebuilds the index, and what is written afterwards is indexed
/// in it too.
async fn stemming_follows_the_site_language(app: TestApp) {
    app.seed_demo();
    let editor = app.sign_in_as("editor").await;
    let harbour = publish(&app, &editor.access, "Ein Haus am Hafen", "Ein altes Haus am Hafen brennt.").await;
    // English rules: "Häuser" is not a form of "Haus".
    let english = app.get_json("/api/v1/articles?q=H%C3%A4user%20Hafen").await;
    assert!(ids(&english).is_empty(), "{english}");

    let german = TestApp::attach_with(&app, |s| s.site_language = "de".parse().unwrap()).await;
    let found = german.get_json("/api/v1/articles?q=H%C3%A4user%20Hafen").await;
    assert_eq!(ids(&found), [harbour.as_str()], "{found}");
    assert_eq!(found["data"][0]["snippet"], "Ein altes <mark>Haus</mark> am <mark>Hafen</mark> brennt");
    // A stop word is a word like any other, on both engines.
    let found = german.get_json("/api/v1/articles?q=am%20Hafen").await;
    assert_eq!(ids(&found), [harbour.as_str()], "{found}");

    // A command other than `serve` or `migrate` started without the site's
    // language refuses to run rather than re-index the archive in English.
    let url: newsdesk::db::DatabaseUrl = app.database_url.parse().unwrap();
    let english = "en".parse::<newsdesk::domain::language::SiteLanguage>().unwrap().stemming();
    let db = newsdesk::db::Db::connect(&url, 1, english).unwrap();
    let refused = db
        .run_blocking(|conn| {
            newsdesk::db::migrate::run_pending(conn, newsdesk::db::search::index::Rebuild::OnlyIfNeverBuilt)
                .map_err(newsdesk::error::AppError::from)
        })
        .unwrap_err();
    assert!(refused.to_string().contains("built for `german`"), "{refused}");
    drop(db);

    // Written after the switch: indexed in German as well.
    let editor = german.sign_in_as("editor").await;
    let houses = publish(&german, &editor.access, "Große Häuser", "Neue Häuser für die Stadt.").await;
    let found = german.get_json("/api/v1/articles?q=haus%20gro%C3%9F").await;
    assert_eq!(ids(&found), [houses.as_str()], "{found}");
    let graphql: Value = german
        .client
        .post(german.url("/graphql"))
        .json(&json!({"query": "{ articles(filter: {search: \"Haus\"}) { nodes { id snippet } } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let nodes = graphql["data"]["articles"]["nodes"].as_array().unwrap();
    let found: HashSet<_> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(found, HashSet::from([harbour.as_str(), houses.as_str()]), "{graphql}");
    assert!(nodes.iter().any(|n| n["snippet"] == "Neue <mark>Häuser</mark> für die Stadt"), "{graphql}");
}

/// Every result of a walk through all pages of `path` (which has a `?`).
async fn every_result(app: &TestApp, path: &str) -> Vec<Value> {
    let (mut results, mut next) = (Vec::new(), format!("{path}&limit=100"));
    loop {
        let page = app.get_json(&next).await;
        results.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => next = format!("{path}&limit=100&cursor={cursor}"),
            None => return results,
        }
    }
}

/// Facets count every match of the list, by section and by month, the same
/// in both APIs, and follow what is published next.
async fn facets_count_every_match_by_section_and_month(app: TestApp) {
    app.seed_demo();
    let results = every_result(&app, "/api/v1/articles?q=minister").await;
    assert!(results.len() >= 3, "the demo has several stories about ministers");
    let page = app.get_json("/api/v1/articles?q=minister&limit=1&facets=true").await;
    let facets = &page["facets"];
    let mut by_section = std::collections::BTreeMap::new();
    let mut by_month = std::collections::BTreeMap::new();
    for article in &results {
        *by_section.entry(article["category"]["slug"].as_str().unwrap().to_owned()).or_insert(0) += 1;
        *by_month.entry(article["published_at"].as_str().unwrap()[..7].to_owned()).or_insert(0) += 1;
    }
    let sections: std::collections::BTreeMap<String, u64> = facets["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["section"]["slug"].as_str().unwrap().to_owned(), f["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(sections, by_section, "{facets}");
    let months: Vec<(String, u64)> = facets["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["month"].as_str().unwrap().to_owned(), f["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(months, by_month.into_iter().rev().collect::<Vec<_>>(), "newest month first");
    let counts: Vec<u64> =
        facets["sections"].as_array().unwrap().iter().map(|f| f["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most matches first: {facets}");

    // Only when asked; a bad flag is named.
    assert!(app.get_json("/api/v1/articles?q=minister").await.get("facets").is_none());
    let refused = app.get("/api/v1/articles?q=minister&facets=maybe").await;
    let problem = crate::helpers::assert_problem(refused, 400, "VALIDATION_FAILED").await;
    assert!(problem.to_string().contains("facets"), "{problem}");

    // GraphQL counts the same, on a search and on a section's own list.
    let query = json!({"query": "{ articles(first: 1, filter: {search: \"minister\"}) { facets { \
        sections { slug name count } months { month count } } } }"});
    let graphql: Value =
        app.client.post(app.url("/graphql")).json(&query).send().await.unwrap().json().await.unwrap();
    let gql = &graphql["data"]["articles"]["facets"];
    for (rest, gql) in facets["sections"].as_array().unwrap().iter().zip(gql["sections"].as_array().unwrap())
    {
        assert_eq!((&rest["section"]["slug"], &rest["section"]["name"]), (&gql["slug"], &gql["name"]));
        assert_eq!(rest["count"], gql["count"]);
    }
    assert_eq!(gql["months"], facets["months"], "{graphql}");
    assert_eq!(gql["sections"].as_array().unwrap().len(), facets["sections"].as_array().unwrap().len());
    let world = app.get_json("/api/v1/articles?category=world&limit=1&facets=true").await;
    let query = json!({"query": "{ category(slug: \"world\") { articles(first: 1) { facets { \
        sections { slug count } months { month count } } } } }"});
    let graphql: Value =
        app.client.post(app.url("/graphql")).json(&query).send().await.unwrap().json().await.unwrap();
    let gql = &graphql["data"]["category"]["articles"]["facets"];
    assert_eq!(gql["months"], world["facets"]["months"], "{graphql}");
    let family = ["world", "europe", "asia", "americas", "africa"];
    for facet in gql["sections"].as_array().unwrap() {
        assert!(family.contains(&facet["slug"].as_str().unwrap()), "{graphql}");
    }

    // A story published now is counted at once (the kept answer is not served).
    let editor = app.sign_in_as("editor").await;
    publish(&app, &editor.access, "Ministers meet in Lisbon", "A summit of ministers.").await;
    let after = app.get_json("/api/v1/articles?q=minister&limit=1&facets=true").await;
    let total =
        |f: &Value| f["months"].as_array().unwrap().iter().map(|m| m["count"].as_u64().unwrap()).sum::<u64>();
    assert_eq!(total(&after["facets"]), total(facets) + 1, "{after}");
    let europe =
        after["facets"]["sections"].as_array().unwrap().iter().find(|f| f["section"]["slug"] == "europe");
    assert_eq!(europe.unwrap()["count"].as_u64().unwrap(), sections.get("europe").copied().unwrap_or(0) + 1);
}

on_both_backends!(
    facets_count_every_match_by_section_and_month,
    stemming_follows_the_site_language,
    search_ranks_title_matches_first,
    search_combines_with_filters_and_pages,
    hostile_search_text_is_just_text,
    results_carry_snippets_and_prefixes_match,
    search_pages_past_two_thousand_results
);
