//! `/metrics`: Prometheus counters for requests and database statements.
//! Statements per request (`db_queries_total` / `http_requests_total`) is how
//! the benchmark proves lists and feeds cost the same at any page size.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{HttpResponse, get};

use crate::service::Services;

/// Requests served, by status class (1xx…5xx).
#[derive(Default)]
pub struct HttpCounters {
    by_class: [AtomicU64; 5],
}

pub async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let counters = req.app_data::<Data<HttpCounters>>().cloned();
    let response = next.call(req).await?;
    if let Some(counters) = counters {
        let class = usize::from(response.status().as_u16() / 100).clamp(1, 5) - 1;
        counters.by_class[class].fetch_add(1, Ordering::Relaxed);
    }
    Ok(response)
}

/// Prometheus metrics
///
/// Counters of HTTP requests (by status class) and database statements, and
/// the connection pool's state, in the Prometheus text format.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn metrics(services: Data<Services>, counters: Data<HttpCounters>) -> HttpResponse {
    let mut out = String::with_capacity(1024);
    let _ = writeln!(out, "# HELP newsdesk_http_requests_total HTTP requests served, by status class.");
    let _ = writeln!(out, "# TYPE newsdesk_http_requests_total counter");
    for (i, counter) in counters.by_class.iter().enumerate() {
        let _ = writeln!(
            out,
            "newsdesk_http_requests_total{{status=\"{}xx\"}} {}",
            i + 1,
            counter.load(Ordering::Relaxed)
        );
    }
    let _ = writeln!(out, "# HELP newsdesk_db_queries_total SQL statements run.");
    let _ = writeln!(out, "# TYPE newsdesk_db_queries_total counter");
    let _ = writeln!(out, "newsdesk_db_queries_total {}", services.db_queries_run());
    let (open, idle) = services.db_pool_state();
    let _ = writeln!(out, "# HELP newsdesk_db_pool_connections Database connections in the pool.");
    let _ = writeln!(out, "# TYPE newsdesk_db_pool_connections gauge");
    let _ = writeln!(out, "newsdesk_db_pool_connections{{state=\"idle\"}} {idle}");
    let _ = writeln!(out, "newsdesk_db_pool_connections{{state=\"busy\"}} {}", open.saturating_sub(idle));
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .insert_header(("Cache-Control", "no-store"))
        .body(out)
}
