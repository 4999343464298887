//! Article lists as GraphQL connections, with their facets: counted only
//! when a query selects them.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, SimpleObject};

use super::article::ArticleObject;
use crate::domain::article::Article;
use crate::domain::facets::Facets;
use crate::domain::page::Page;
use crate::graphql::context::{services, viewer};
use crate::graphql::errors::Gql;
use crate::service::articles::ArticleQuery;

/// A page of an article list; `facets` counts the whole list.
pub type ArticleConnection = Connection<String, ArticleObject, ArticleListFields>;

/// A connection over a page of the list `query` asks for.
pub fn article_connection(page: Page<Article>, query: ArticleQuery) -> ArticleConnection {
    let mut connection =
        Connection::with_additional_fields(false, page.next_cursor.is_some(), ArticleListFields { query });
    connection.edges.extend(
        page.items.into_iter().zip(page.cursors).map(|(item, cursor)| Edge::new(cursor, ArticleObject(item))),
    );
    connection
}

/// What an article connection holds beside its edges.
pub struct ArticleListFields {
    query: ArticleQuery,
}

#[Object]
impl ArticleListFields {
    /// How many articles the whole list matches (every page of it), by
    /// section and by month: for a search's "refine by" links. Counted only
    /// when selected.
    #[graphql(complexity = 10)]
    async fn facets(&self, ctx: &Context<'_>) -> async_graphql::Result<ArticleFacets> {
        let facets = services(ctx).article_facets(viewer(ctx), self.query.clone()).await.gql()?;
        Ok(ArticleFacets::from(facets))
    }
}

/// Counts of what an article list matches.
#[derive(SimpleObject)]
pub struct ArticleFacets {
    /// Most matches first; each article under its own section (a parent
    /// section's list includes its sub-sections).
    sections: Vec<SectionFacet>,
    /// Newest month first.
    months: Vec<MonthFacet>,
}

/// One section's share of the matches. Its id, slug and name only, not the
/// whole `Category`: a facet is a link to refine by, and a section there
/// could otherwise open article lists of its own at no cost in complexity.
/// The section's id is `sectionId`, not `id`: a facet is not the section,
/// and client caches that key objects by `id` (Apollo's, Relay's) would
/// otherwise merge one search's counts into another's.
#[derive(SimpleObject)]
pub struct SectionFacet {
    section_id: ID,
    /// Filter by it with `filter: {category: slug}`.
    slug: String,
    name: String,
    count: u64,
}

#[derive(SimpleObject)]
pub struct MonthFacet {
    /// `YYYY-MM` in UTC: the month of publication (of creation, for
    /// unpublished work).
    month: String,
    count: u64,
}

impl From<Facets> for ArticleFacets {
    fn from(f: Facets) -> Self {
        Self {
            sections: f
                .sections
                .into_iter()
                .map(|s| SectionFacet {
                    section_id: s.section.id.into(),
                    slug: s.section.slug,
                    name: s.section.name,
                    count: s.count,
                })
                .collect(),
            months: f.months.into_iter().map(|m| MonthFacet { month: m.month, count: m.count }).collect(),
        }
    }
}
