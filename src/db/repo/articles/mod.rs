//! Articles: the feed and its filters, single articles, writes, the tag and
//! byline links, revisions, and the clocks (publication, expiry, breaking).

pub mod corrections;
mod feed;
mod links;
mod revisions;
mod schedule;
mod write;

pub use feed::{Breaking, Filter, Scope, Seek, cards, newest_by_section};
pub use links::{ids_by_author, ids_with_tag, refresh_relations, replace_authors, replace_tags};
pub use revisions::{insert_revision, revision_at, revisions_of, revisions_of_many};
pub use schedule::{breaking_ended, due, expiring, next_due};
pub use write::{
    ArticleChanges, bump_comment_count, count_in_category, delete, insert, insert_many, lock_for_delete,
    set_body_html, slug_taken, update_versioned,
};

use diesel::prelude::*;

use crate::db::models::{ArticleBodyRow, ArticleCardRow, CategoryRefRow};
use crate::db::schema::{article_slugs, articles, categories};
use crate::db::{DbConn, on_backend};
use crate::domain::ArticleId;
use crate::domain::article::{Article, ArticleBody, ArticleKey};
use crate::error::AppResult;

/// Whether there is any article at all.
pub fn exist(conn: &mut DbConn) -> AppResult<bool> {
    let any: Option<ArticleId> =
        on_backend!(conn, |c| articles::table.select(articles::id).first(c).optional())?;
    Ok(any.is_some())
}

/// Cards for known ids (search results), in no particular order.
pub fn cards_by_ids(conn: &mut DbConn, ids: &[ArticleId]) -> AppResult<Vec<Article>> {
    let rows: Vec<(ArticleCardRow, CategoryRefRow)> = on_backend!(conn, |c| articles::table
        .inner_join(categories::table)
        .select((ArticleCardRow::as_select(), CategoryRefRow::as_select()))
        .filter(articles::id.eq_any(ids))
        .load(c))?;
    rows.into_iter().map(|(card, category)| card.into_article(category, None)).collect()
}

/// One whole article, body included, by its key.
pub fn find(conn: &mut DbConn, key: &ArticleKey) -> AppResult<Option<Article>> {
    let id_or_slug = match key {
        ArticleKey::Id(id) => return by_id_or_slug(conn, Some(*id), ""),
        ArticleKey::IdOrSlug(raw) => match ArticleKey::normalized(raw) {
            Some(key) => key,
            None => return Ok(None),
        },
    };
    by_id_or_slug(conn, id_or_slug.parse().ok(), &id_or_slug)
}

fn by_id_or_slug(conn: &mut DbConn, id: Option<ArticleId>, id_or_slug: &str) -> AppResult<Option<Article>> {
    // Fixed statements (not boxed), so each connection prepares them once.
    let mut found: Vec<(ArticleCardRow, CategoryRefRow, ArticleBodyRow)> = on_backend!(conn, |c| {
        let query = articles::table
            .inner_join(categories::table)
            .select((ArticleCardRow::as_select(), CategoryRefRow::as_select(), ArticleBodyRow::as_select()))
            .limit(2);
        match id {
            Some(id) => query.filter(articles::id.eq(id).or(articles::slug.eq(id_or_slug))).load(c),
            None => query.filter(articles::slug.eq(id_or_slug)).load(c),
        }
    })?;
    // An id match wins over a slug that happens to look like an id.
    let position = found.iter().position(|(card, ..)| Some(card.id) == id).unwrap_or(0);
    if position >= found.len() {
        return Ok(None);
    }
    let (card, category, body) = found.swap_remove(position);
    card.into_article(category, Some(body)).map(Some)
}

/// As [`find`], and failing that the article whose former slug `key` is:
/// one statement either way.
pub fn find_current_or_former(conn: &mut DbConn, key: &ArticleKey) -> AppResult<Option<Article>> {
    let ArticleKey::IdOrSlug(raw) = key else { return find(conn, key) };
    let Some(id_or_slug) = ArticleKey::normalized(raw) else { return Ok(None) };
    let id: Option<ArticleId> = id_or_slug.parse().ok();
    let former =
        article_slugs::table.filter(article_slugs::slug.eq(&id_or_slug)).select(article_slugs::article_id);
    let mut found: Vec<(ArticleCardRow, CategoryRefRow, ArticleBodyRow)> = on_backend!(conn, |c| {
        let query = articles::table
            .inner_join(categories::table)
            .select((ArticleCardRow::as_select(), CategoryRefRow::as_select(), ArticleBodyRow::as_select()))
            .limit(3);
        let current = articles::slug.eq(&id_or_slug).or(articles::id.eq_any(former));
        match id {
            Some(id) => query.filter(articles::id.eq(id).or(current)).load(c),
            None => query.filter(current).load(c),
        }
    })?;
    // An id match wins, then a current slug, then a former one.
    let rank = |card: &ArticleCardRow| {
        if Some(card.id) == id {
            0
        } else if card.slug == id_or_slug {
            1
        } else {
            2
        }
    };
    let Some(position) = (0..found.len()).min_by_key(|&i| rank(&found[i].0)) else { return Ok(None) };
    let (card, category, body) = found.swap_remove(position);
    card.into_article(category, Some(body)).map(Some)
}

/// The bodies of the given articles.
pub fn bodies_of(conn: &mut DbConn, ids: &[ArticleId]) -> AppResult<Vec<(ArticleId, ArticleBody)>> {
    let rows: Vec<(ArticleId, ArticleBodyRow)> = on_backend!(conn, |c| articles::table
        .filter(articles::id.eq_any(ids))
        .select((articles::id, ArticleBodyRow::as_select()))
        .load(c))?;
    Ok(rows.into_iter().map(|(id, b)| (id, ArticleBody { markdown: b.body, html: b.body_html })).collect())
}
