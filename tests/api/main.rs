//! Integration tests: the real service, on a random port, over HTTP, against
//! SQLite always and PostgreSQL when `NEWSDESK_TEST_POSTGRES_URL` is set.

#![allow(clippy::unwrap_used, reason = "a test should fail loudly on the first surprise")]

mod helpers;

mod abuse;
mod accounts;
mod architecture;
mod articles;
mod audit;
mod auth;
mod cache;
mod cluster;
mod commands;
mod comments;
mod conformance;
mod contracts;
mod distribution;
mod editorial;
mod fixtures;
mod graphql;
mod hostile;
mod http;
mod invalidation;
mod media;
mod moderation;
mod newsroom;
mod outage;
mod properties;
mod replicas;
mod revocation;
mod s3;
mod search;
mod sections;
mod shapes;
mod shutdown;
mod taxonomy;
mod webhooks;
