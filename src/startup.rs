//! Building and running the HTTP service. Everything shared (pool, services,
//! the OpenAPI document) is built once here, outside the per-worker factory.

use crate::db::search::index::Rebuild;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, guard, web};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::config::Settings;
use crate::db::maintenance::{self, Checkpoint};
use crate::db::{Db, migrate};
use crate::error::AppError;
use crate::graphql::{self, persisted::PersistedQueries};
use crate::http::cache::{HttpCache, conditional_get, prefer_gzip};
use crate::http::cors::{cors, refusals_as_problems};
use crate::http::extract::{BodyLimit, ClientIpPolicy};
use crate::http::metrics::{HttpCounters, count_requests};
use crate::http::rate_limit_headers::rate_limit_headers;
use crate::http::request_id::echo_request_id;
use crate::http::request_span::RequestSpan;
use crate::http::routes::{KnownRoutes, unmatched};
use crate::http::security_headers::security_headers;
use crate::rest::metrics::MetricsToken;
use crate::rest::openapi::OpenApiJson;
use crate::rest::{self, problem};
use crate::service::limits::LimitSettings;
use crate::service::media::MediaSettings;
use crate::service::{ServiceSettings, Services};

/// A bound, not yet running service.
pub struct Application {
    address: SocketAddr,
    server: Server,
    services: Services,
    /// Whether the scheduler runs on its own.
    background: bool,
}

impl Application {
    /// Opens and migrates the database, seeds demo content into an empty one
    /// if asked, and binds the listener.
    pub async fn build(settings: Settings, demo: bool) -> anyhow::Result<Self> {
        let db =
            Db::connect(&settings.database_url, settings.pool_size(), settings.site_language.stemming())?;
        let migrations_db = db.clone();
        let applied = migrations_db
            .run(|conn| migrate::run_pending(conn, Rebuild::IfLanguageChanged).map_err(AppError::from))
            .await?;
        if applied > 0 {
            tracing::info!(applied, database = %settings.database_url, "migrations applied");
        }
        // A write-ahead log left long (a crash mid-write) is folded in and cut.
        db.run(|conn| maintenance::checkpoint(conn, Checkpoint::Truncate)).await?;
        let mut demo_loaded = false;
        if demo {
            let seed_db = db.clone();
            let seeded =
                tokio::task::spawn_blocking(move || crate::seed::demo::load_unless_articles(&seed_db))
                    .await??;
            if let Some(report) = seeded {
                tracing::info!(%report, "demo content loaded");
                demo_loaded = true;
            }
        }
        // Replicas from here on: reads need them to have replayed the
        // migrations and the demo content (none is read before this).
        let db = db.with_replicas(&settings.database_replica_urls, settings.pool_size())?;
        // Before any token is checked: sign-ins that ended before this start.
        db.load_revocations().await?;
        let services = Services::new(db, &service_settings(&settings)).await?;
        if demo_loaded {
            let photos = crate::seed::media::attach_covers(&services).await?;
            tracing::info!(photos, "demo cover photos drawn and uploaded");
        }
        let listener = TcpListener::bind(settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let address = listener.local_addr()?;
        let server = server(listener, services.clone(), &settings)?;
        Ok(Self { address, server, services, background: settings.background_tasks })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves until SIGINT/SIGTERM, then drains in-flight requests. With
    /// `background` off (tests), the scheduler does not run: whoever started
    /// the service drives it ([`Services::publish_due`]).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let background = self.background.then(|| tokio::spawn(self.services.clone().run_background()));
        let relay = tokio::spawn(self.services.clone().relay_sibling_events());
        let goodbye = self.background.then(|| tokio::spawn(say_goodbye_on_signal(self.services.clone())));
        let served = self.server.await;
        if let Some(background) = background {
            background.abort();
        }
        if let Some(goodbye) = goodbye {
            goodbye.abort();
        }
        relay.abort();
        served?;
        Ok(())
    }
}

/// On SIGINT or SIGTERM (which the server also hears, and then drains its
/// requests), tells open WebSockets to close with 1001 Going Away: a socket
/// would otherwise hold the drain open until the shutdown timeout and then
/// be cut without a close frame.
async fn say_goodbye_on_signal(services: Services) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut terminate), Ok(mut interrupt)) =
        (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
    else {
        return;
    };
    tokio::select! {
        _ = terminate.recv() => {}
        _ = interrupt.recv() => {}
    }
    services.begin_shutdown();
}

/// The service layer's settings, from the command line's.
pub fn service_settings(settings: &Settings) -> ServiceSettings {
    ServiceSettings {
        jwt_secret: settings.jwt_secret.clone(),
        access_token_ttl: std::time::Duration::from_secs(settings.access_token_ttl),
        refresh_token_ttl_days: settings.refresh_token_ttl_days,
        preview_lifetime_hours: settings.preview_lifetime_hours,
        trash_retention_days: settings.trash_retention_days,
        limits: LimitSettings {
            logins_per_minute: settings.login_rate,
            registrations_per_hour: settings.register_rate,
            refreshes_per_minute: settings.refresh_rate,
            comments_per_minute: settings.comment_rate,
        },
        media: MediaSettings {
            location: settings.media_location(),
            max_bytes: settings.media_max_bytes,
            max_pixels: settings.media_max_pixels,
            work_memory_mib: settings.media_memory_mib,
        },
        site: settings.site(),
        feed_full_content: settings.feed_full_content,
        sitemap_max_urls: settings.sitemap_max_urls,
        webhook_allow_private: settings.webhook_allow_private,
    }
}

fn graphql_limits(settings: &Settings) -> graphql::Limits {
    graphql::Limits {
        depth: settings.graphql_depth_limit,
        complexity: settings.graphql_complexity_limit,
        introspection: settings.graphql_introspection,
    }
}

/// Every route and its methods: the documented ones from the OpenAPI
/// document, and the few it does not describe.
fn known_routes() -> KnownRoutes {
    let mut routes = KnownRoutes::default();
    for (path, item) in rest::openapi::document().paths.paths {
        let methods = [
            (item.get.is_some(), "GET"),
            (item.post.is_some(), "POST"),
            (item.put.is_some(), "PUT"),
            (item.patch.is_some(), "PATCH"),
            (item.delete.is_some(), "DELETE"),
        ];
        routes.add(&path, methods.into_iter().filter(|(present, _)| *present).map(|(_, m)| m));
    }
    routes.add("/openapi.json", ["GET"]);
    routes.add("/graphql", ["GET", "POST"]);
    routes.add("/graphql/ws", ["GET"]);
    routes.add("/graphql/assets/{file}", ["GET"]);
    routes
}

fn server(listener: TcpListener, services: Services, settings: &Settings) -> anyhow::Result<Server> {
    let services = web::Data::new(services);
    let openapi = web::Data::new(OpenApiJson(Arc::new(rest::openapi::document_json())));
    let cache_policy = web::Data::new(HttpCache::new(settings.cache_max_age, settings.response_cache));
    let body_limit = usize::try_from(settings.max_body_bytes).unwrap_or(usize::MAX);
    let cors_origins = settings.cors_origins.clone();
    let body_limit_data = web::Data::new(BodyLimit(body_limit));
    let ip_policy = web::Data::new(ClientIpPolicy { trust_forwarded_for: settings.trust_forwarded_for });
    let metrics_token = web::Data::new(MetricsToken(settings.metrics_token.clone()));
    let sockets = web::Data::new(graphql::ws::OpenSockets::default());
    let counters = web::Data::new(HttpCounters::default());
    let schemas = web::Data::new(graphql::schemas(services.get_ref().clone(), graphql_limits(settings)));
    let persisted = web::Data::new(PersistedQueries::default());
    let routes = web::Data::new(known_routes());

    let server = HttpServer::new(move || {
        let app = App::new()
            .app_data(services.clone())
            .app_data(openapi.clone())
            .app_data(cache_policy.clone())
            .app_data(body_limit_data.clone())
            .app_data(ip_policy.clone())
            .app_data(metrics_token.clone())
            .app_data(sockets.clone())
            .app_data(counters.clone())
            .app_data(schemas.clone())
            .app_data(persisted.clone())
            .app_data(routes.clone())
            .app_data(web::QueryConfig::default().error_handler(problem::query_error))
            .app_data(web::PathConfig::default().error_handler(problem::path_error))
            // Innermost first: cache validators see the uncompressed body.
            .wrap(from_fn(conditional_get))
            .wrap(cors(&cors_origins))
            .wrap(from_fn(refusals_as_problems))
            .wrap(Compress::default())
            .wrap(from_fn(prefer_gzip))
            .wrap(from_fn(rate_limit_headers))
            .wrap(from_fn(count_requests))
            .wrap(from_fn(echo_request_id))
            .wrap(from_fn(security_headers))
            .wrap(TracingLogger::<RequestSpan>::new())
            .into_utoipa_app()
            .configure(rest::configure)
            .into_app();
        app.route("/openapi.json", web::get().to(rest::openapi::serve))
            // The GraphQL multipart request (uploads) first: the JSON route
            // refuses any other body.
            .route(
                "/graphql",
                web::post().guard(guard::fn_guard(graphql::upload::is_multipart)).to(graphql::upload::post),
            )
            .route("/graphql", web::post().to(graphql::http::post))
            .route("/graphql", web::get().to(graphql::http::get))
            .route("/graphql/ws", web::get().to(graphql::ws::websocket))
            .route("/graphql/assets/{file}", web::get().to(graphql::graphiql_asset))
            .service(web::redirect("/docs", "/docs/"))
            // No validator: Swagger UI would otherwise send the document's
            // address to validator.swagger.io, which fails offline and tells a
            // third party where a private API lives.
            .service(
                SwaggerUi::new("/docs/{_:.*}")
                    .config(SwaggerConfig::from("/openapi.json").validator_url("none")),
            )
            .default_service(web::to(unmatched))
    })
    // Responses are written in pieces (compressed ones stream chunked); with
    // Nagle's algorithm on, the last piece waits for the client's delayed ACK,
    // some 40 ms on every kept-alive request.
    .on_connect(|connection, _| {
        if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
            && let Err(error) = tcp.set_nodelay(true)
        {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
    })
    .workers(settings.workers())
    .shutdown_timeout(settings.shutdown_timeout().as_secs())
    .listen(listener)?
    .run();
    Ok(server)
}
