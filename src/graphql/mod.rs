//! The GraphQL adapter (async-graphql) for the mobile apps: the same service
//! layer as REST, so the two APIs cannot disagree.

mod account;
mod collections;
pub mod context;
mod cost;
mod document;
pub mod errors;
mod graphiql;
pub mod http;
pub mod loaders;
mod moderation;
pub mod mutation;
mod nulls;
pub mod persisted;
pub mod query;
pub mod subscription;
mod trash;
pub mod types;
pub mod upload;
pub mod ws;

use async_graphql::{Schema, SchemaBuilder};
pub use graphiql::asset as graphiql_asset;

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
    Schema::build(QueryRoot, MutationRoot::default(), SubscriptionRoot)
}

/// How deep and how costly an introspection document may be. The standard
/// introspection query of graphql-js (GraphiQL, Apollo, code generators)
/// nests 15 deep; abusive ones nest far deeper.
const INTROSPECTION_LIMITS: (usize, usize) = (20, 2_000);

/// The schema the service runs, built once and shared by every worker: one
/// under the configured limits for data, one for introspection documents
/// alone, under limits of their own.
pub struct Schemas {
    pub data: NewsdeskSchema,
    pub introspection: NewsdeskSchema,
    /// Every field's declared type, for null propagation.
    pub field_types: nulls::FieldTypes,
}

pub fn schemas(services: Services, limits: Limits) -> Schemas {
    let build = |depth: usize, complexity: usize| {
        let mut builder = builder()
            .data(services.clone())
            .limit_depth(depth)
            .limit_complexity(complexity)
            // Fragments that spread into themselves are refused by validation;
            // this bounds what a deeply recursive one could still cost.
            .limit_recursive_depth(32);
        if !limits.introspection {
            builder = builder.disable_introspection();
        }
        builder.finish()
    };
    let (depth, complexity) = INTROSPECTION_LIMITS;
    let data = build(limits.depth, limits.complexity);
    let field_types = nulls::FieldTypes::from_sdl(&data.sdl());
    Schemas { data, introspection: build(depth, complexity), field_types }
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    let options =
        async_graphql::SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items();
    builder().finish().sdl_with_options(options)
}
