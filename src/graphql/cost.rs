//! What a field costs, for the complexity limit checked before an operation
//! runs: a plain field 1; a list a database statement's worth plus what
//! each of its items asks for; a search a hundred statements' worth (it
//! reads the index's match lists, which a feed page does not). A thousand
//! aliased lists or a few dozen aliased searches are then refused before
//! anything runs, where counting each as one field let them through.

use super::types::inputs::ArticleFilter;

/// What asking for a list costs before its items: one statement.
pub const LIST: usize = 10;
/// What a full-text search costs on top of its list.
pub const SEARCH: usize = 500;

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
}
