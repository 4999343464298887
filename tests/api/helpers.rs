//! Boots the real service on a random port against a fresh database, and
//! speaks HTTP to it.

use diesel::{Connection, PgConnection, RunQueryDsl};
use newsdesk::config::Settings;
use newsdesk::db::DatabaseUrl;
use newsdesk::service::Services;
use newsdesk::startup::Application;
use reqwest::{Client, Response};
use serde_json::Value;

/// Where the PostgreSQL suite runs: without it at build time, its tests are
/// ignored (locally); CI always sets it.
pub const POSTGRES_URL_VAR: &str = "NEWSDESK_TEST_POSTGRES_URL";

pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database a test owns, removed when the test ends.
enum TestDb {
    Sqlite {
        dir: tempfile::TempDir,
    },
    Postgres {
        admin_url: String,
        schema: String,
        /// Its media files (on SQLite they sit beside the database file).
        _media: tempfile::TempDir,
    },
    /// Another test's database, left for that test to remove.
    Shared,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, schema, .. } = self
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
    /// The test database's URL, as `--database-url` takes it.
    pub database_url: String,
    /// Where its media files are kept, shared by the instances attached to it.
    pub media_dir: Option<std::path::PathBuf>,
    _db: TestDb,
}

/// The key tests sign their tokens with, so they can also forge bad ones.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret!";
pub const PASSWORD: &str = "correct horse battery";

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub email: String,
    pub access: String,
    pub refresh: String,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with settings adjusted first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let (url, db) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("newsdesk.db");
                (format!("sqlite://{}", path.display()), TestDb::Sqlite { dir })
            }
            Backend::Postgres => {
                // The PostgreSQL tests are compiled as ignored without the URL
                // (see build.rs); one that runs must have it.
                let admin_url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
                    panic!("{POSTGRES_URL_VAR} was set when the tests were built, not now")
                });
                // A schema of its own per test, so tests run in parallel on one database.
                let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&admin_url).expect("connect to PostgreSQL");
                diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .expect("create schema");
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                let url = format!("{admin_url}{separator}options=-csearch_path%3D{schema}");
                let media = tempfile::tempdir().expect("temp dir");
                (url, TestDb::Postgres { admin_url, schema, _media: media })
            }
        };
        // On SQLite where the default puts them: beside the database file.
        let media_dir = match &db {
            TestDb::Postgres { _media, .. } => Some(_media.path().to_owned()),
            TestDb::Sqlite { dir } => Some(dir.path().join("newsdesk-media")),
            TestDb::Shared => None,
        };
        let raw_url = url.clone();
        let url: DatabaseUrl = url.parse().expect("database url");
        let mut settings = Settings::for_tests(url.clone());
        settings.jwt_secret = Some(TEST_JWT_SECRET.to_owned());
        settings.media_dir.clone_from(&media_dir);
        adjust(&mut settings);
        let media_dir = settings.media_dir.clone();
        let app = Application::build(settings, false).await.expect("service starts");
        let base = format!("http://{}", app.address());
        let services = app.services().clone();
        tokio::spawn(app.run_until_stopped());
        TestApp { base, client: Client::new(), services, database_url: raw_url, media_dir, _db: db }
    }

    /// A second instance on the same database, as behind a load balancer
    /// (or a restart, on SQLite). The first keeps ownership of the database.
    pub async fn attach(first: &TestApp) -> TestApp {
        Self::attach_with(first, |_| {}).await
    }

    /// Like [`TestApp::attach`], with settings adjusted first.
    pub async fn attach_with(first: &TestApp, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let media_dir = first.media_dir.clone();
        Self::on_database(&first.database_url, |settings| {
            settings.media_dir = media_dir;
            adjust(settings);
        })
        .await
    }

    /// An instance on the database at `database_url`, which someone else
    /// owns and removes (another test app, a file the test keeps).
    pub async fn on_database(database_url: &str, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let url: DatabaseUrl = database_url.parse().expect("database url");
        let mut settings = Settings::for_tests(url);
        settings.jwt_secret = Some(TEST_JWT_SECRET.to_owned());
        adjust(&mut settings);
        let media_dir = settings.media_dir.clone();
        let app = Application::build(settings, false).await.expect("service starts");
        let base = format!("http://{}", app.address());
        let services = app.services().clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base,
            client: Client::new(),
            services,
            database_url: database_url.to_owned(),
            media_dir,
            _db: TestDb::Shared,
        }
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

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn patch(
        &self,
        path: &str,
        token: Option<&str>,
        if_match: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut request = self.client.patch(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(version) = if_match {
            request = request.header("If-Match", version);
        }
        request.send().await.expect("request")
    }

    pub async fn put(
        &self,
        path: &str,
        token: Option<&str>,
        if_match: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut request = self.client.put(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(version) = if_match {
            request = request.header("If-Match", version);
        }
        request.send().await.expect("request")
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.delete(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn get_as(&self, path: &str, token: &str) -> Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    /// Creates an account with `role` (as the operator's CLI does) and signs it in.
    pub async fn sign_in_as(&self, role: &str) -> Session {
        let email = format!("{role}-{}@example.org", uuid::Uuid::new_v4().simple());
        self.sign_in_new(&email, role, &format!("Test {role}")).await
    }

    /// Creates an account with this email, role and name, and signs it in.
    pub async fn sign_in_new(&self, email: &str, role: &str, display_name: &str) -> Session {
        use newsdesk::domain::text::{Bio, DisplayName};
        use newsdesk::domain::user::NewPassword;
        use newsdesk::domain::{Email, Role, Vocabulary};

        self.services
            .create_user_unchecked(newsdesk::service::accounts::NewUser {
                email: Email::parse(email, "email").unwrap(),
                password: NewPassword::parse(PASSWORD, "password").unwrap(),
                display_name: DisplayName::parse(display_name, "display_name").unwrap(),
                bio: Bio::empty(),
                role: Role::parse_field(role, "role").unwrap(),
            })
            .await
            .unwrap();
        self.login(email, PASSWORD).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Session {
        let response = self
            .post("/api/v1/auth/login", None, &serde_json::json!({"email": email, "password": password}))
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        Session {
            id: body["user"]["id"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
            access: body["access_token"].as_str().unwrap().to_owned(),
            refresh: body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Loads the demo newsroom.
    pub fn seed_demo(&self) {
        newsdesk::seed::demo::load(self.services.db()).expect("demo content");
    }

    /// Statements the service has run, from `/metrics`.
    pub async fn queries_run(&self) -> u64 {
        metric(&self.get("/metrics").await.text().await.unwrap(), "newsdesk_db_queries_total")
    }
}

/// Awaits `condition`, checking it every few milliseconds, for at most five
/// seconds: for what another thread or instance brings about in its own time
/// (a notice crossing instances, a subscription registered by the server).
pub async fn eventually<F, Fut>(what: &str, condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    eventually_within(what, std::time::Duration::from_secs(5), condition).await;
}

/// Like [`eventually`], for what takes longer by nature (a database
/// restarting, a listener reconnecting after its backoff).
pub async fn eventually_within<F, Fut>(what: &str, limit: std::time::Duration, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + limit;
    while !condition().await {
        assert!(tokio::time::Instant::now() < deadline, "waited {limit:?} for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// The value of the `/metrics` line that starts with `name`.
pub fn metric(text: &str, name: &str) -> u64 {
    text.lines().find(|l| l.starts_with(name)).and_then(|l| l.rsplit(' ').next()).unwrap().parse().unwrap()
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
                    super::$name($crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    not(newsdesk_postgres_tests),
                    ignore = "set NEWSDESK_TEST_POSTGRES_URL to run the PostgreSQL variants"
                )]
                async fn postgres() {
                    super::$name($crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await).await;
                }
            }
        )*
    };
}

/// Declares tests that need PostgreSQL (several instances on one database,
/// notices): listed as ignored, with the reason, when the suite was built
/// without `NEWSDESK_TEST_POSTGRES_URL`.
#[macro_export]
macro_rules! postgres_tests {
    ($( $(#[doc = $doc:literal])* async fn $name:ident() $body:block )+) => {$(
        $(#[doc = $doc])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        #[cfg_attr(
            not(newsdesk_postgres_tests),
            ignore = "set NEWSDESK_TEST_POSTGRES_URL to run the PostgreSQL variants"
        )]
        async fn $name() $body
    )+};
}
