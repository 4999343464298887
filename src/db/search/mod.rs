//! Full-text search: the one place where the two engines truly differ, and so
//! the one place with SQL written by hand. SQLite searches its FTS5 index,
//! PostgreSQL a weighted, GIN-indexed `tsvector`, each stemmed in the site's
//! language ([`index`]).
//!
//! Results come in two tiers: the stories whose headline holds every word
//! searched for, then those that hold them anywhere else, each newest first.
//! Neither tier scores rows: each walks its index in recency order and stops
//! at the page, so a search costs the same on page 1 and page 500, for a rare
//! word and for one in half the archive. The last word's stem is matched as a
//! prefix, for search-as-you-type (`ener` finds "energy").

pub mod facets;
pub mod index;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::repo::articles::{Breaking, Filter, Scope};
use super::sql::{Bind, Statement};
use super::{Backend, DbConn};
use crate::domain::language::Stemming;
use crate::domain::page::{SearchCursor, SearchPosition, SearchTier};
use crate::domain::time::{from_db, to_db};
use crate::domain::{ArticleId, ArticleStatus};
use crate::error::AppResult;

#[derive(QueryableByName)]
struct RowHit {
    #[diesel(sql_type = Text)]
    id: ArticleId,
    #[diesel(sql_type = BigInt)]
    row: i64,
}

#[derive(QueryableByName)]
struct TimeHit {
    #[diesel(sql_type = Text)]
    id: ArticleId,
    #[diesel(sql_type = Timestamp)]
    at: NaiveDateTime,
}

/// The articles matching `words` and `filter` after `after` (from the top
/// without), at most `probe` of them, each with the cursor that resumes
/// after it.
pub fn page(
    conn: &mut DbConn,
    words: &[String],
    filter: &Filter,
    after: Option<SearchCursor>,
    probe: i64,
) -> AppResult<Vec<(ArticleId, SearchCursor)>> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let rare = rare_on_postgres(conn, words)?;
    let mut hits = Vec::new();
    for tier in [SearchTier::Headline, SearchTier::Text] {
        let resume = match after {
            Some(cursor) if cursor.tier > tier => continue,
            Some(cursor) if cursor.tier == tier => Some(cursor.after),
            _ => None,
        };
        let wanted = probe - hits.len() as i64;
        if wanted <= 0 {
            break;
        }
        hits.extend(tier_page(conn, words, filter, tier, resume, wanted, rare)?);
    }
    Ok(hits)
}

/// Matches at most this many, and the words are rare: looked up in the
/// index and sorted, never found by walking the feed.
const RARE: i64 = 200;

/// Whether the words match few stories (PostgreSQL only). The planner
/// guesses 0.5% of the archive for a word it has no statistics for, one in
/// no story at all included, and would walk the whole feed newest first
/// looking for it; counting up to [`RARE`] matches costs little either way.
fn rare_on_postgres(conn: &mut DbConn, words: &[String]) -> AppResult<bool> {
    let mut st = Statement::new(conn);
    if st.backend() != Backend::Postgres {
        return Ok(false);
    }
    let config = conn.stemming().postgres_config();
    let p = st.push(Bind::Text(tsquery(words, "")));
    let limit = st.push(Bind::Int(RARE));
    st.sql = format!(
        "SELECT count(*) AS n FROM (SELECT 1 FROM articles a \
         WHERE a.search_vector @@ to_tsquery('{config}', {p}) LIMIT {limit}) found"
    );
    let counted: Vec<Count> = st.load(conn)?;
    Ok(counted.first().is_some_and(|c| c.n < RARE))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn tier_page(
    conn: &mut DbConn,
    words: &[String],
    filter: &Filter,
    tier: SearchTier,
    resume: Option<SearchPosition>,
    limit: i64,
    rare: bool,
) -> AppResult<Vec<(ArticleId, SearchCursor)>> {
    let stemming = conn.stemming();
    let mut st = Statement::new(conn);
    let at = |after| SearchCursor { tier, after };
    match st.backend() {
        Backend::Sqlite => {
            let all = fts5_all(words, stemming);
            let query = match tier {
                SearchTier::Headline => format!("{{title}} : ({all})"),
                SearchTier::Text => format!("({all}) NOT ({{title}} : ({all}))"),
            };
            let p = st.push(Bind::Text(query));
            // CROSS JOIN fixes the order: walk the index's matches, newest
            // first, and look each article up; never the other way round.
            st.sql = format!(
                "SELECT a.id AS id, articles_fts.rowid AS row FROM articles_fts \
                 CROSS JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH {p}"
            );
            conditions(&mut st, filter);
            if let Some(SearchPosition::Row(row)) = resume {
                let p = st.push(Bind::Int(row));
                st.sql.push_str(&format!(" AND articles_fts.rowid < {p}"));
            }
            let p = st.push(Bind::Int(limit));
            st.sql.push_str(&format!(" ORDER BY articles_fts.rowid DESC LIMIT {p}"));
            let hits: Vec<RowHit> = st.load(conn)?;
            Ok(hits.into_iter().map(|h| (h.id, at(SearchPosition::Row(h.row)))).collect())
        }
        Backend::Postgres => {
            // A name made from a fixed list of languages.
            let config = stemming.postgres_config();
            let all = tsquery(words, "");
            let p = st.push(Bind::Text(all));
            st.sql = format!(
                "SELECT a.id AS id, a.published_at AS at FROM articles a \
                 WHERE a.search_vector @@ to_tsquery('{config}', {p})"
            );
            let headline = st.push(Bind::Text(tsquery(words, "A")));
            let not = if tier == SearchTier::Text { "NOT " } else { "" };
            st.sql.push_str(&format!(" AND {not}a.search_vector @@ to_tsquery('{config}', {headline})"));
            conditions(&mut st, filter);
            if let Some(SearchPosition::Time(at, id)) = resume {
                let (p_at, p_id) = (st.push(Bind::Time(to_db(at))), st.push(Bind::Article(id)));
                st.sql.push_str(&format!(" AND (a.published_at, a.id) < ({p_at}, {p_id})"));
            }
            let p = st.push(Bind::Int(limit));
            // Sorting by an expression keeps the planner off the feed index
            // for rare words: their few matches are fetched and sorted.
            let newest = if rare { "a.published_at + INTERVAL '0 seconds'" } else { "a.published_at" };
            st.sql.push_str(&format!(" ORDER BY {newest} DESC, a.id DESC LIMIT {p}"));
            let hits: Vec<TimeHit> = st.load(conn)?;
            Ok(hits.into_iter().map(|h| (h.id, at(SearchPosition::Time(from_db(h.at), h.id)))).collect())
        }
    }
}

/// The filter's conditions on `a`, each appended with `AND`.
fn conditions(st: &mut Statement, filter: &Filter) {
    let add = |st: &mut Statement, condition: String| {
        st.sql.push_str(" AND ");
        st.sql.push_str(&condition);
    };
    match &filter.scope {
        Scope::Public { now } => {
            let status = st.push(Bind::Status(ArticleStatus::Published));
            let p = st.push(Bind::Time(*now));
            add(st, format!("a.status = {status} AND a.published_at <= {p}"));
        }
        Scope::Staff { status, author } => {
            let p = st.push(Bind::Status(*status));
            add(st, format!("a.status = {p}"));
            if let Some(author) = author {
                let p = st.push(Bind::User(*author));
                add(st, format!("a.id IN (SELECT article_id FROM article_authors WHERE user_id = {p})"));
            }
        }
    }
    if let Some(ids) = &filter.category_ids {
        let list = st.list(ids.iter().map(|&id| Bind::Category(id)));
        add(st, format!("a.category_id IN ({list})"));
    }
    if let Some(tag_id) = filter.tag_id {
        let p = st.push(Bind::Tag(tag_id));
        add(st, format!("a.id IN (SELECT article_id FROM article_tags WHERE tag_id = {p})"));
    }
    if let Some(author_id) = filter.author_id {
        let p = st.push(Bind::User(author_id));
        add(st, format!("a.id IN (SELECT article_id FROM article_authors WHERE user_id = {p})"));
    }
    if let Some(featured) = filter.featured {
        let p = st.push(Bind::Bool(featured));
        add(st, format!("a.featured = {p}"));
    }
    if let Some(Breaking { yes, now }) = filter.breaking {
        let (published, p) = (st.push(Bind::Status(ArticleStatus::Published)), st.push(Bind::Time(now)));
        let breaking =
            format!("(a.status = {published} AND a.breaking_until IS NOT NULL AND a.breaking_until > {p})");
        add(st, if yes { breaking } else { format!("NOT {breaking}") });
    }
    if let Some(from) = filter.published_from {
        let p = st.push(Bind::Time(from));
        add(st, format!("a.published_at >= {p}"));
    }
    if let Some(to) = filter.published_to {
        let p = st.push(Bind::Time(to));
        add(st, format!("a.published_at <= {p}"));
    }
}

/// Every word required, stemmed as the index holds it and quoted so that
/// nothing in it is FTS5 syntax; the last one's stem as a prefix, as
/// PostgreSQL matches `word:*` (`ener` finds "energy", `ministers` "ministry").
fn fts5_all(words: &[String], stemming: Stemming) -> String {
    let mut parts: Vec<String> = words.iter().map(|w| format!("\"{}\"", stemming.stem(w))).collect();
    if let Some(last) = parts.last_mut() {
        last.push('*');
    }
    parts.join(" AND ")
}

/// The same as a PostgreSQL `tsquery`, its lexemes restricted to `weights`
/// (`A`: the headline) if any. Words are letters and digits only, so
/// nothing in them is `tsquery` syntax.
fn tsquery(words: &[String], weights: &str) -> String {
    let label = if weights.is_empty() { String::new() } else { format!(":{weights}") };
    let mut parts: Vec<String> = words.iter().map(|w| format!("{w}{label}")).collect();
    if let (Some(part), Some(last)) = (parts.last_mut(), words.last()) {
        *part = format!("{last}:*{weights}");
    }
    parts.join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn every_word_is_required_and_the_last_is_also_a_prefix() {
        let english = "en".parse::<crate::domain::language::SiteLanguage>().unwrap().stemming();
        assert_eq!(fts5_all(&words(&["rates", "energy"]), english), "\"rate\" AND \"energi\"*");
        assert_eq!(tsquery(&words(&["rates", "ri"]), ""), "rates & ri:*");
        assert_eq!(tsquery(&words(&["ener"]), "A"), "ener:*A");
    }
}
