//! Long commands say how far they are: plain lines when their output is not
//! a terminal (as in CI and container logs), never silence.

use std::process::{Command, Output};

use crate::helpers::TestApp;
use crate::on_both_backends;

fn newsdesk(args: &[&str], database_url: &str) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .args(["--database-url", database_url])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

async fn seeding_reports_its_progress(app: TestApp) {
    let output = newsdesk(&["seed", "--articles", "150", "--comments", "300"], &app.database_url);
    let progress = String::from_utf8_lossy(&output.stderr);
    let last = progress.lines().last().unwrap_or_default();
    assert!(last.starts_with("articles: 150 of 150 (100%), "), "{progress}");
    assert!(last.contains("/s, done in "), "{progress}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("150 articles"));
}

on_both_backends!(seeding_reports_its_progress);

#[test]
fn migrating_names_each_migration_as_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    let output = newsdesk(&["migrate"], &url);
    let log =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let applying = log.lines().filter(|l| l.contains("applying migration")).count();
    let applied = log.lines().filter(|l| l.contains("migration applied")).count();
    assert!(applying > 0 && applying == applied, "{log}");
    assert!(log.contains("step=1"), "plain text when not at a terminal: {log}");
}

/// `newsdesk backup` copies a SQLite database while readers comment on it
/// (whether a given comment lands before or after the copy begins is the
/// scheduler's): the copy opens as a working newsroom, consistent, holding
/// every comment acknowledged before the backup began.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_holds_every_acknowledged_write() {
    use serde_json::{Value, json};
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    app.seed_demo();
    let reader = app.sign_in_as("reader").await;
    let slug = crate::fixtures::demo_slugs("published")[0].clone();
    let path = format!("/api/v1/articles/{slug}/comments");
    let count = |article: &Value| article["comment_count"].as_u64().unwrap() as usize;
    let initial_count = count(&app.get_json(&format!("/api/v1/articles/{slug}")).await);
    let initial_thread = app.get_json(&format!("{path}?limit=100")).await["data"].as_array().unwrap().len();
    let mut acknowledged = Vec::new();
    for n in 0..20 {
        let posted = app.post(&path, Some(&reader.access), &json!({"body": format!("Before {n}")})).await;
        assert_eq!(posted.status(), 201);
        acknowledged.push(posted.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    // Comments keep coming while the copy is taken.
    let writer = {
        let (base, token, path) = (app.base.clone(), reader.access.clone(), path.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for n in 0..40 {
                let body = json!({"body": format!("During {n}")});
                let posted =
                    client.post(format!("{base}{path}")).bearer_auth(&token).json(&body).send().await;
                assert_eq!(posted.unwrap().status(), 201, "writes go on during the backup");
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    let output = tokio::task::spawn_blocking({
        let (url, copy) = (app.database_url.clone(), copy.clone());
        move || newsdesk(&["backup", "--to", copy.to_str().unwrap()], &url)
    })
    .await
    .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("backed up"));
    writer.await.unwrap();

    let again = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["backup", "--to", copy.to_str().unwrap(), "--database-url", &app.database_url])
        .output()
        .unwrap();
    assert!(!again.status.success(), "a backup never overwrites a file");

    let restored_url = format!("sqlite://{}", copy.display());
    let restored = TestApp::on_database(&restored_url, |_| {}).await;
    let thread: Value = restored.get_json(&format!("{path}?limit=100")).await;
    let ids: Vec<&str> = thread["data"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
    for id in &acknowledged {
        assert!(ids.contains(&id.as_str()), "comment {id} acknowledged before the backup is in it");
    }
    // A consistent copy: the article's count grew by as many comments as its thread.
    let article: Value = restored.get_json(&format!("/api/v1/articles/{slug}")).await;
    assert_eq!(count(&article) - initial_count, ids.len() - initial_thread, "{article}");
}
