//! What a field costs, for the complexity limit checked before an operation
//! runs: a plain field 1; a list a database statement's worth plus what
//! each of its items asks for; a search a hundred statements' worth (it
//! reads the index's match lists, which a feed page does not); a story's
//! body twenty (kilobytes to read, render and send, where a title is a
//! line). A thousand aliased lists, a few dozen aliased searches or a
//! hundred whole stories asked a hundred times over are then refused
//! before anything runs, where counting each as one field let them through.

use super::types::article_inputs::ArticleFilter;

/// What asking for a list costs before its items: one statement.
pub const LIST: usize = 10;
/// What a full-text search costs on top of its list.
pub const SEARCH: usize = 500;
/// What a story's body costs (Markdown or rendered).
pub const BODY: usize = 20;

/// A paged list of `first` items (20 by default), each costing `child`.
pub fn list(first: Option<i32>, child: usize) -> usize {
    let items = usize::try_from(first.unwrap_or(20)).unwrap_or(1).max(1);
    items.saturating_mul(child).saturating_add(LIST)
}

/// An article list: a list, and a search's cost when it searches.
pub fn articles(first: Option<i32>, filter: Option<&ArticleFilter>, child: usize) -> usize {
    let searching = filter.and_then(|f| f.search.as_deref()).is_some_and(|text| !text.trim().is_empty());
    list(first, child).saturating_add(if searching { SEARCH } else { 0 })
}

/// Every collection with its articles: a handful of collections, each as
/// long as the longest may be.
pub fn collections(child: usize) -> usize {
    list(Some(COLLECTIONS), child)
}

/// A collection's articles: as many as a collection may hold.
pub fn collection_articles(child: usize) -> usize {
    list(Some(crate::domain::collection::MAX_ITEMS), child)
}

/// What a newsroom is expected to keep at most, for pricing `collections`.
const COLLECTIONS: i32 = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_cost_a_statement_and_their_items() {
        assert_eq!(list(None, 3), 70);
        assert_eq!(list(Some(1), 2), 12);
        assert_eq!(list(Some(-5), 2), 12, "a nonsense size is refused elsewhere, never free");
    }

    #[test]
    fn searches_cost_more_than_feeds() {
        let search = ArticleFilter { search: Some("said the".into()), ..ArticleFilter::default() };
        let blank = ArticleFilter { search: Some("  ".into()), ..ArticleFilter::default() };
        assert_eq!(articles(Some(1), Some(&search), 2), 12 + SEARCH);
        assert_eq!(articles(Some(1), Some(&blank), 2), 12);
        assert_eq!(articles(Some(1), None, 2), 12);
        assert!(10 * articles(Some(1), Some(&search), 2) > 5_000, "ten searches exceed the default limit");
    }

    #[test]
    fn whole_stories_cost_more_than_their_titles() {
        let with_bodies = list(Some(100), 1 + BODY);
        assert!(3 * with_bodies > 5_000, "three hundred-story pages with bodies exceed the default limit");
        assert!(list(Some(20), 3 + BODY) < 1_000, "a feed page of twenty stories with bodies is cheap");
    }
}
