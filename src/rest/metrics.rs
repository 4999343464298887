//! `/metrics`: Prometheus counters for requests, the response cache and
//! database statements, and gauges of the pool and of live subscriptions.
//! Statements per request (`db_queries_total` / `http_requests_total`) is how
//! the benchmark proves lists and feeds cost the same at any page size.

use std::fmt::Write;

use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::http::cache::HttpCache;
use crate::http::metrics::HttpCounters;
use crate::service::Services;

/// The secret `/metrics` asks for (`--metrics-token`), if one is set.
pub struct MetricsToken(pub Option<String>);

impl MetricsToken {
    /// Whether `req` may read the metrics: always without a token set, else
    /// only with `Authorization: Bearer <token>` (compared in constant time,
    /// so timing tells nothing of how much of a guess was right).
    fn admits(&self, req: &HttpRequest) -> bool {
        let Some(token) = &self.0 else { return true };
        req.headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .is_some_and(|(_, given)| bool::from(given.trim().as_bytes().ct_eq(token.trim().as_bytes())))
    }
}

/// Prometheus metrics
///
/// Counters of HTTP requests (by status class), of anonymous reads answered
/// from the response cache or not, and of database statements, and the
/// connection pool's and live subscriptions' state, in the Prometheus text
/// format. Open, unless the service runs with `--metrics-token`: then only
/// with that token as a bearer token.
#[utoipa::path(
    tag = "operations",
    security((), ("metrics_token" = [])),
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 401, description = "A metrics token is set and was not given", body = super::problem::Problem,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    access: Data<MetricsToken>,
    services: Data<Services>,
    counters: Data<HttpCounters>,
    cache: Data<HttpCache>,
) -> Result<HttpResponse, AppError> {
    if !access.admits(&req) {
        return Err(AppError::Unauthenticated("`/metrics` needs the metrics token as a bearer token".into()));
    }
    let mut out = String::with_capacity(1024);
    let _ = writeln!(out, "# HELP newsdesk_http_requests_total HTTP requests served, by status class.");
    let _ = writeln!(out, "# TYPE newsdesk_http_requests_total counter");
    for (i, count) in counters.by_class().into_iter().enumerate() {
        let _ = writeln!(out, "newsdesk_http_requests_total{{status=\"{}xx\"}} {count}", i + 1);
    }
    let (hits, misses) = cache.hits_and_misses();
    let _ = writeln!(
        out,
        "# HELP newsdesk_response_cache_requests_total Anonymous reads answered from memory (hit) or read anew (miss)."
    );
    let _ = writeln!(out, "# TYPE newsdesk_response_cache_requests_total counter");
    let _ = writeln!(out, "newsdesk_response_cache_requests_total{{result=\"hit\"}} {hits}");
    let _ = writeln!(out, "newsdesk_response_cache_requests_total{{result=\"miss\"}} {misses}");
    let _ = writeln!(out, "# HELP newsdesk_db_queries_total SQL statements run.");
    let _ = writeln!(out, "# TYPE newsdesk_db_queries_total counter");
    let _ = writeln!(out, "newsdesk_db_queries_total {}", services.db_queries_run());
    let (open, idle) = services.db_pool_state();
    let _ = writeln!(out, "# HELP newsdesk_db_pool_connections Database connections in the pool.");
    let _ = writeln!(out, "# TYPE newsdesk_db_pool_connections gauge");
    let _ = writeln!(out, "newsdesk_db_pool_connections{{state=\"idle\"}} {idle}");
    let _ = writeln!(out, "newsdesk_db_pool_connections{{state=\"busy\"}} {}", open.saturating_sub(idle));
    let (served, passed_over) = services.db_replica_reads();
    let _ = writeln!(
        out,
        "# HELP newsdesk_db_replica_reads_total Reads that may come from a read replica: served by one, \
         or passed over to the primary (no replica had replayed every write heard of, or none answered)."
    );
    let _ = writeln!(out, "# TYPE newsdesk_db_replica_reads_total counter");
    let _ = writeln!(out, "newsdesk_db_replica_reads_total{{result=\"served\"}} {served}");
    let _ = writeln!(out, "newsdesk_db_replica_reads_total{{result=\"passed_over\"}} {passed_over}");
    let _ = writeln!(
        out,
        "# HELP newsdesk_subscribers GraphQL subscriptions listening for events on this instance."
    );
    let _ = writeln!(out, "# TYPE newsdesk_subscribers gauge");
    let _ = writeln!(out, "newsdesk_subscribers {}", services.subscribers());
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .insert_header(("Cache-Control", "no-store"))
        .body(out))
}
