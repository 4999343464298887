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
