//! Article lists: the public feed and staff lists, filtered, a page at a time
//! from a keyset cursor.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};

use crate::db::models::{ArticleCardRow, CategoryRefRow};
use crate::db::schema::{article_authors, article_tags, articles, categories};
use crate::db::sql::{Bind, Statement};
use crate::db::{DbConn, on_backend};
use crate::domain::article::Article;
use crate::domain::{ArticleId, ArticleStatus, CategoryId, TagId, UserId};
use crate::error::AppResult;

/// Which articles a list may contain at all.
#[derive(Debug, Clone)]
pub enum Scope {
    /// What anyone may read: published, with its publish time come.
    Public { now: NaiveDateTime },
    /// A staff list: articles in `status`, only `author`'s when set.
    Staff { status: ArticleStatus, author: Option<UserId> },
}

/// The filters of an article list, on top of its scope.
#[derive(Debug, Clone)]
pub struct Filter {
    pub scope: Scope,
    /// A section and its sub-sections.
    pub category_ids: Option<Vec<CategoryId>>,
    pub tag_id: Option<TagId>,
    pub author_id: Option<UserId>,
    pub featured: Option<bool>,
    pub breaking: Option<Breaking>,
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
            && self.breaking.is_none()
            && self.published_from.is_none()
            && self.published_to.is_none()
    }
}

/// Breaking news (`yes`) or not at `now`: published, with a window open at
/// that time.
#[derive(Debug, Clone, Copy)]
pub struct Breaking {
    pub yes: bool,
    pub now: NaiveDateTime,
}

/// The order of a list and the key of the last item already served.
#[derive(Debug, Clone)]
pub enum Seek {
    /// Newest publication first.
    Published(Option<(NaiveDateTime, ArticleId)>),
    /// Newest creation first.
    Created(Option<(NaiveDateTime, ArticleId)>),
}

/// Rows after `($at, $id)` in newest-first order of `$column`, bounded above
/// by `$bound`: the plain `<=` bound lets the index range start at the
/// cursor, and the `OR` then drops what was already served at that instant.
macro_rules! after_key {
    ($column:expr, $bound:expr, $at:expr, $id:expr) => {
        $column.le($bound).and($column.lt($at).or($column.eq($at).and(articles::id.lt($id))))
    };
}

/// One page of article cards (no bodies), with their sections: one query,
/// an index range scan from the cursor on.
pub fn cards(conn: &mut DbConn, filter: &Filter, seek: &Seek, probe: i64) -> AppResult<Vec<Article>> {
    let rows = if let (Scope::Public { now }, Seek::Published(after)) = (&filter.scope, seek)
        && filter.is_plain()
    {
        public_feed(conn, *now, after.as_ref(), probe)?
    } else {
        filtered(conn, filter, seek, probe)?
    };
    rows.into_iter().map(|(card, category)| card.into_article(category, None)).collect()
}

fn filtered(
    conn: &mut DbConn,
    filter: &Filter,
    seek: &Seek,
    probe: i64,
) -> AppResult<Vec<(ArticleCardRow, CategoryRefRow)>> {
    Ok(on_backend!(conn, |c| {
        let mut query = articles::table
            .inner_join(categories::table)
            .select((ArticleCardRow::as_select(), CategoryRefRow::as_select()))
            .into_boxed();
        match &filter.scope {
            Scope::Public { now } => {
                query = query.filter(articles::status.eq(ArticleStatus::Published));
                // A cursor (always in the past) bounds the range by itself; "now"
                // as a second upper bound could be the one the index range uses,
                // and then page 1000 would scan the 999 pages before it.
                let cursor_bounds = matches!(seek, Seek::Published(Some((at, _))) if at <= now);
                if !cursor_bounds {
                    query = query.filter(articles::published_at.le(*now));
                }
            }
            Scope::Staff { status, author } => {
                query = query.filter(articles::status.eq(*status));
                if let Some(author) = author {
                    query = query.filter(
                        articles::id.eq_any(
                            article_authors::table
                                .select(article_authors::article_id)
                                .filter(article_authors::user_id.eq(*author)),
                        ),
                    );
                }
            }
        }
        if let Some(ids) = &filter.category_ids {
            query = query.filter(articles::category_id.eq_any(ids.clone()));
        }
        if let Some(tag_id) = filter.tag_id {
            query = query.filter(articles::id.eq_any(
                article_tags::table.select(article_tags::article_id).filter(article_tags::tag_id.eq(tag_id)),
            ));
        }
        if let Some(author_id) = filter.author_id {
            query = query.filter(
                articles::id.eq_any(
                    article_authors::table
                        .select(article_authors::article_id)
                        .filter(article_authors::user_id.eq(author_id)),
                ),
            );
        }
        if let Some(featured) = filter.featured {
            query = query.filter(articles::featured.eq(featured));
        }
        if let Some(Breaking { yes, now }) = filter.breaking {
            // Written so that no part is NULL: a story without a window is
            // plainly not breaking, and `NOT` keeps it.
            let breaking = articles::status.eq(ArticleStatus::Published).and(
                articles::breaking_until
                    .is_not_null()
                    .and(articles::breaking_until.gt(now).assume_not_null()),
            );
            query = if yes { query.filter(breaking) } else { query.filter(diesel::dsl::not(breaking)) };
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
                    query = query.filter(after_key!(articles::published_at, *at, *at, *id));
                }
                query = query.order((articles::published_at.desc(), articles::id.desc()));
            }
            Seek::Created(after) => {
                if let Some((at, id)) = after {
                    query = query.filter(after_key!(articles::created_at, *at, *at, *id));
                }
                query = query.order((articles::created_at.desc(), articles::id.desc()));
            }
        }
        query.limit(probe).load(c)
    })?)
}

/// The unfiltered public feed, the most requested list of all, as fixed
/// statements: each connection prepares them once and reuses them, where a
/// boxed query (as in [`filtered`]) is prepared anew for every request.
fn public_feed(
    conn: &mut DbConn,
    now: NaiveDateTime,
    after: Option<&(NaiveDateTime, ArticleId)>,
    probe: i64,
) -> AppResult<Vec<(ArticleCardRow, CategoryRefRow)>> {
    Ok(on_backend!(conn, |c| {
        let feed = articles::table
            .inner_join(categories::table)
            .select((ArticleCardRow::as_select(), CategoryRefRow::as_select()))
            .filter(articles::status.eq(ArticleStatus::Published))
            .order((articles::published_at.desc(), articles::id.desc()))
            .limit(probe);
        match after {
            // One upper bound, so that the index range starts there: the cursor
            // (always in the past) or, for a cursor from the future, now, below
            // which the tie-break always holds.
            Some((at, id)) => {
                feed.filter(after_key!(articles::published_at, (*at).min(now), *at, *id)).load(c)
            }
            None => feed.filter(articles::published_at.le(now)).load(c),
        }
    })?)
}

/// An article card and its section, as the windowed query reads it.
#[derive(QueryableByName)]
struct PlacedCard {
    #[diesel(sql_type = Text)]
    id: ArticleId,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    summary: String,
    #[diesel(sql_type = Nullable<Text>)]
    cover_image_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    cover_image_caption: Option<String>,
    #[diesel(sql_type = Text)]
    status: ArticleStatus,
    #[diesel(sql_type = Bool)]
    featured: bool,
    #[diesel(sql_type = Nullable<Timestamp>)]
    published_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    scheduled_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Text)]
    created_by: UserId,
    #[diesel(sql_type = Timestamp)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Text)]
    updated_by: UserId,
    #[diesel(sql_type = Timestamp)]
    updated_at: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = Integer)]
    reading_time_minutes: i32,
    #[diesel(sql_type = Integer)]
    comment_count: i32,
    #[diesel(sql_type = Text)]
    tags_json: String,
    #[diesel(sql_type = Text)]
    authors_json: String,
    #[diesel(sql_type = Text)]
    corrections_json: String,
    #[diesel(sql_type = Nullable<Text>)]
    cover_media_json: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    seo_title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    seo_description: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    seo_image_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    canonical_url: Option<String>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    expires_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    breaking_until: Option<NaiveDateTime>,
    #[diesel(sql_type = Text)]
    comments_mode: crate::domain::CommentsMode,
    #[diesel(sql_type = Text)]
    category_id: CategoryId,
    #[diesel(sql_type = Text)]
    category_slug: String,
    #[diesel(sql_type = Text)]
    category_name: String,
}

/// The newest `probe` public articles filed directly under each of
/// `sections`: one statement however many sections. (A section's page with
/// its sub-sections is merged from theirs by the caller.)
pub fn newest_by_section(
    conn: &mut DbConn,
    sections: &[CategoryId],
    now: NaiveDateTime,
    probe: i64,
) -> AppResult<Vec<Article>> {
    let mut st = Statement::new(conn);
    let ids = st.list(sections.iter().copied().map(Bind::Category));
    let published = st.push(Bind::Status(ArticleStatus::Published));
    let now = st.push(Bind::Time(now));
    let limit = st.push(Bind::Int(probe));
    st.sql = format!(
        "SELECT p.*, c.slug AS category_slug, c.name AS category_name FROM ( \
           SELECT a.id, a.slug, a.title, a.summary, a.cover_image_url, a.cover_image_caption, a.status, \
                  a.featured, a.published_at, a.scheduled_at, a.created_by, a.created_at, a.updated_by, \
                  a.updated_at, a.version, a.reading_time_minutes, a.comment_count, a.tags_json, \
                  a.authors_json, a.corrections_json, a.cover_media_json, a.seo_title, a.seo_description, a.seo_image_url, \
                  a.canonical_url, a.expires_at, a.breaking_until, a.comments_mode, a.category_id, \
                  ROW_NUMBER() OVER (PARTITION BY a.category_id ORDER BY a.published_at DESC, a.id DESC) AS position \
           FROM articles a \
           WHERE a.category_id IN ({ids}) AND a.status = {published} AND a.published_at <= {now} \
         ) p JOIN categories c ON c.id = p.category_id WHERE p.position <= {limit} ORDER BY p.position"
    );
    let rows: Vec<PlacedCard> = st.load(conn)?;
    rows.into_iter()
        .map(|p| {
            let card = ArticleCardRow {
                id: p.id,
                slug: p.slug,
                title: p.title,
                summary: p.summary,
                cover_image_url: p.cover_image_url,
                cover_image_caption: p.cover_image_caption,
                status: p.status,
                featured: p.featured,
                published_at: p.published_at,
                scheduled_at: p.scheduled_at,
                created_by: p.created_by,
                created_at: p.created_at,
                updated_by: p.updated_by,
                updated_at: p.updated_at,
                version: p.version,
                reading_time_minutes: p.reading_time_minutes,
                comment_count: p.comment_count,
                tags_json: p.tags_json,
                authors_json: p.authors_json,
                corrections_json: p.corrections_json,
                cover_media_json: p.cover_media_json,
                seo_title: p.seo_title,
                seo_description: p.seo_description,
                seo_image_url: p.seo_image_url,
                canonical_url: p.canonical_url,
                expires_at: p.expires_at,
                breaking_until: p.breaking_until,
                comments_mode: p.comments_mode,
            };
            let category = CategoryRefRow { id: p.category_id, slug: p.category_slug, name: p.category_name };
            card.into_article(category, None)
        })
        .collect()
}
