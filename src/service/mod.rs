//! The use-cases of Newsdesk. Every rule (who may see or do what, what input
//! is valid, which moves a story may make) is decided here, once; the REST and
//! GraphQL adapters only translate to and from their wire formats.

pub mod accounts;
pub mod articles;
pub mod audit;
pub mod budget;
pub mod collections;
pub mod comments;
pub mod distribution;
pub mod events;
pub mod freshness;
pub mod limits;
pub mod me;
pub mod media;
pub mod moderation;
pub mod password_resets;
pub mod scheduler;
pub mod sections;
pub mod sessions;
pub mod tags;
pub mod webhooks;

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::auth::jwt::{MIN_SECRET_BYTES, TokenKeys};
use crate::db::Db;
use crate::db::repo::sessions::secret_or_insert;
use crate::domain::site::Site;
use crate::domain::time::{now, to_db};
use limits::{LimitSettings, RateLimits};

/// How the service layer is configured.
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    /// Signs access tokens; without one, a key kept in the database.
    pub jwt_secret: Option<String>,
    pub access_token_ttl: std::time::Duration,
    pub refresh_token_ttl_days: u32,
    /// How long a preview link opens its article.
    pub preview_lifetime_hours: u32,
    /// How long a deleted article stays restorable.
    pub trash_retention_days: u32,
    pub limits: LimitSettings,
    pub media: media::MediaSettings,
    /// The public site: where every page is, its name and language.
    pub site: Site,
    /// Feeds carry whole articles, not only their summaries.
    pub feed_full_content: bool,
    /// The most addresses one sitemap file lists.
    pub sitemap_max_urls: u64,
    /// Webhooks may reach private, loopback and link-local addresses.
    pub webhook_allow_private: bool,
}

/// The service layer: cheap to clone, shared by every worker and both APIs.
#[derive(Clone)]
pub struct Services {
    db: Db,
    tokens: TokenKeys,
    limits: Arc<RateLimits>,
    refresh_lifetime: chrono::Duration,
    preview_lifetime: chrono::Duration,
    trash_retention: chrono::Duration,
    events: tokio::sync::broadcast::Sender<events::Event>,
    /// Tells this instance's own notices apart from its siblings'.
    instance: uuid::Uuid,
    /// Password hashing runs one per CPU at most: each argon2 hash takes
    /// 19 MiB and tens of milliseconds, and a burst of sign-ins must queue,
    /// not multiply memory.
    hashing: Arc<tokio::sync::Semaphore>,
    /// The media library's files, and the memory budget image work runs in.
    media: media::MediaFiles,
    site: Arc<Site>,
    feed_full_content: bool,
    sitemap_max_urls: u64,
    /// Sends webhook deliveries.
    webhook_sender: crate::webhooks::Sender,
    /// Set when deliveries became due without a write the worker hears of
    /// (a redelivery, an endpoint enabled again).
    webhook_wake: Arc<std::sync::atomic::AtomicBool>,
    /// Set when the instance begins to shut down: long-lived connections
    /// (WebSockets) say goodbye instead of holding the drain open.
    stopping: Arc<tokio::sync::watch::Sender<bool>>,
}

/// Where a generated JWT key is kept when none is configured.
const JWT_SECRET_NAME: &str = "jwt_signing_key";

impl Services {
    /// Builds the services; without a configured JWT secret, uses the one
    /// kept in the database, generating it on first start.
    pub async fn new(db: Db, settings: &ServiceSettings) -> anyhow::Result<Self> {
        let secret = match &settings.jwt_secret {
            Some(secret) => secret.as_bytes().to_vec(),
            None => {
                let mut fresh = [0u8; MIN_SECRET_BYTES];
                rand::fill(&mut fresh);
                let fresh = STANDARD.encode(fresh);
                let kept =
                    db.run(move |conn| secret_or_insert(conn, JWT_SECRET_NAME, &fresh, to_db(now()))).await?;
                STANDARD.decode(kept).map_err(|e| anyhow::anyhow!("stored JWT key is corrupt: {e}"))?
            }
        };
        Ok(Self {
            db,
            tokens: TokenKeys::new(&secret, settings.access_token_ttl)?,
            limits: Arc::new(RateLimits::new(settings.limits)),
            refresh_lifetime: chrono::Duration::days(i64::from(settings.refresh_token_ttl_days)),
            preview_lifetime: chrono::Duration::hours(i64::from(settings.preview_lifetime_hours)),
            trash_retention: chrono::Duration::days(i64::from(settings.trash_retention_days)),
            events: events::channel(),
            instance: uuid::Uuid::now_v7(),
            hashing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
            media: media::MediaFiles::new(&settings.media)?,
            site: Arc::new(settings.site.clone()),
            feed_full_content: settings.feed_full_content,
            sitemap_max_urls: settings.sitemap_max_urls.max(1),
            webhook_sender: crate::webhooks::Sender::new(settings.webhook_allow_private)?,
            webhook_wake: Arc::default(),
            stopping: Arc::new(tokio::sync::watch::channel(false).0),
        })
    }

    /// Tells long-lived connections that the instance is shutting down.
    pub fn begin_shutdown(&self) {
        self.stopping.send_replace(true);
    }

    /// Changes to `true` when the instance begins to shut down.
    pub fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The public site: every `url` the APIs show is on it.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The site, to take into a transaction.
    fn shared_site(&self) -> Arc<Site> {
        self.site.clone()
    }

    fn media_files(&self) -> &media::MediaFiles {
        &self.media
    }
}

impl Services {
    /// SQL statements run since start-up.
    pub fn db_queries_run(&self) -> u64 {
        self.db.queries_run()
    }

    /// Moves whenever a write commits anywhere: see [`Db::generation`].
    pub fn db_generation(&self) -> u64 {
        self.db.generation()
    }

    /// Whether a read stamped `stamp` that showed `keys` is still current.
    pub fn is_fresh(&self, stamp: u64, keys: &[freshness::Key]) -> bool {
        self.db.is_fresh(stamp, keys)
    }

    /// Database pool connections: (open, idle).
    pub fn db_pool_state(&self) -> (u32, u32) {
        self.db.pool_state()
    }

    /// Reads served by read replicas, and reads passed over to the primary
    /// (no replica had caught up, or none answered), since start-up.
    pub fn db_replica_reads(&self) -> (u64, u64) {
        self.db.replica_reads()
    }

    /// Runs password hashing or verification off the async workers, within
    /// the hashing budget.
    async fn hashing<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> crate::error::AppResult<T> + Send + 'static,
    ) -> crate::error::AppResult<T> {
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|_| crate::error::AppError::Unavailable("shutting down".into()))?;
        tokio::task::spawn_blocking(work).await.map_err(crate::error::AppError::internal)?
    }

    /// Fails with `Unavailable` unless the database answers.
    pub async fn check_ready(&self) -> crate::error::AppResult<()> {
        self.db.ping().await.map_err(|e| crate::error::AppError::Unavailable(format!("database: {e}")))
    }
}
