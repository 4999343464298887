//! Boots the real service on a random port against a fresh database, and
//! speaks HTTP to it.

use std::sync::atomic::{AtomicBool, Ordering};

use diesel::{Connection, PgConnection, RunQueryDsl};
use newsdesk::config::Settings;
use newsdesk::db::DatabaseUrl;
use newsdesk::service::Services;
use newsdesk::startup::Application;
use reqwest::{Client, Response};
use serde_json::Value;

/// Where the PostgreSQL suite runs; unset means it is skipped (locally) or
/// fails (in CI, where `CI` is set).
pub const POSTGRES_URL_VAR: &str = "NEWSDESK_TEST_POSTGRES_URL";

static SKIP_NOTICE: AtomicBool = AtomicBool::new(false);

pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database a test owns, removed when the test ends.
enum TestDb {
    Sqlite { _dir: tempfile::TempDir },
    Postgres { admin_url: String, schema: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, schema } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&mut conn);
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub services: Services,
    _db: TestDb,
}

impl TestApp {
    /// `None` when the backend is not available here (PostgreSQL without its URL).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let (url, db) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("newsdesk.db");
                (format!("sqlite://{}", path.display()), TestDb::Sqlite { _dir: dir })
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
                    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
                        panic!("{POSTGRES_URL_VAR} must be set in CI: the PostgreSQL suite has to run");
                    }
                    if !SKIP_NOTICE.swap(true, Ordering::Relaxed) {
                        eprintln!("{POSTGRES_URL_VAR} is not set: skipping the PostgreSQL variants");
                    }
                    return None;
                };
                // A schema of its own per test, so tests run in parallel on one database.
                let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&admin_url).expect("connect to PostgreSQL");
                diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .expect("create schema");
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                let url = format!("{admin_url}{separator}options=-csearch_path%3D{schema}");
                (url, TestDb::Postgres { admin_url, schema })
            }
        };
        let url: DatabaseUrl = url.parse().expect("database url");
        let settings = Settings::for_tests(url);
        let app = Application::build(settings, false).await.expect("service starts");
        let base = format!("http://{}", app.address());
        let services = app.services().clone();
        tokio::spawn(app.into_server());
        Some(TestApp { base, client: Client::new(), services, _db: db })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// GET, expecting 200 and JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.expect("body");
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    /// Loads the demo newsroom.
    pub fn seed_demo(&self) {
        newsdesk::seed::demo::load(self.services.db()).expect("demo content");
    }
}

/// Asserts a problem+json response with `status` and `code`; returns its body.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem JSON");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    body
}

/// Declares each listed `async fn(TestApp)` as two tests: `<name>::sqlite`
/// and `<name>::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await.unwrap();
                    super::$name(app).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}
