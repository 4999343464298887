//! Article reads (feeds, single articles, their tags and bylines) and writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::{ArticleAuthorRow, ArticleCardRow, ArticleRow, ArticleTagRow, RevisionRow};
use crate::db::schema::{article_authors, article_tags, articles, categories, revisions, tags, users};
use crate::db::{DbConn, on_backend};
use crate::error::AppResult;

/// Which articles a list may contain at all.
#[derive(Debug, Clone)]
pub enum Scope {
    /// What anyone may read: published, with its publish time come.
    Public { now: NaiveDateTime },
    /// A staff list: articles in any of `statuses`, only `author`'s when set.
    Staff { statuses: Vec<&'static str>, author: Option<String> },
}

/// The filters of an article list, on top of its scope.
#[derive(Debug, Clone)]
pub struct Filter {
    pub scope: Scope,
    /// A section and its sub-sections.
    pub category_ids: Option<Vec<String>>,
    pub tag_id: Option<String>,
    pub author_id: Option<String>,
    pub featured: Option<bool>,
    pub published_from: Option<NaiveDateTime>,
    pub published_to: Option<NaiveDateTime>,
}

impl Filter {
    /// No filter beyond the scope: the front page of the feed and its pages.
    fn is_plain(&self) -> bool {
        self.category_ids.is_none()
            && self.tag_id.is_none()
            && self.author_id.is_none()
            && self.featured.is_none()
            && self.published_from.is_none()
            && self.published_to.is_none()
    }
}

/// The order of a list and the key of the last item already served.
#[derive(Debug, Clone)]
pub enum Seek {
    /// Newest publication first.
    Published(Option<(NaiveDateTime, String)>),
    /// Newest creation first.
    Created(Option<(NaiveDateTime, String)>),
}

/// The section columns embedded in every article.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CategoryRefRow {
    pub id: String,
    pub slug: String,
    pub name: String,
}

/// A tag of an article.
#[derive(Debug, Clone, Queryable)]
pub struct ArticleTag {
    pub article_id: String,
    pub tag_id: String,
    pub slug: String,
    pub name: String,
}

/// A credited author of an article.
#[derive(Debug, Clone, Queryable)]
pub struct ArticleByline {
    pub article_id: String,
    pub user_id: String,
    pub display_name: String,
}

/// One page of article cards (no bodies), with their sections: one query,
/// an index range scan from the cursor on.
pub fn cards(
    conn: &mut DbConn,
    filter: &Filter,
    seek: &Seek,
    probe: i64,
) -> AppResult<Vec<(ArticleCardRow, CategoryRefRow)>> {
    if let (Scope::Public { now }, Seek::Published(after)) = (&filter.scope, seek)
        && filter.is_plain()
    {
        return public_feed(conn, *now, after.as_ref(), probe);
    }
    Ok(on_backend!(conn, |c| {
        let mut query = articles::table
            .inner_join(categories::table)
            .select((ArticleCardRow::as_select(), CategoryRefRow::as_select()))
            .into_boxed();
        match &filter.scope {
            Scope::Public { now } => {
                query = query.filter(articles::status.eq("published"));
                // A cursor (always in the past) bounds the range by itself; "now"
                // as a second upper bound could be the one the index range uses,
                // and then page 1000 would scan the 999 pages before it.
                let cursor_bounds = matches!(seek, Seek::Published(Some((at, _))) if at <= now);
                if !cursor_bounds {
                    query = query.filter(articles::published_at.le(*now));
                }
            }
            Scope::Staff { statuses, author } => {
                query = query.filter(articles::status.eq_any(statuses.clone()));
                if let Some(author) = author {
                    query = query.filter(
                        articles::id.eq_any(
                            article_authors::table
                                .select(article_authors::article_id)
                                .filter(article_authors::user_id.eq(author.clone())),
                        ),
                    );
                }
            }
        }
        if let Some(ids) = &filter.category_ids {
            query = query.filter(articles::category_id.eq_any(ids.clone()));
        }
        if let Some(tag_id) = &filter.tag_id {
            query = query.filter(
                articles::id.eq_any(
                    article_tags::table
                        .select(article_tags::article_id)
                        .filter(article_tags::tag_id.eq(tag_id.clone())),
                ),
            );
        }
        if let Some(author_id) = &filter.author_id {
            query = query.filter(
                articles::id.eq_any(
                    article_authors::table
                        .select(article_authors::article_id)
                        .filter(article_authors::user_id.eq(author_id.clone())),
                ),
            );
        }
        if let Some(featured) = filter.featured {
            query = query.filter(articles::featured.eq(featured));
        }
        if let Some(from) = filter.published_from {
            query = query.filter(articles::published_at.ge(from));
        }
        if let Some(to) = filter.published_to {
            query = query.filter(articles::published_at.le(to));
        }
        match seek {
            Seek::Published(after) => {
                if let Some((at, id)) = after {
                    // The plain `<=` bound lets the index range start at the cursor;
                    // the OR then drops the items already served at that instant.
                    query = query.filter(articles::published_at.le(*at)).filter(
                        articles::published_at
                            .lt(*at)
                            .or(articles::published_at.eq(*at).and(articles::id.lt(id.clone()))),
                    );
                }
                query = query.order((articles::published_at.desc(), articles::id.desc()));
            }
            Seek::Created(after) => {
                if let Some((at, id)) = after {
                    query = query.filter(articles::created_at.le(*at)).filter(
                        articles::created_at
                            .lt(*at)
                            .or(articles::created_at.eq(*at).and(articles::id.lt(id.clone()))),
                    );
                }
                query = query.order((articles::created_at.desc(), articles::id.desc()));
            }
        }
        query.limit(probe).load(c)
    })?)
}

/// The unfiltered public feed, the most requested list of all, as fixed
/// statements: each connection prepares them once and reuses them, where a
/// boxed query (as in [`cards`]) is prepared anew for every request.
fn public_feed(
    conn: &mut DbConn,
    now: NaiveDateTime,
    after: Option<&(NaiveDateTime, String)>,
    probe: i64,
) -> AppResult<Vec<(ArticleCardRow, CategoryRefRow)>> {
    Ok(on_backend!(conn, |c| {
        let feed = articles::table
            .inner_join(categories::table)
            .select((ArticleCardRow::as_select(), CategoryRefRow::as_select()))
            .filter(articles::status.eq("published"))
            .order((articles::published_at.desc(), articles::id.desc()))
            .limit(probe);
        match after {
            // One upper bound, so that the index range starts there: the cursor
            // (always in the past) or, for a cursor from the future, now, below
            // which the tie-break below always holds.
            Some((at, id)) => feed
                .filter(articles::published_at.le((*at).min(now)))
                .filter(
                    articles::published_at
                        .lt(*at)
                        .or(articles::published_at.eq(*at).and(articles::id.lt(id))),
                )
                .load(c),
            None => feed.filter(articles::published_at.le(now)).load(c),
        }
    })?)
}

/// Cards for known ids (search results), in no particular order.
pub fn cards_by_ids(conn: &mut DbConn, ids: &[String]) -> AppResult<Vec<(ArticleCardRow, CategoryRefRow)>> {
    Ok(on_backend!(conn, |c| articles::table
        .inner_join(categories::table)
        .select((ArticleCardRow::as_select(), CategoryRefRow::as_select()))
        .filter(articles::id.eq_any(ids))
        .load(c))?)
}

/// One whole article by id or slug.
pub fn find(conn: &mut DbConn, id_or_slug: &str) -> AppResult<Option<(ArticleRow, CategoryRefRow)>> {
    let found: Vec<(ArticleRow, CategoryRefRow)> = on_backend!(conn, |c| articles::table
        .inner_join(categories::table)
        .select((ArticleRow::as_select(), CategoryRefRow::as_select()))
        .filter(articles::id.eq(id_or_slug).or(articles::slug.eq(id_or_slug)))
        .limit(2)
        .load(c))?;
    // An id match wins over a slug that happens to look like an id.
    let mut found = found;
    let position = found.iter().position(|(a, _)| a.id == id_or_slug).unwrap_or(0);
    Ok((position < found.len()).then(|| found.swap_remove(position)))
}

/// The tags of the given articles, each article's in name order.
pub fn tags_of(conn: &mut DbConn, article_ids: &[String]) -> AppResult<Vec<ArticleTag>> {
    Ok(on_backend!(conn, |c| article_tags::table
        .inner_join(tags::table)
        .filter(article_tags::article_id.eq_any(article_ids))
        .select((article_tags::article_id, tags::id, tags::slug, tags::name))
        .order((article_tags::article_id, tags::name))
        .load(c))?)
}

/// The bylines of the given articles, each article's in credit order.
pub fn authors_of(conn: &mut DbConn, article_ids: &[String]) -> AppResult<Vec<ArticleByline>> {
    Ok(on_backend!(conn, |c| article_authors::table
        .inner_join(users::table)
        .filter(article_authors::article_id.eq_any(article_ids))
        .select((article_authors::article_id, users::id, users::display_name))
        .order((article_authors::article_id, article_authors::position))
        .load(c))?)
}

/// Inserts an article with its tags and authors.
pub fn insert(
    conn: &mut DbConn,
    article: &ArticleRow,
    tag_ids: &[String],
    author_ids: &[String],
) -> AppResult<()> {
    insert_many(conn, std::slice::from_ref(article), &links(article, tag_ids, author_ids))?;
    refresh_relations(conn, std::slice::from_ref(&article.id))
}

/// The tag and author rows linking `article` to `tag_ids` and `author_ids`.
pub fn links(
    article: &ArticleRow,
    tag_ids: &[String],
    author_ids: &[String],
) -> (Vec<ArticleTagRow>, Vec<ArticleAuthorRow>) {
    let tags = tag_ids
        .iter()
        .map(|tag_id| ArticleTagRow { article_id: article.id.clone(), tag_id: tag_id.clone() })
        .collect();
    let authors = author_ids
        .iter()
        .zip(0..)
        .map(|(user_id, position)| ArticleAuthorRow {
            article_id: article.id.clone(),
            user_id: user_id.clone(),
            position,
        })
        .collect();
    (tags, authors)
}

/// Inserts many articles at once (the seeder), in statements small enough
/// for either engine's limit on bound parameters.
pub fn insert_many(
    conn: &mut DbConn,
    articles_rows: &[ArticleRow],
    (tag_rows, author_rows): &(Vec<ArticleTagRow>, Vec<ArticleAuthorRow>),
) -> AppResult<()> {
    on_backend!(conn, |c| {
        for chunk in articles_rows.chunks(500) {
            diesel::insert_into(articles::table).values(chunk).execute(c)?;
        }
        for chunk in tag_rows.chunks(5_000) {
            diesel::insert_into(article_tags::table).values(chunk).execute(c)?;
        }
        for chunk in author_rows.chunks(5_000) {
            diesel::insert_into(article_authors::table).values(chunk).execute(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

pub fn count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(on_backend!(conn, |c| articles::table.count().get_result(c))?)
}

/// The columns an edit or a lifecycle move may change; `None` leaves a
/// column as it is, `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub body_html: Option<String>,
    pub cover_image_url: Option<Option<String>>,
    pub cover_image_caption: Option<Option<String>>,
    pub category_id: Option<String>,
    pub status: Option<String>,
    pub featured: Option<bool>,
    pub published_at: Option<Option<NaiveDateTime>>,
    pub scheduled_at: Option<Option<NaiveDateTime>>,
    pub reading_time_minutes: Option<i32>,
    pub updated_by: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Applies `changes` and bumps the version, only if the article is still at
/// `expected_version`: `false` means someone else changed it first.
pub fn update_versioned(
    conn: &mut DbConn,
    id: &str,
    expected_version: i64,
    changes: &ArticleChanges,
) -> AppResult<bool> {
    let updated = on_backend!(conn, |c| diesel::update(
        articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(expected_version))
    )
    .set((changes, articles::version.eq(expected_version + 1)))
    .execute(c))?;
    Ok(updated == 1)
}

/// Whether another article already has `slug`.
pub fn slug_taken(conn: &mut DbConn, slug: &str, except_id: Option<&str>) -> AppResult<bool> {
    let count: i64 = on_backend!(conn, |c| {
        let mut query = articles::table.filter(articles::slug.eq(slug)).into_boxed();
        if let Some(id) = except_id {
            query = query.filter(articles::id.ne(id.to_owned()));
        }
        query.count().get_result(c)
    })?;
    Ok(count > 0)
}

pub fn replace_tags(conn: &mut DbConn, article_id: &str, tag_ids: &[String]) -> AppResult<()> {
    let rows: Vec<ArticleTagRow> = tag_ids
        .iter()
        .map(|tag_id| ArticleTagRow { article_id: article_id.to_owned(), tag_id: tag_id.clone() })
        .collect();
    on_backend!(conn, |c| {
        diesel::delete(article_tags::table.filter(article_tags::article_id.eq(article_id))).execute(c)?;
        diesel::insert_into(article_tags::table).values(&rows).execute(c)
    })?;
    Ok(())
}

pub fn replace_authors(conn: &mut DbConn, article_id: &str, user_ids: &[String]) -> AppResult<()> {
    let rows: Vec<ArticleAuthorRow> = user_ids
        .iter()
        .zip(0..)
        .map(|(user_id, position)| ArticleAuthorRow {
            article_id: article_id.to_owned(),
            user_id: user_id.clone(),
            position,
        })
        .collect();
    on_backend!(conn, |c| {
        diesel::delete(article_authors::table.filter(article_authors::article_id.eq(article_id)))
            .execute(c)?;
        diesel::insert_into(article_authors::table).values(&rows).execute(c)
    })?;
    Ok(())
}

/// Deletes an article with its tags, bylines, revisions and comments.
pub fn delete(conn: &mut DbConn, id: &str) -> AppResult<bool> {
    // Foreign keys cascade to everything that belongs to the article.
    let deleted = on_backend!(conn, |c| diesel::delete(articles::table.find(id)).execute(c))?;
    Ok(deleted == 1)
}

pub fn insert_revision(conn: &mut DbConn, row: &RevisionRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(revisions::table).values(row).execute(c))?;
    Ok(())
}

/// Every earlier version of an article, newest first, with the editor's name.
pub fn revisions_of(conn: &mut DbConn, article_id: &str) -> AppResult<Vec<(RevisionRow, String)>> {
    Ok(on_backend!(conn, |c| revisions::table
        .inner_join(users::table)
        .filter(revisions::article_id.eq(article_id))
        .select((RevisionRow::as_select(), users::display_name))
        .order(revisions::version.desc())
        .load(c))?)
}

/// Scheduled articles whose time has come.
pub fn due(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<(String, i64)>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::status.eq("scheduled"))
        .filter(articles::scheduled_at.le(now))
        .select((articles::id, articles::version))
        .order(articles::scheduled_at)
        .limit(500)
        .load(c))?)
}

/// Adds `delta` to an article's visible-comment count, atomically.
pub fn bump_comment_count(conn: &mut DbConn, article_id: &str, delta: i32) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(articles::table.find(article_id))
        .set(articles::comment_count.eq(articles::comment_count + delta))
        .execute(c))?;
    Ok(())
}

/// How many articles are filed under a section.
pub fn count_in_category(conn: &mut DbConn, category_id: &str) -> AppResult<i64> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::category_id.eq(category_id))
        .count()
        .get_result(c))?)
}

/// Markdown and HTML bodies of the given articles.
pub fn bodies_of(conn: &mut DbConn, ids: &[String]) -> AppResult<Vec<(String, String, String)>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::id.eq_any(ids))
        .select((articles::id, articles::body, articles::body_html))
        .load(c))?)
}

/// Rewrites the `tags_json` and `authors_json` of the given articles from the
/// link tables and the current tag names and display names. Every change to
/// a link, a tag or a display name calls it, in the same transaction.
pub fn refresh_relations(conn: &mut DbConn, article_ids: &[String]) -> AppResult<()> {
    use std::collections::HashMap;

    use crate::db::models::{BylineJson, TagJson};

    for chunk in article_ids.chunks(500) {
        let mut tags: HashMap<&str, Vec<TagJson>> =
            chunk.iter().map(|id| (id.as_str(), Vec::new())).collect();
        let mut authors: HashMap<&str, Vec<BylineJson>> =
            chunk.iter().map(|id| (id.as_str(), Vec::new())).collect();
        let tag_rows = tags_of(conn, chunk)?;
        let author_rows = authors_of(conn, chunk)?;
        for t in tag_rows {
            if let Some(list) =
                chunk.iter().find(|id| **id == t.article_id).and_then(|id| tags.get_mut(id.as_str()))
            {
                list.push(TagJson { id: t.tag_id, slug: t.slug, name: t.name });
            }
        }
        for a in author_rows {
            if let Some(list) =
                chunk.iter().find(|id| **id == a.article_id).and_then(|id| authors.get_mut(id.as_str()))
            {
                list.push(BylineJson { id: a.user_id, display_name: a.display_name });
            }
        }
        for id in chunk {
            let tags_json =
                serde_json::to_string(&tags[id.as_str()]).map_err(crate::error::AppError::internal)?;
            let authors_json =
                serde_json::to_string(&authors[id.as_str()]).map_err(crate::error::AppError::internal)?;
            on_backend!(conn, |c| diesel::update(articles::table.find(id))
                .set((articles::tags_json.eq(&tags_json), articles::authors_json.eq(&authors_json)))
                .execute(c))?;
        }
    }
    Ok(())
}

/// Articles carrying a tag.
pub fn ids_with_tag(conn: &mut DbConn, tag_id: &str) -> AppResult<Vec<String>> {
    Ok(on_backend!(conn, |c| article_tags::table
        .filter(article_tags::tag_id.eq(tag_id))
        .select(article_tags::article_id)
        .load(c))?)
}

/// Articles crediting a user.
pub fn ids_by_author(conn: &mut DbConn, user_id: &str) -> AppResult<Vec<String>> {
    Ok(on_backend!(conn, |c| article_authors::table
        .filter(article_authors::user_id.eq(user_id))
        .select(article_authors::article_id)
        .load(c))?)
}

/// When the next scheduled article is due, if any is scheduled.
pub fn next_due(conn: &mut DbConn) -> AppResult<Option<NaiveDateTime>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::status.eq("scheduled"))
        .select(diesel::dsl::min(articles::scheduled_at))
        .first::<Option<NaiveDateTime>>(c))?)
}
