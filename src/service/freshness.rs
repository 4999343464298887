//! What reads show and writes change, for targeted cache invalidation: the
//! vocabulary the service layer describes its reads and writes in (see
//! `db::freshness` for the mechanism), and what an article shows and changes.

pub use crate::db::freshness::{Feed, Key, Shown, showing};

use crate::domain::article::Article;
use crate::domain::{ArticleStatus, CategoryId};

/// What a reader sees of `article` in a page or a list: the article itself
/// (fields, byline, comment count) and its section's name.
pub fn shown_by(article: &Article) -> [Key; 2] {
    [Key::Article(article.id), Key::Section(article.category.id)]
}

/// What a feed of `sections` (a section and its sub-sections; `None` for
/// the whole site) depends on for which articles it holds.
pub fn feed_of(sections: Option<&[CategoryId]>) -> Vec<Key> {
    match sections {
        None => vec![Key::Feed(Feed::All)],
        // Which section a slug names, and which are below it, is part of the
        // answer too.
        Some(ids) => ids.iter().map(|&id| Key::Feed(Feed::Section(id))).chain([Key::Sections]).collect(),
    }
}

/// What a write to one article changed, seen as it was before and is after
/// (`None`: not there). The article always; while published (either side),
/// every feed it is or was in and every search, since its place in them may
/// have moved.
pub fn article_changed(before: Option<&Article>, after: Option<&Article>) -> Vec<Key> {
    let mut keys = Vec::new();
    for article in [before, after].into_iter().flatten() {
        keys.push(Key::Article(article.id));
        if article.status == ArticleStatus::Published {
            keys.extend([Key::Search, Key::Feed(Feed::All), Key::Feed(Feed::Section(article.category.id))]);
            keys.extend(article.tags.iter().map(|t| Key::Feed(Feed::Tag(t.id))));
            keys.extend(article.authors.iter().map(|a| Key::Feed(Feed::Author(a.id))));
        }
    }
    keys
}
