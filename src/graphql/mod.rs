//! The GraphQL adapter (async-graphql) for the mobile apps: the same service
//! layer as REST, so the two APIs cannot disagree.

pub mod context;
pub mod errors;
pub mod http;
pub mod loaders;
pub mod mutation;
pub mod persisted;
pub mod query;
pub mod subscription;
pub mod types;

use async_graphql::{Schema, SchemaBuilder};

use crate::service::Services;
use mutation::MutationRoot;
use query::QueryRoot;
use subscription::SubscriptionRoot;

pub type NewsdeskSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Limits on what one operation may ask for, checked before anything runs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
    pub introspection: bool,
}

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(QueryRoot, MutationRoot, SubscriptionRoot)
}

/// The schema the service runs, built once and shared by every worker.
pub fn schema(services: Services, limits: Limits) -> NewsdeskSchema {
    let mut builder = builder()
        .data(services)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        // Fragments that spread into themselves are refused by validation;
        // this bounds what a deeply recursive one could still cost.
        .limit_recursive_depth(32);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    let options =
        async_graphql::SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items();
    builder().finish().sdl_with_options(options)
}
