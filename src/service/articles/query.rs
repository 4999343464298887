//! What a caller asks of an article list, typed: each adapter builds it from
//! its own parameters, naming its own fields in refusals.

use crate::domain::filters::{PublishedRange, SearchText};
use crate::domain::page::{ArticleCursor, ArticleOrder, Limit};
use crate::domain::{ArticleStatus, Slug, UserId};

/// An article list: the public feed, a staff list of one status, or a search
/// of either, filtered.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// A section; its sub-sections are included.
    pub category: Option<Slug>,
    pub tag: Option<Slug>,
    /// Credited on the byline.
    pub author: Option<UserId>,
    pub featured: Option<bool>,
    /// Only breaking news (or only stories that are not breaking) now.
    pub breaking: Option<bool>,
    pub published: PublishedRange,
    /// Ranked by relevance instead of time.
    pub search: Option<SearchText>,
    /// Staff only: the articles in this status, newest created first,
    /// instead of the public feed.
    pub status: Option<ArticleStatus>,
    pub limit: Limit,
    /// Where the previous page ended; decoded for [`ArticleQuery::order`].
    pub after: Option<ArticleCursor>,
}

impl ArticleQuery {
    /// The order the list runs in, which its cursors follow.
    pub fn order(&self) -> ArticleOrder {
        ArticleOrder::of(self.search.is_some(), self.status.is_some())
    }
}
