//! What sitemaps list, read cheaply at any size: the pages of published
//! articles and of tags found in one windowed statement over an index (the
//! first entry and latest change of every run of `size`), and each page read
//! as one range of that index from its first entry (never an offset).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::db::schema::{articles, categories, tags};
use crate::db::sql::{Bind, Statement};
use crate::db::{DbConn, on_backend};
use crate::domain::{ArticleId, ArticleStatus, TagId};
use crate::error::AppResult;

/// One page of a sitemap: its first entry (an article id, a tag slug) and
/// the latest change among its entries.
#[derive(Debug, Clone, QueryableByName)]
pub struct PageRow {
    #[diesel(sql_type = BigInt)]
    pub page: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub first: Option<String>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub lastmod: Option<NaiveDateTime>,
}

/// The pages of published articles, `size` to a page, oldest first.
pub fn article_pages(conn: &mut DbConn, size: i64) -> AppResult<Vec<PageRow>> {
    let mut st = Statement::new(conn);
    // SQLite's `?` binds once per use, in the order of the text.
    let (per_page, per_place) = (st.push(Bind::Int(size)), st.push(Bind::Int(size)));
    let published = st.push(Bind::Status(ArticleStatus::Published));
    st.sql = format!(
        "SELECT page, min(CASE WHEN place = 0 THEN id END) AS first, max(updated_at) AS lastmod FROM ( \
           SELECT id, updated_at, \
                  (row_number() OVER (ORDER BY published_at, id) - 1) / {per_page} AS page, \
                  (row_number() OVER (ORDER BY published_at, id) - 1) % {per_place} AS place \
           FROM articles WHERE status = {published} AND published_at IS NOT NULL \
         ) numbered GROUP BY page ORDER BY page"
    );
    st.load(conn)
}

/// The pages of tags, `size` to a page, in slug order.
pub fn tag_pages(conn: &mut DbConn, size: i64) -> AppResult<Vec<PageRow>> {
    let mut st = Statement::new(conn);
    let (per_page, per_place) = (st.push(Bind::Int(size)), st.push(Bind::Int(size)));
    st.sql = format!(
        "SELECT page, min(CASE WHEN place = 0 THEN slug END) AS first, max(created_at) AS lastmod FROM ( \
           SELECT slug, created_at, \
                  (row_number() OVER (ORDER BY slug) - 1) / {per_page} AS page, \
                  (row_number() OVER (ORDER BY slug) - 1) % {per_place} AS place \
           FROM tags \
         ) numbered GROUP BY page ORDER BY page"
    );
    st.load(conn)
}

/// An article's address parts and last edit: its columns, named once.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleEntry {
    pub id: ArticleId,
    pub slug: String,
    #[diesel(select_expression = categories::slug, select_expression_type = categories::slug)]
    pub section: String,
    pub title: String,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// Set when the story's canonical page is elsewhere.
    pub canonical_url: Option<String>,
}

/// Published articles from `first` on (in publication order), at most
/// `limit`; none if `first` is not a published article.
pub fn articles_from(conn: &mut DbConn, first: ArticleId, limit: i64) -> AppResult<Vec<ArticleEntry>> {
    let start: Option<Option<NaiveDateTime>> = on_backend!(conn, |c| articles::table
        .filter(articles::id.eq(first))
        .filter(articles::status.eq(ArticleStatus::Published))
        .select(articles::published_at)
        .first(c)
        .optional())?;
    let Some(Some(at)) = start else { return Ok(Vec::new()) };
    Ok(on_backend!(conn, |c| articles::table
        .inner_join(categories::table)
        .filter(articles::status.eq(ArticleStatus::Published))
        .filter(articles::published_at.gt(at).or(articles::published_at.eq(at).and(articles::id.ge(first))))
        .select(ArticleEntry::as_select())
        .order((articles::published_at, articles::id))
        .limit(limit)
        .load(c))?)
}

/// Published articles published since `since`, newest first, at most `limit`.
pub fn articles_since(conn: &mut DbConn, since: NaiveDateTime, limit: i64) -> AppResult<Vec<ArticleEntry>> {
    Ok(on_backend!(conn, |c| articles::table
        .inner_join(categories::table)
        .filter(articles::status.eq(ArticleStatus::Published))
        .filter(articles::published_at.ge(since))
        .select(ArticleEntry::as_select())
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(limit)
        .load(c))?)
}

/// Tags from `first` on (in slug order), at most `limit`.
pub fn tags_from(
    conn: &mut DbConn,
    first: &str,
    limit: i64,
) -> AppResult<Vec<(TagId, String, NaiveDateTime)>> {
    Ok(on_backend!(conn, |c| tags::table
        .filter(tags::slug.ge(first.to_owned()))
        .select((tags::id, tags::slug, tags::created_at))
        .order(tags::slug)
        .limit(limit)
        .load(c))?)
}
