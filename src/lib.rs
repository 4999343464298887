//! Newsdesk: the content backend of a news publisher. Articles, sections,
//! tags and reader comments over REST (with an OpenAPI contract) and GraphQL,
//! on SQLite by default or PostgreSQL in production.
//!
//! Layers, each depending only on those before it:
//! `domain` (pure values and rules) → `db` (diesel) → `service` (use-cases,
//! transactions) → `http` (what both APIs share) → `rest` and `graphql`
//! (thin adapters, each unaware of the other).

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod digest;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod media;
pub mod rest;
pub mod seed;
pub mod service;
pub mod startup;
pub mod telemetry;
pub mod webhooks;
