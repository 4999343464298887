//! Collections: named, ordered lists of articles that editors keep (a home
//! page's top stories, the editors' picks), so that an app's screens are
//! ordered by people, not only by time.

use chrono::{DateTime, Utc};

use super::article::Article;
use super::field::FieldError;
use super::{ArticleId, CollectionId};

/// The most articles a collection may hold, whatever its own limit.
pub const MAX_ITEMS: i32 = 100;
/// A new collection's limit unless one is given.
pub const DEFAULT_MAX_ITEMS: i32 = 20;

/// How many articles a collection may hold: 1 to [`MAX_ITEMS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemLimit(i32);

impl ItemLimit {
    pub fn parse(raw: i64, field: &str) -> Result<Self, FieldError> {
        i32::try_from(raw)
            .ok()
            .filter(|n| (1..=MAX_ITEMS).contains(n))
            .map(Self)
            .ok_or_else(|| FieldError::new(field, format!("must be 1-{MAX_ITEMS}")))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl Default for ItemLimit {
    fn default() -> Self {
        Self(DEFAULT_MAX_ITEMS)
    }
}

/// A collection's articles as asked for: each once, in order, at most
/// [`MAX_ITEMS`] (its own limit is checked against the stored collection).
pub fn item_list(
    ids: impl IntoIterator<Item = ArticleId>,
    field: &str,
) -> Result<Vec<ArticleId>, FieldError> {
    let mut list: Vec<ArticleId> = Vec::new();
    for id in ids {
        if list.contains(&id) {
            return Err(FieldError::new(field, format!("lists article {id} twice")));
        }
        list.push(id);
    }
    if list.len() > MAX_ITEMS as usize {
        return Err(FieldError::new(field, format!("at most {MAX_ITEMS} articles")));
    }
    Ok(list)
}

/// A collection's own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionInfo {
    pub id: CollectionId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub max_items: i32,
    /// Increases with every change, of its fields or of its list.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A collection with its articles, in its order: for readers only those
/// published, for editors every one, whatever its status.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub info: CollectionInfo,
    pub articles: Vec<Article>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_lists_are_bounded() {
        assert_eq!(ItemLimit::parse(5, "max_items").unwrap().get(), 5);
        assert!(ItemLimit::parse(0, "max_items").is_err());
        assert!(ItemLimit::parse(101, "max_items").is_err());
        assert!(ItemLimit::parse(i64::MAX, "max_items").is_err());
        let (a, b) = (ArticleId::generate(), ArticleId::generate());
        assert_eq!(item_list([b, a], "ids").unwrap(), vec![b, a], "in the order given");
        assert_eq!(item_list([a, b, a], "ids").unwrap_err().field, "ids");
        assert!(item_list((0..=MAX_ITEMS).map(|_| ArticleId::generate()), "ids").is_err());
        assert_eq!(item_list([], "ids").unwrap(), vec![], "an empty collection is allowed");
    }
}
