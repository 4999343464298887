//! Counting requests by status class, for `/metrics`.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Data;

/// Requests served, by status class (1xx…5xx).
#[derive(Default)]
pub struct HttpCounters {
    by_class: [AtomicU64; 5],
}

impl HttpCounters {
    /// Requests served so far, by status class: 1xx first, 5xx last.
    pub fn by_class(&self) -> [u64; 5] {
        self.by_class.each_ref().map(|c| c.load(Ordering::Relaxed))
    }
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
