//! Read replicas: a primary cluster of the test's own and a streaming
//! replica built from it with `pg_basebackup`. Reads go to the replica
//! while it has replayed every write the instance knows of, to the primary
//! otherwise (so a writer reads its own writes), and to the primary when
//! the replica is down.

use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::helpers::{TestApp, eventually, metric};

/// (served by the replica, passed over to the primary).
async fn replica_reads(app: &TestApp) -> (u64, u64) {
    let text = app.get("/metrics").await.text().await.unwrap();
    (
        metric(&text, "newsdesk_db_replica_reads_total{result=\"served\"}"),
        metric(&text, "newsdesk_db_replica_reads_total{result=\"passed_over\"}"),
    )
}

fn title_on(cluster: &Cluster, slug: &str) -> String {
    cluster.query(&format!("SELECT title AS value FROM articles WHERE slug = '{slug}'")).remove(0)
}

crate::postgres_tests! {
    async fn reads_go_to_a_replica_that_has_caught_up() {
        // Before the service starts: nothing else runs on the test's threads yet.
        let primary = Cluster::start_new();
        let replica = Cluster::replica_of(&primary);
        let replica_url = replica.url();
        let app = TestApp::on_database(&primary.url(), |settings| {
            settings.database_replica_urls = vec![replica_url.parse().unwrap()];
            // Every read reaches the database, so where it went shows.
            settings.response_cache = false;
        })
        .await;
        app.seed_demo();
        let editor = app.sign_in_as("editor").await;
        let slug = crate::fixtures::demo_slugs("published")[0].clone();
        let path = format!("/api/v1/articles/{slug}");

        // A sibling with the response cache on, reading from the replica too.
        let replica_url = replica.url();
        let sibling = TestApp::on_database(&primary.url(), |settings| {
            settings.database_replica_urls = vec![replica_url.parse().unwrap()];
        })
        .await;

        // Once the replica has replayed the seeding, reads are served by it.
        for app in [&app, &sibling] {
            eventually("a read served by the replica", || async {
                let before = replica_reads(app).await.0;
                assert_eq!(app.get(&format!("{path}?probe={before}")).await.status(), 200);
                replica_reads(app).await.0 > before
            })
            .await;
        }
        // The sibling keeps the story in memory.
        assert_eq!(sibling.get(&path).await.status(), 200);

        // With the replica's replay paused, a write is not there yet: the
        // writer's next read goes to the primary and sees it.
        replica.query("SELECT pg_wal_replay_pause()::text AS value");
        let old_title = title_on(&replica, &slug);
        let version = app.get_json(&path).await["version"].to_string();
        let edited =
            app.patch(&path, Some(&editor.access), Some(&version), &json!({"title": "Read your writes"})).await;
        assert_eq!(edited.status(), 200, "{}", edited.text().await.unwrap());
        let (served, passed_over) = replica_reads(&app).await;
        let read: Value = app.get_json(&path).await;
        assert_eq!(read["title"], "Read your writes", "the writer reads its write");
        assert_eq!(title_on(&replica, &slug), old_title, "the replica has not replayed it");
        let (served_after, passed_over_after) = replica_reads(&app).await;
        assert_eq!(served_after, served, "nothing came from the replica behind");
        assert!(passed_over_after > passed_over);
        // The sibling hears of the write: what it kept goes stale, and it
        // reads the story anew from the primary, never the replica behind.
        eventually("the sibling to show the edit", || async {
            sibling.get_json(&path).await["title"] == "Read your writes"
        })
        .await;

        // Replaying again, it serves reads again, with the write.
        replica.query("SELECT pg_wal_replay_resume()::text AS value");
        eventually("the replica to serve the edited story", || async {
            let before = replica_reads(&app).await.0;
            let read = app.get_json(&path).await;
            assert_eq!(read["title"], "Read your writes", "never the old title");
            replica_reads(&app).await.0 > before
        })
        .await;

        // A replica that is down is passed over.
        tokio::task::spawn_blocking(move || replica.stop()).await.unwrap();
        for _ in 0..3 {
            assert_eq!(app.get_json(&path).await["title"], "Read your writes");
        }
        assert_eq!(app.get("/api/v1/articles").await.status(), 200);
    }

    async fn a_replica_url_that_names_a_primary_is_refused() {
        let primary = Cluster::start_new();
        let mut settings = newsdesk::config::Settings::for_tests(primary.url().parse().unwrap());
        settings.database_replica_urls = vec![primary.url().parse().unwrap()];
        let Err(error) = newsdesk::startup::Application::build(settings, false).await else {
            panic!("a primary is no replica");
        };
        assert!(error.to_string().contains("not a replica"), "{error}");
    }
}
