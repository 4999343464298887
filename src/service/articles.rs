//! Reading articles: feeds with filters and search, single articles.

use chrono::{DateTime, Utc};

use super::Services;
use super::assemble;
use super::editorial::require;
use crate::db::repo::articles::{self as repo, Filter, Scope, Seek};
use crate::db::repo::{categories, tags};
use crate::db::{DbConn, models::ArticleRow};
use crate::domain::article::Article;
use crate::domain::page::{CursorKind, Limit, MAX_SEARCH_OFFSET, OffsetCursor, Page, TimeCursor};
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, ArticleStatus, Role, Slug, UserId, Viewer, taxonomy};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};

/// What a caller asked of an article list, as received. Field names in
/// errors are the REST query parameters'.
#[derive(Debug, Clone, Default)]
pub struct ArticleListRequest {
    pub category: Option<String>,
    pub tag: Option<String>,
    pub author: Option<String>,
    pub featured: Option<bool>,
    pub q: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// Staff only: list articles in this status instead of the public feed.
    pub status: Option<String>,
}

/// A search is at most this many characters.
const MAX_QUERY_CHARS: usize = 200;

/// The validated form of [`ArticleListRequest`].
struct ListPlan {
    category: Option<Slug>,
    tag: Option<Slug>,
    author: Option<UserId>,
    featured: Option<bool>,
    search: Option<(String, OffsetCursor)>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: Limit,
    after: Option<TimeCursor>,
    status: Option<ArticleStatus>,
}

impl ArticleListRequest {
    fn plan(self) -> AppResult<ListPlan> {
        let mut errors = FieldErrors::default();
        let category = self.category.as_deref().and_then(|s| errors.check(Slug::parse(s, "category")));
        let tag = self.tag.as_deref().and_then(|s| errors.check(Slug::parse(s, "tag")));
        let author = self.author.as_deref().and_then(|s| {
            errors.check(
                s.trim().parse::<UserId>().map_err(|_| FieldError::new("author", "must be a user id (UUID)")),
            )
        });
        let limit = errors.check(Limit::new(self.limit, "limit")).unwrap_or_default();
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
        if q.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
            errors.push(FieldError::new("q", format!("must be at most {MAX_QUERY_CHARS} characters")));
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            errors.push(FieldError::new("from", "must not be later than `to`"));
        }
        let status = self.status.as_deref().and_then(|s| {
            errors.check(s.trim().parse::<ArticleStatus>().map_err(|()| {
                FieldError::new("status", "must be one of draft, in_review, scheduled, published, archived")
            }))
        });
        // Staff lists run newest-created first; the public feed newest-published first.
        let kind = if self.status.is_some() { CursorKind::Created } else { CursorKind::Feed };
        let (search, after) = match (q, self.cursor.as_deref()) {
            (Some(q), cursor) => {
                let offset = match cursor {
                    Some(c) => errors.check(OffsetCursor::decode(c, "cursor")).unwrap_or(OffsetCursor(0)),
                    None => OffsetCursor(0),
                };
                (Some((q, offset)), None)
            }
            (None, Some(c)) => (None, errors.check(TimeCursor::decode(kind, c, "cursor"))),
            (None, None) => (None, None),
        };
        errors.finish()?;
        Ok(ListPlan {
            category,
            tag,
            author,
            featured: self.featured,
            search,
            from: self.from,
            to: self.to,
            limit,
            after,
            status,
        })
    }
}

impl Services {
    /// The public feed: published articles, newest first, filtered and
    /// searched. With `status`, a staff list instead: editors see every
    /// article in that status, authors their own.
    pub async fn list_articles(
        &self,
        viewer: Viewer,
        request: ArticleListRequest,
    ) -> AppResult<Page<Article>> {
        let plan = request.plan()?;
        let scope = match plan.status {
            None => Scope::Public { now: to_db(now()) },
            Some(status) => {
                let me = require(viewer, Role::Author)?;
                Scope::Staff {
                    statuses: vec![status.as_str()],
                    author: (!me.role.is_editor()).then(|| me.user_id.to_string()),
                }
            }
        };
        self.db()
            .run(move |conn| {
                let Some(filter) = resolve_filter(conn, &plan, scope)? else {
                    return Ok(Page::empty());
                };
                if let Some((text, offset)) = &plan.search {
                    return search_page(conn, text, *offset, &filter, plan.limit);
                }
                let after = plan.after.as_ref().map(|c| (to_db(c.at), c.id.clone()));
                let (seek, kind) = match plan.status {
                    None => (Seek::Published(after), CursorKind::Feed),
                    Some(_) => (Seek::Created(after), CursorKind::Created),
                };
                let rows = repo::cards(conn, &filter, &seek, plan.limit.probe())?;
                let articles = with_relations(rows)?;
                Ok(Page::from_probe(articles, plan.limit, |a: &Article| {
                    let at = match kind {
                        CursorKind::Feed => a.published_at.unwrap_or(a.created_at),
                        _ => a.created_at,
                    };
                    TimeCursor { at, id: a.id.to_string() }.encode(kind)
                }))
            })
            .await
    }

    /// One article by id or slug, if the viewer may see it.
    pub async fn get_article(&self, viewer: Viewer, id_or_slug: String) -> AppResult<Article> {
        let key = id_or_slug.trim().to_lowercase();
        if key.is_empty() || key.len() > 200 {
            return Err(AppError::NotFound("article"));
        }
        self.db()
            .run(move |conn| {
                let (row, category) = repo::find(conn, &key)?.ok_or(AppError::NotFound("article"))?;
                if !may_read(viewer, &row) {
                    // Unpublished work is not acknowledged to exist.
                    return Err(AppError::NotFound("article"));
                }
                assemble::full(row, category)
            })
            .await
    }
}

/// Anyone reads what is published; authors their own work; editors everything.
pub(super) fn may_read(viewer: Viewer, row: &ArticleRow) -> bool {
    let published = row.status == ArticleStatus::Published.as_str()
        && row.published_at.is_some_and(|at| at <= to_db(now()));
    if published || viewer.is_editor() {
        return true;
    }
    match viewer.principal() {
        Some(p) if p.role.is_staff() => {
            let me = p.user_id.to_string();
            row.created_by == me || row.author_ids().contains(&me)
        }
        _ => false,
    }
}

/// Turns slugs into ids. `None` when a named section or tag does not exist:
/// the filter then matches nothing.
fn resolve_filter(conn: &mut DbConn, plan: &ListPlan, scope: Scope) -> AppResult<Option<Filter>> {
    let category_ids = match &plan.category {
        None => None,
        Some(slug) => {
            let all =
                categories::all(conn)?.into_iter().map(assemble::category).collect::<AppResult<Vec<_>>>()?;
            let Some(root) = all.iter().find(|c| c.slug == slug.as_str()) else {
                return Ok(None);
            };
            Some(taxonomy::subtree(root.id, &all).iter().map(ToString::to_string).collect())
        }
    };
    let tag_id = match &plan.tag {
        None => None,
        Some(slug) => match tags::by_slug(conn, slug.as_str())? {
            Some(tag) => Some(tag.id),
            None => return Ok(None),
        },
    };
    Ok(Some(Filter {
        scope,
        category_ids,
        tag_id,
        author_id: plan.author.map(|a| a.to_string()),
        featured: plan.featured,
        published_from: plan.from.map(to_db),
        published_to: plan.to.map(to_db),
    }))
}

fn search_page(
    conn: &mut DbConn,
    text: &str,
    offset: OffsetCursor,
    filter: &Filter,
    limit: Limit,
) -> AppResult<Page<Article>> {
    let ids = crate::db::search::ranked_ids(conn, text, filter, i64::from(offset.0), limit.probe())?;
    let more = ids.len() > limit.get() as usize;
    let ids: Vec<String> = ids.into_iter().take(limit.get() as usize).collect();
    let cards = repo::cards_by_ids(conn, &ids)?;
    let mut articles = with_relations(cards)?;
    // Back into rank order.
    articles.sort_by_key(|a| ids.iter().position(|id| *id == a.id.to_string()));
    let cursors: Vec<String> =
        (1..=articles.len() as u32).map(|n| OffsetCursor(offset.0 + n).encode()).collect();
    let next = offset.0 + limit.get();
    let next_cursor = (more && next <= MAX_SEARCH_OFFSET).then(|| OffsetCursor(next).encode());
    Ok(Page { items: articles, cursors, next_cursor })
}

/// Article cards, as read with their sections (tags and bylines are kept on
/// the row): no further statement, whatever the page size.
fn with_relations(
    rows: Vec<(crate::db::models::ArticleCardRow, repo::CategoryRefRow)>,
) -> AppResult<Vec<Article>> {
    rows.into_iter().map(|(row, category)| assemble::card(row, category)).collect()
}

impl Services {
    /// The bodies of articles the caller already holds (lists leave them
    /// out): one query for any number of articles.
    pub async fn article_bodies(
        &self,
        ids: Vec<ArticleId>,
    ) -> AppResult<std::collections::HashMap<ArticleId, crate::domain::article::ArticleBody>> {
        let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let rows = self.db().run(move |conn| repo::bodies_of(conn, &keys)).await?;
        rows.into_iter()
            .map(|(id, markdown, html)| {
                Ok((ArticleId::from_db(&id)?, crate::domain::article::ArticleBody { markdown, html }))
            })
            .collect()
    }
}
