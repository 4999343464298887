//! Article lists: the public feed and staff lists, filtered, a page at a time
//! from a keyset cursor.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::{ArticleCardRow, CategoryRefRow};
use crate::db::schema::{article_authors, article_tags, articles, categories};
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
