//! The GraphQL object types: thin wrappers over the domain values.

pub mod article;
pub mod comment;
mod enums;
pub mod inputs;
pub mod taxonomy;
pub mod time;
pub mod user;

use async_graphql::connection::{Connection, Edge};

use crate::domain::page::Page;

/// A Relay connection over a service page.
pub fn connection<T, N: async_graphql::OutputType>(
    page: Page<T>,
    node: impl Fn(T) -> N,
) -> Connection<String, N> {
    let mut connection = Connection::new(false, page.next_cursor.is_some());
    connection
        .edges
        .extend(page.items.into_iter().zip(page.cursors).map(|(item, cursor)| Edge::new(cursor, node(item))));
    connection
}
