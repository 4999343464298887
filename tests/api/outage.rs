//! PostgreSQL goes away under load and comes back: two instances on a
//! cluster of the test's own, readers and a commenter busy throughout.
//! Clients are told 503 with `Retry-After` (never a 500), `/readyz` says
//! so, the service recovers by itself, every write it acknowledged is
//! there afterwards, and neither instance's cache serves what changed
//! while or after it was cut off.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::cluster::Cluster;
use crate::helpers::{Session, TestApp, eventually_within, metric};

/// What one client request got, and when.
struct Answer {
    at: Duration,
    what: &'static str,
    status: u16,
    retry_after: bool,
}

#[derive(Default)]
struct Timeline {
    answers: Mutex<Vec<Answer>>,
    acknowledged: Mutex<Vec<String>>,
}

impl Timeline {
    fn record(&self, start: Instant, what: &'static str, status: u16, retry_after: bool) {
        let answer = Answer { at: start.elapsed(), what, status, retry_after };
        self.answers.lock().unwrap().push(answer);
    }

    fn count(&self, what: &str, status: u16, after: Duration) -> usize {
        let answers = self.answers.lock().unwrap();
        answers.iter().filter(|a| a.what == what && a.status == status && a.at >= after).count()
    }

    /// What clients got, second by second: `write 201×12 503×1 | read 200×40`.
    fn by_second(&self) -> String {
        let answers = self.answers.lock().unwrap();
        let last = answers.iter().map(|a| a.at.as_secs()).max().unwrap_or(0);
        let mut lines = Vec::new();
        for second in 0..=last {
            let mut line = format!("{second:>3} s");
            for what in ["write", "read", "ready"] {
                let mut counts = std::collections::BTreeMap::<u16, usize>::new();
                for a in answers.iter().filter(|a| a.at.as_secs() == second && a.what == what) {
                    *counts.entry(a.status).or_default() += 1;
                }
                let counts: Vec<_> = counts.iter().map(|(s, n)| format!("{s}×{n}")).collect();
                line.push_str(&format!(" | {what} {}", counts.join(" ")));
            }
            lines.push(line);
        }
        lines.join("\n")
    }
}

/// Sends requests until `running` is cleared, recording each answer.
fn keep_busy(
    what: &'static str,
    request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + 'static,
    timeline: Arc<Timeline>,
    start: Instant,
    running: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(15)).build().unwrap();
    tokio::spawn(async move {
        while running.load(Ordering::Relaxed) {
            let Ok(response) = request(&client).send().await else {
                timeline.record(start, what, 0, false);
                continue;
            };
            let status = response.status().as_u16();
            let retry_after = response.headers().contains_key("retry-after");
            if what == "write" && status == 201 {
                let body: serde_json::Value = response.json().await.unwrap_or_default();
                if let Some(id) = body["id"].as_str() {
                    timeline.acknowledged.lock().unwrap().push(id.to_owned());
                }
            }
            timeline.record(start, what, status, retry_after);
        }
    })
}

async fn ready(app: &TestApp) -> u16 {
    app.get("/readyz").await.status().as_u16()
}

crate::postgres_tests! {
    /// Also prints what clients got, second by second (`--nocapture`).
    async fn a_postgres_outage_is_survived() {
        let cluster = Arc::new(tokio::task::spawn_blocking(Cluster::start_new).await.unwrap());
        let first = TestApp::on_database(&cluster.url(), |_| {}).await;
        let second = TestApp::on_database(&cluster.url(), |_| {}).await;
        first.seed_demo();
        let reader: Session = first.sign_in_as("reader").await;
        let editor: Session = first.sign_in_as("editor").await;
        let slugs = crate::fixtures::demo_slugs("published");
        let (busy, changed) = (slugs[0].clone(), slugs[1].clone());
        // The second instance keeps both stories as they were before.
        let count_before = second.get_json(&format!("/api/v1/articles/{busy}")).await["comment_count"].as_u64().unwrap();
        for _ in 0..2 {
            assert_eq!(second.get(&format!("/api/v1/articles/{changed}")).await.status(), 200);
        }

        let (timeline, running, start) = (Arc::new(Timeline::default()), Arc::new(AtomicBool::new(true)), Instant::now());
        let comments = first.url(&format!("/api/v1/articles/{busy}/comments"));
        let token = reader.access.clone();
        let writer = keep_busy("write", move |client| {
            client.post(&comments).bearer_auth(&token).json(&json!({"body": "Still here?"}))
        }, timeline.clone(), start, running.clone());
        let page = second.url(&format!("/api/v1/articles/{busy}/comments"));
        let reader_task = keep_busy("read", move |client| client.get(&page), timeline.clone(), start, running.clone());
        let readiness = first.url("/readyz");
        let prober = keep_busy("ready", move |client| client.get(&readiness), timeline.clone(), start, running.clone());

        eventually_within("writes before the outage", Duration::from_secs(10), || async { timeline.count("write", 201, Duration::ZERO) >= 20 }).await;
        let stopped_at = start.elapsed();
        tokio::task::spawn_blocking({ let cluster = cluster.clone(); move || cluster.stop() }).await.unwrap();
        eventually_within("a refused write", Duration::from_secs(20), || async { timeline.count("write", 503, stopped_at) >= 1 }).await;
        eventually_within("a refused read", Duration::from_secs(20), || async { timeline.count("read", 503, stopped_at) >= 1 }).await;
        assert_eq!(ready(&first).await, 503, "/readyz says the database is gone");
        assert_eq!(ready(&second).await, 503);

        let restarted_at = start.elapsed();
        tokio::task::spawn_blocking({ let cluster = cluster.clone(); move || cluster.start() }).await.unwrap();
        eventually_within("writes after the outage", Duration::from_secs(30), || async { timeline.count("write", 201, restarted_at) >= 20 }).await;
        eventually_within("reads after the outage", Duration::from_secs(30), || async { timeline.count("read", 200, restarted_at) >= 20 }).await;
        // A probe may still meet a connection the outage broke: the pool
        // replaces it, and the next probe passes.
        eventually_within("both instances ready again by themselves", Duration::from_secs(10), || async {
            ready(&first).await == 200 && ready(&second).await == 200
        })
        .await;
        running.store(false, Ordering::Relaxed);
        for task in [writer, reader_task, prober] {
            task.await.unwrap();
        }
        eprintln!(
            "PostgreSQL stopped at {stopped_at:.1?}, started at {restarted_at:.1?}; what clients got:\n{}",
            timeline.by_second()
        );

        // Never anything but a success or a 503 with Retry-After.
        for answer in timeline.answers.lock().unwrap().iter() {
            assert!(
                [200, 201].contains(&answer.status) || (answer.status == 503 && answer.retry_after),
                "{} got {} at {:?} (retry-after: {})", answer.what, answer.status, answer.at, answer.retry_after
            );
        }

        // Every acknowledged comment is stored.
        let stored: std::collections::HashSet<String> = cluster.query("SELECT id AS value FROM comments").into_iter().collect();
        let acknowledged = timeline.acknowledged.lock().unwrap().clone();
        let lost: Vec<_> = acknowledged.iter().filter(|id| !stored.contains(*id)).collect();
        assert!(lost.is_empty(), "acknowledged but lost: {lost:?} of {}", acknowledged.len());

        // Both caches are exact: the second instance reads the thread as it
        // is; it serves from memory again (it hears its sibling again), and
        // a story unpublished on the first right after recovery is gone
        // from the second as soon as the notice crosses.
        let posted: u64 = cluster.query("SELECT COUNT(*)::text AS value FROM comments WHERE body = 'Still here?'")[0].parse().unwrap();
        let article = second.get_json(&format!("/api/v1/articles/{busy}")).await;
        assert_eq!(article["comment_count"].as_u64().unwrap(), count_before + posted, "the count as stored");
        let hits = || async { metric(&second.get("/metrics").await.text().await.unwrap(), "newsdesk_response_cache_requests_total{result=\"hit\"}") };
        // Once its listener is back (it retries with a backoff of up to 5 s).
        eventually_within("the second instance to serve from memory again", Duration::from_secs(20), || async {
            let hits_before = hits().await;
            for _ in 0..2 {
                assert_eq!(second.get(&format!("/api/v1/articles/{changed}")).await.status(), 200);
            }
            hits().await > hits_before
        })
        .await;
        let unpublished = first.post(&format!("/api/v1/articles/{changed}/unpublish"), Some(&editor.access), &json!({})).await;
        assert_eq!(unpublished.status(), 200);
        crate::helpers::eventually("the unpublished story to leave the second instance", || async {
            second.get(&format!("/api/v1/articles/{changed}")).await.status() == 404
        })
        .await;
    }
}
