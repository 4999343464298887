//! Settings, from command-line flags or their environment variables.
//! Every setting has a default, so a bare `newsdesk` runs.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::db::DatabaseUrl;
use crate::domain::language::SiteLanguage;
use crate::domain::site::{Placeholder, PublicUrl, Site, UrlTemplate, UrlTemplates};
use crate::domain::{Role, Vocabulary};
use crate::media::store::MediaLocation;

/// Newsdesk: the content backend of a news site (REST + GraphQL).
#[derive(Debug, Parser)]
#[command(name = "newsdesk", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve {
        /// Fill an empty database with demo content first.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill the database with content.
    Seed(SeedArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Exit 0 if the service at `--bind` answers `/healthz` (for container health checks).
    Healthcheck,
    /// Copy the SQLite database, consistent and compacted, to a new file,
    /// while the service keeps running (PostgreSQL: use `pg_dump`).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["demo", "articles"])))]
pub struct SeedArgs {
    /// The demo newsroom: sections, tags, staff and readers, a few dozen stories, comments.
    #[arg(long)]
    pub demo: bool,
    /// Generate this many extra published articles (benchmark-size data sets).
    #[arg(long)]
    pub articles: Option<u32>,
    /// Generate this many comments in all, spread over the generated articles.
    #[arg(long, requires = "articles")]
    pub comments: Option<u32>,
    /// Seed of the generator: the same seed gives the same content.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (the way to make the first admin).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The password; prefer the environment variable, which `ps` does not show.
        #[arg(long, env = "NEWSDESK_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// Defaults to the part of the email before the `@`.
        #[arg(long)]
        display_name: Option<String>,
    },
}

fn article_template(raw: &str) -> Result<UrlTemplate, String> {
    UrlTemplate::parse(raw, Placeholder::FOR_ARTICLES)
}

fn section_template(raw: &str) -> Result<UrlTemplate, String> {
    UrlTemplate::parse(raw, Placeholder::FOR_SECTIONS)
}

fn tag_template(raw: &str) -> Result<UrlTemplate, String> {
    UrlTemplate::parse(raw, Placeholder::FOR_TAGS)
}

fn author_template(raw: &str) -> Result<UrlTemplate, String> {
    UrlTemplate::parse(raw, Placeholder::FOR_AUTHORS)
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse_field(raw, "--role").map_err(|e| e.message)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Runtime settings of the service.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: postgres://…, sqlite://path, or a SQLite file path.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://newsdesk.db", global = true)]
    pub database_url: DatabaseUrl,
    /// Address and port to listen on.
    #[arg(long, env = "NEWSDESK_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,
    /// Key that signs access tokens (at least 32 bytes). Without one, a
    /// random key is generated once and kept in the database.
    #[arg(long, env = "NEWSDESK_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,
    /// A PostgreSQL streaming replica of the database, for reads that may
    /// come from one (repeat the flag for several; space-separated in the
    /// variable: a URL may hold commas, as libpq's multi-host ones do). A
    /// read goes to one only when it has replayed every write this instance
    /// knows of, so writers read their writes; otherwise, or when it is
    /// down, to the primary.
    #[arg(
        long = "database-replica-url",
        env = "NEWSDESK_DATABASE_REPLICA_URLS",
        value_delimiter = ' ',
        global = true,
        hide_env_values = true
    )]
    pub database_replica_urls: Vec<DatabaseUrl>,
    /// Database connections in the pool [default: 2 × CPUs + 2].
    #[arg(long, env = "NEWSDESK_DB_POOL_SIZE", global = true, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: Option<u32>,
    /// HTTP worker threads [default: one per CPU].
    #[arg(long, env = "NEWSDESK_WORKERS", global = true, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub workers: Option<u16>,
    /// Origins allowed to call the API from a browser, comma-separated; `*` for any.
    #[arg(long, env = "NEWSDESK_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,
    /// `max-age`, in seconds, of the `Cache-Control` sent with anonymous reads.
    #[arg(long, env = "NEWSDESK_CACHE_MAX_AGE", default_value_t = 30, global = true)]
    pub cache_max_age: u32,
    /// Keep anonymous reads in memory until a write changes what they show
    /// (exact and targeted: a comment empties its article's pages and the
    /// lists showing it, on every instance, and nothing else). Off, only
    /// their ETags are kept, so that a matching `If-None-Match` costs no query.
    #[arg(long, env = "NEWSDESK_RESPONSE_CACHE", default_value = "on", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, global = true)]
    pub response_cache: bool,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "NEWSDESK_MAX_BODY_BYTES", default_value_t = 1_048_576, global = true, value_parser = clap::value_parser!(u64).range(1024..=104_857_600))]
    pub max_body_bytes: u64,
    /// Log filter, in `tracing` syntax (`info`, `newsdesk=debug,info`).
    #[arg(long, env = "NEWSDESK_LOG", default_value = "info", global = true)]
    pub log: String,
    /// Log line format.
    #[arg(long, env = "NEWSDESK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Seconds to finish in-flight requests after SIGTERM before closing.
    #[arg(long, env = "NEWSDESK_SHUTDOWN_TIMEOUT", default_value_t = 30, global = true)]
    pub shutdown_timeout: u64,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "NEWSDESK_ACCESS_TOKEN_TTL", default_value_t = 600, global = true, value_parser = clap::value_parser!(u64).range(30..=86_400))]
    pub access_token_ttl: u64,
    /// Lifetime of refresh tokens, in days.
    #[arg(long, env = "NEWSDESK_REFRESH_TOKEN_TTL_DAYS", default_value_t = 30, global = true, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub refresh_token_ttl_days: u32,
    /// How long a preview link opens its article, in hours.
    #[arg(long, env = "NEWSDESK_PREVIEW_LIFETIME_HOURS", default_value_t = crate::domain::preview::DEFAULT_LIFETIME_HOURS, global = true, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub preview_lifetime_hours: u32,
    /// How long a deleted article stays in the trash, restorable, in days.
    #[arg(long, env = "NEWSDESK_TRASH_RETENTION_DAYS", default_value_t = crate::domain::trash::DEFAULT_RETENTION_DAYS, global = true, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub trash_retention_days: u32,
    /// Sign-in attempts per minute per client address (0: no limit).
    #[arg(long, env = "NEWSDESK_LOGIN_RATE", default_value_t = 10, global = true)]
    pub login_rate: u32,
    /// Sign-ups per hour per client address (0: no limit).
    #[arg(long, env = "NEWSDESK_REGISTER_RATE", default_value_t = 20, global = true)]
    pub register_rate: u32,
    /// Token refreshes per minute per client address (0: no limit).
    #[arg(long, env = "NEWSDESK_REFRESH_RATE", default_value_t = 30, global = true)]
    pub refresh_rate: u32,
    /// Comments per minute per user (0: no limit).
    #[arg(long, env = "NEWSDESK_COMMENT_RATE", default_value_t = 6, global = true)]
    pub comment_rate: u32,
    /// Deepest GraphQL operation accepted (fields within fields).
    #[arg(long, env = "NEWSDESK_GRAPHQL_DEPTH_LIMIT", default_value_t = 12, global = true)]
    pub graphql_depth_limit: usize,
    /// Costliest GraphQL operation accepted: each field 1, each list 10 plus
    /// `first` times its items, each search 500 more.
    #[arg(long, env = "NEWSDESK_GRAPHQL_COMPLEXITY_LIMIT", default_value_t = 5000, global = true)]
    pub graphql_complexity_limit: usize,
    /// Answer GraphQL introspection queries (GraphiQL needs them).
    #[arg(long, env = "NEWSDESK_GRAPHQL_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub graphql_introspection: bool,
    /// The site's language (a BCP 47 tag: `en`, `de`, `pt-BR`…): search
    /// stems words by its rules. Changing it rebuilds the search index at
    /// the next start; every instance of a site must share it.
    #[arg(long, env = "NEWSDESK_SITE_LANGUAGE", default_value = "en", global = true)]
    pub site_language: SiteLanguage,
    /// The public site's address (`https://news.example.org`): every `url`,
    /// feed, sitemap and structured-data document is written with it. The
    /// site passes `/feeds/`, `/sitemap.xml`, `/sitemaps/`, `/robots.txt`
    /// and `/media/` through to Newsdesk [default: `http://` and `--bind`].
    #[arg(long, env = "NEWSDESK_PUBLIC_URL", global = true)]
    pub public_url: Option<PublicUrl>,
    /// The publication's name, as feeds, structured data and Google News show it.
    #[arg(long, env = "NEWSDESK_SITE_NAME", default_value = "Newsdesk", global = true)]
    pub site_name: String,
    /// Where an article's page is: `{public_url}`, `{section}`, `{slug}`,
    /// `{id}`, `{yyyy}`, `{mm}`, `{dd}` (its publication date).
    #[arg(long, env = "NEWSDESK_ARTICLE_URL_TEMPLATE", default_value = UrlTemplate::ARTICLE_DEFAULT, value_parser = article_template, global = true)]
    pub article_url_template: UrlTemplate,
    /// Where a section's page is: `{public_url}`, `{slug}`, `{id}`.
    #[arg(long, env = "NEWSDESK_SECTION_URL_TEMPLATE", default_value = UrlTemplate::SECTION_DEFAULT, value_parser = section_template, global = true)]
    pub section_url_template: UrlTemplate,
    /// Where a tag's page is: `{public_url}`, `{slug}`, `{id}`.
    #[arg(long, env = "NEWSDESK_TAG_URL_TEMPLATE", default_value = UrlTemplate::TAG_DEFAULT, value_parser = tag_template, global = true)]
    pub tag_url_template: UrlTemplate,
    /// Where an author's page is: `{public_url}`, `{id}`.
    #[arg(long, env = "NEWSDESK_AUTHOR_URL_TEMPLATE", default_value = UrlTemplate::AUTHOR_DEFAULT, value_parser = author_template, global = true)]
    pub author_url_template: UrlTemplate,
    /// Feeds carry each article's whole text (HTML), not only its summary.
    #[arg(long, env = "NEWSDESK_FEED_FULL_CONTENT", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub feed_full_content: bool,
    /// A secret that `/metrics` requires as `Authorization: Bearer <token>`;
    /// unset, `/metrics` is open (keep it off the public network then).
    #[arg(long, env = "NEWSDESK_METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Take the client address from `X-Forwarded-For`: its last hop, the one
    /// the proxy in front appended (only behind a proxy that sets it).
    #[arg(long, env = "NEWSDESK_TRUST_FORWARDED_FOR", default_value_t = false, global = true)]
    pub trust_forwarded_for: bool,
    /// Where uploaded images and their renditions are kept [default: a
    /// directory beside the SQLite file, `newsdesk.db` → `newsdesk-media`;
    /// `./media` on PostgreSQL].
    #[arg(long, env = "NEWSDESK_MEDIA_DIR", global = true)]
    pub media_dir: Option<std::path::PathBuf>,
    /// Keep images in an S3-compatible bucket instead, shared by several
    /// instances: `s3://bucket[/prefix]`. The endpoint, region and keys come
    /// from `AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` (`AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint).
    #[arg(long, env = "NEWSDESK_MEDIA_S3_URL", global = true, conflicts_with = "media_dir")]
    pub media_s3_url: Option<String>,
    /// Settings of the bucket beyond the `AWS_*` variables, in
    /// object_store's names (`aws_endpoint`, `aws_access_key_id`…): for
    /// embedding the service and for tests, which cannot set variables.
    #[arg(skip)]
    pub media_s3_options: Vec<(String, String)>,
    /// Largest image upload accepted, in bytes [default: 20 MiB].
    #[arg(long, env = "NEWSDESK_MEDIA_MAX_BYTES", default_value_t = 20 * 1024 * 1024, global = true, value_parser = clap::value_parser!(u64).range(1024..=1_073_741_824))]
    pub media_max_bytes: u64,
    /// Largest image accepted, in pixels (width × height): a small file
    /// claiming a huge image is refused before it is decoded.
    #[arg(long, env = "NEWSDESK_MEDIA_MAX_PIXELS", default_value_t = 40_000_000, global = true, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub media_max_pixels: u64,
    /// Memory that decoding and resizing images may hold at once, in MiB:
    /// a burst of uploads waits for its share instead of exhausting memory.
    #[arg(long, env = "NEWSDESK_MEDIA_MEMORY_MIB", default_value_t = 96, global = true, value_parser = clap::value_parser!(u32).range(16..=65_536))]
    pub media_memory_mib: u32,
    /// Let webhooks reach private, loopback and link-local addresses (an
    /// endpoint on the same network); refused by default, so that a webhook
    /// cannot probe the service's own network.
    #[arg(long, env = "NEWSDESK_WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub webhook_allow_private: bool,
    /// The most addresses one sitemap file lists: the protocol's 50,000;
    /// tests page at fewer.
    #[arg(skip = crate::domain::site::sitemap::SITEMAP_MAX_URLS)]
    pub sitemap_max_urls: u64,
    /// Run the scheduler (scheduled publications, limit upkeep) on its own.
    /// Always on from the command line; tests turn it off and drive it.
    #[arg(skip = true)]
    pub background_tasks: bool,
}

impl Settings {
    pub fn pool_size(&self) -> u32 {
        self.db_pool_size.unwrap_or_else(|| {
            let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
            u32::try_from(cpus * 2 + 2).unwrap_or(16)
        })
    }

    pub fn workers(&self) -> usize {
        self.workers
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// Where images are kept: the bucket, the directory given, or one
    /// beside the SQLite file (`./media` on PostgreSQL).
    pub fn media_location(&self) -> MediaLocation {
        if let Some(url) = &self.media_s3_url {
            return MediaLocation::S3 { url: url.clone(), options: self.media_s3_options.clone() };
        }
        if let Some(dir) = &self.media_dir {
            return MediaLocation::Directory(dir.clone());
        }
        match &self.database_url {
            DatabaseUrl::Sqlite(path) => {
                let path = std::path::Path::new(path);
                let stem = path.file_stem().map_or_else(|| "newsdesk".into(), |s| s.to_string_lossy());
                MediaLocation::Directory(path.with_file_name(format!("{stem}-media")))
            }
            DatabaseUrl::Postgres(_) => MediaLocation::Directory("media".into()),
        }
    }

    /// The public site, as the settings describe it.
    pub fn site(&self) -> Site {
        let public_url = self.public_url.clone().unwrap_or_else(|| {
            let host = if self.bind.ip().is_unspecified() {
                "localhost".to_owned()
            } else {
                self.bind.ip().to_string()
            };
            let host = if self.bind.is_ipv6() && !self.bind.ip().is_unspecified() {
                format!("[{host}]")
            } else {
                host
            };
            format!("http://{host}:{}", self.bind.port()).parse().unwrap_or_else(|_| unreachable!())
        });
        Site {
            public_url,
            name: self.site_name.trim().to_owned(),
            language: self.site_language.clone(),
            urls: UrlTemplates {
                article: self.article_url_template.clone(),
                section: self.section_url_template.clone(),
                tag: self.tag_url_template.clone(),
                author: self.author_url_template.clone(),
            },
        }
    }

    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout)
    }

    /// Settings as a bare `newsdesk` would have them, on another database and
    /// a free port: what the integration tests start the service with.
    pub fn for_tests(database_url: DatabaseUrl) -> Self {
        let mut settings = Cli::parse_from(["newsdesk", "--bind", "127.0.0.1:0"]).settings;
        settings.database_url = database_url;
        settings.workers = Some(1);
        settings.db_pool_size = Some(4);
        // Tests sign in many times from one address; the limits get tests of their own.
        settings.login_rate = 0;
        settings.register_rate = 0;
        settings.refresh_rate = 0;
        settings.comment_rate = 0;
        // Tests publish scheduled articles by calling the scheduler themselves,
        // so no background query runs while they count statements.
        settings.background_tasks = false;
        // Never the working directory's `media`: each instance a directory
        // of its own unless the test shares one.
        let media = format!("newsdesk-test-media-{}", uuid::Uuid::now_v7().simple());
        settings.media_dir = Some(std::env::temp_dir().join(media));
        settings.public_url = Some("https://news.example.org".parse().unwrap_or_else(|_| unreachable!()));
        // Tests receive webhooks on loopback; refusing them has a test of its own.
        settings.webhook_allow_private = true;
        settings
    }
}

#[cfg(test)]
mod tests;
