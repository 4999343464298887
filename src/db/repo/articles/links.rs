//! An article's tags and bylines: the link tables, and the copies kept on
//! the article's row (`tags_json`, `authors_json`) so that a feed page is
//! one query.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::models::{ArticleAuthorRow, ArticleTagRow};
use crate::db::schema::{article_authors, article_tags, articles, tags, users};
use crate::db::{DbConn, on_backend};
use crate::domain::article::{Byline, TagRef};
use crate::domain::{ArticleId, TagId, UserId};
use crate::error::{AppError, AppResult};

/// The tag and author rows linking an article to `tag_ids` and `author_ids`.
pub fn links(
    article: ArticleId,
    tag_ids: &[TagId],
    author_ids: &[UserId],
) -> (Vec<ArticleTagRow>, Vec<ArticleAuthorRow>) {
    let tags = tag_ids.iter().map(|&tag_id| ArticleTagRow { article_id: article, tag_id }).collect();
    let authors = author_ids
        .iter()
        .zip(0..)
        .map(|(&user_id, position)| ArticleAuthorRow { article_id: article, user_id, position })
        .collect();
    (tags, authors)
}

pub fn replace_tags(conn: &mut DbConn, article: ArticleId, tag_ids: &[TagId]) -> AppResult<()> {
    let (rows, _) = links(article, tag_ids, &[]);
    on_backend!(conn, |c| {
        diesel::delete(article_tags::table.filter(article_tags::article_id.eq(article))).execute(c)?;
        diesel::insert_into(article_tags::table).values(&rows).execute(c)
    })?;
    Ok(())
}

pub fn replace_authors(conn: &mut DbConn, article: ArticleId, user_ids: &[UserId]) -> AppResult<()> {
    let (_, rows) = links(article, &[], user_ids);
    on_backend!(conn, |c| {
        diesel::delete(article_authors::table.filter(article_authors::article_id.eq(article))).execute(c)?;
        diesel::insert_into(article_authors::table).values(&rows).execute(c)
    })?;
    Ok(())
}

/// Rewrites the `tags_json` and `authors_json` of the given articles from the
/// link tables and the current tag names and display names. Every change to
/// a link, a tag or a display name calls it, in the same transaction.
pub fn refresh_relations(conn: &mut DbConn, article_ids: &[ArticleId]) -> AppResult<()> {
    for chunk in article_ids.chunks(500) {
        let mut tags: HashMap<ArticleId, Vec<TagRef>> = chunk.iter().map(|&id| (id, Vec::new())).collect();
        let mut authors: HashMap<ArticleId, Vec<Byline>> = chunk.iter().map(|&id| (id, Vec::new())).collect();
        let tag_rows: Vec<(ArticleId, TagId, String, String)> = on_backend!(conn, |c| article_tags::table
            .inner_join(tags::table)
            .filter(article_tags::article_id.eq_any(chunk))
            .select((article_tags::article_id, tags::id, tags::slug, tags::name))
            .order((article_tags::article_id, tags::name))
            .load(c))?;
        let author_rows: Vec<(ArticleId, UserId, String)> = on_backend!(conn, |c| article_authors::table
            .inner_join(users::table)
            .filter(article_authors::article_id.eq_any(chunk))
            .select((article_authors::article_id, users::id, users::display_name))
            .order((article_authors::article_id, article_authors::position))
            .load(c))?;
        for (article, id, slug, name) in tag_rows {
            tags.entry(article).or_default().push(TagRef { id, slug, name });
        }
        for (article, id, display_name) in author_rows {
            authors.entry(article).or_default().push(Byline { id, display_name });
        }
        for id in chunk {
            let tags_json = serde_json::to_string(&tags[id]).map_err(AppError::internal)?;
            let authors_json = serde_json::to_string(&authors[id]).map_err(AppError::internal)?;
            on_backend!(conn, |c| diesel::update(articles::table.find(*id))
                .set((articles::tags_json.eq(&tags_json), articles::authors_json.eq(&authors_json)))
                .execute(c))?;
        }
    }
    Ok(())
}

/// Articles carrying a tag.
pub fn ids_with_tag(conn: &mut DbConn, tag: TagId) -> AppResult<Vec<ArticleId>> {
    Ok(on_backend!(conn, |c| article_tags::table
        .filter(article_tags::tag_id.eq(tag))
        .select(article_tags::article_id)
        .load(c))?)
}

/// Articles crediting a user.
pub fn ids_by_author(conn: &mut DbConn, user: UserId) -> AppResult<Vec<ArticleId>> {
    Ok(on_backend!(conn, |c| article_authors::table
        .filter(article_authors::user_id.eq(user))
        .select(article_authors::article_id)
        .load(c))?)
}
