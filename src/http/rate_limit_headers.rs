//! `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on every
//! answer a limit counted (sign-in, sign-up, token refresh, a comment, over
//! REST or GraphQL), refused or not: a client sees how close it is before
//! it is told to wait.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;

use crate::service::limits::{Allowance, reporting};

pub const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
pub const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
pub const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

pub async fn rate_limit_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let (response, allowance) = reporting(next.call(req)).await;
    let mut response = response?;
    if let Some(allowance) = allowance {
        add(response.headers_mut(), allowance);
    }
    Ok(response)
}

fn add(headers: &mut HeaderMap, allowance: Allowance) {
    for (name, value) in [
        (LIMIT, u64::from(allowance.limit)),
        (REMAINING, u64::from(allowance.remaining)),
        (RESET, allowance.reset_secs),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
}
