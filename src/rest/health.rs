//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;
use crate::error::AppError;
use crate::service::Services;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness
///
/// The process is up and serving HTTP. Never touches the database.
#[utoipa::path(tag = "operations", security(()), responses((status = 200, description = "Alive", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(Health { status: "ok" })
}

/// Readiness
///
/// The database answers; a load balancer should send traffic.
#[utoipa::path(
    tag = "operations",
    security(()),
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database is unreachable", body = Problem),
    )
)]
#[get("/readyz")]
pub async fn readyz(services: Data<Services>) -> Result<HttpResponse, AppError> {
    services.check_ready().await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(Health { status: "ready" }))
}
