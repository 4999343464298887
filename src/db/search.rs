//! Full-text search: the one place where the two engines truly differ, and so
//! the one place with SQL written by hand. PostgreSQL ranks a GIN-indexed
//! `tsvector` with `ts_rank_cd`; SQLite ranks its FTS5 index with `bm25`.
//! Both weight the title above the standfirst above the body.
//!
//! Relevance is ranked among the newest [`SEARCH_DEPTH`] matching articles: news
//! readers want recent stories, and scoring every one of tens of thousands
//! of matches for a common word would cost a hundred times more.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::repo::articles::{Filter, Scope};
use super::sql::{Bind, Statement};
use super::{Backend, DbConn};
use crate::domain::page::SEARCH_DEPTH;
use crate::domain::{ArticleId, ArticleStatus};
use crate::error::AppResult;

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = Text)]
    id: ArticleId,
}

/// Turns free text into an FTS5 query that can never be a syntax error:
/// every word quoted, all words required.
fn fts5_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(32)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The ids of the articles matching `text` and `filter`, best match first,
/// `offset` ranks in, at most `probe` of them.
pub fn ranked_ids(
    conn: &mut DbConn,
    text: &str,
    filter: &Filter,
    offset: i64,
    probe: i64,
) -> AppResult<Vec<ArticleId>> {
    let mut st = Statement::new(conn);
    let backend = st.backend();
    // Newest matches first (each engine walks its index in that order and
    // stops at the window), scored as they come; the outer query ranks them.
    let (from, newest_first, score) = match backend {
        Backend::Sqlite => {
            let Some(query) = fts5_query(text) else {
                return Ok(Vec::new());
            };
            let p = st.push(Bind::Text(query));
            (
                format!(
                    // CROSS JOIN fixes the order: walk the index's matches, newest
                    // first, and look each article up; never the other way round.
                    "FROM articles_fts CROSS JOIN articles a ON a.seq = articles_fts.rowid \
                     WHERE articles_fts MATCH {p}"
                ),
                "articles_fts.rowid DESC",
                // bm25 is lower for better matches.
                "bm25(articles_fts, 10.0, 4.0, 1.0)",
            )
        }
        Backend::Postgres => {
            let p = st.push(Bind::Text(text.to_owned()));
            (
                format!("FROM articles a, websearch_to_tsquery('english', {p}) q WHERE a.search_vector @@ q"),
                "a.published_at DESC, a.id DESC",
                "-ts_rank_cd(a.search_vector, q, 1)",
            )
        }
    };
    let mut conditions = Vec::new();
    match &filter.scope {
        Scope::Public { now } => {
            let status = st.push(Bind::Status(ArticleStatus::Published));
            let p = st.push(Bind::Time(*now));
            conditions.push(format!("a.status = {status} AND a.published_at <= {p}"));
        }
        Scope::Staff { status, author } => {
            let p = st.push(Bind::Status(*status));
            conditions.push(format!("a.status = {p}"));
            if let Some(author) = author {
                let p = st.push(Bind::User(*author));
                conditions
                    .push(format!("a.id IN (SELECT article_id FROM article_authors WHERE user_id = {p})"));
            }
        }
    }
    if let Some(ids) = &filter.category_ids {
        let list = st.list(ids.iter().map(|&id| Bind::Category(id)));
        conditions.push(format!("a.category_id IN ({list})"));
    }
    if let Some(tag_id) = filter.tag_id {
        let p = st.push(Bind::Tag(tag_id));
        conditions.push(format!("a.id IN (SELECT article_id FROM article_tags WHERE tag_id = {p})"));
    }
    if let Some(author_id) = filter.author_id {
        let p = st.push(Bind::User(author_id));
        conditions.push(format!("a.id IN (SELECT article_id FROM article_authors WHERE user_id = {p})"));
    }
    if let Some(featured) = filter.featured {
        let p = st.push(Bind::Bool(featured));
        conditions.push(format!("a.featured = {p}"));
    }
    if let Some(from) = filter.published_from {
        let p = st.push(Bind::Time(from));
        conditions.push(format!("a.published_at >= {p}"));
    }
    if let Some(to) = filter.published_to {
        let p = st.push(Bind::Time(to));
        conditions.push(format!("a.published_at <= {p}"));
    }
    let window = st.push(Bind::Int(i64::from(SEARCH_DEPTH)));
    let limit = st.push(Bind::Int(probe));
    let skip = st.push(Bind::Int(offset));
    let mut inner = format!("SELECT a.id AS id, {score} AS score {from}");
    for condition in conditions {
        inner.push_str(" AND ");
        inner.push_str(&condition);
    }
    st.sql = format!(
        "SELECT id FROM ({inner} ORDER BY {newest_first} LIMIT {window}) ranked \
         ORDER BY score, id LIMIT {limit} OFFSET {skip}"
    );

    let hits: Vec<Hit> = st.load(conn)?;
    Ok(hits.into_iter().map(|h| h.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_queries_quote_every_word() {
        assert_eq!(fts5_query("rates rise").as_deref(), Some("\"rates\" \"rise\""));
        assert_eq!(
            fts5_query("\"x\" OR NEAR(y) -- ;DROP").as_deref(),
            Some("\"x\" \"OR\" \"NEAR\" \"y\" \"DROP\"")
        );
        assert_eq!(fts5_query("  ***  "), None);
    }
}
