//! The GraphQL object types: thin wrappers over the domain values.

pub mod account;
pub mod article;
pub mod article_inputs;
pub mod audit;
pub mod collection;
pub mod comment;
pub mod correction;
pub mod diff;
mod enums;
pub mod facets;
pub mod inputs;
pub mod media;
pub mod moderation;
pub mod preview;
mod seo;
pub mod taxonomy;
pub mod time;
pub mod trash;
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

/// The first page of a thread level: loaded with every other one the
/// request asks for, in one batch.
pub async fn first_thread_page(
    ctx: &async_graphql::Context<'_>,
    thread: crate::service::comments::Thread,
    limit: crate::domain::page::Limit,
) -> async_graphql::Result<Page<crate::domain::comment::Comment>> {
    use async_graphql::ErrorExtensions;
    let loader =
        ctx.data_unchecked::<async_graphql::dataloader::DataLoader<crate::graphql::loaders::ThreadLoader>>();
    let answer = loader.load_one((thread, limit)).await?;
    match answer.as_deref() {
        Some(Ok(page)) => Ok(page.clone()),
        Some(Err(error)) => Err(error.extend()),
        None => Ok(Page::empty()),
    }
}
