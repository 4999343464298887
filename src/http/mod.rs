//! HTTP pieces both APIs share: who is calling and from where, JSON bodies,
//! conditional GETs and the response cache, request counters and ids, CORS,
//! `Vary`, the security and rate-limit headers, and what a request no route
//! took is told. The REST and GraphQL adapters build on these; neither
//! imports the other.

pub mod cache;
pub mod cors;
pub mod extract;
pub mod metrics;
pub mod rate_limit_headers;
pub mod request_id;
pub mod request_span;
pub mod routes;
pub mod security_headers;
pub mod vary;
