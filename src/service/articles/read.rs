//! Reading articles: feeds with filters and search, single articles, bodies,
//! revisions.

use std::collections::HashMap;

use super::ArticleQuery;
use crate::db::DbConn;
use crate::db::repo::articles::{self as repo, Breaking, Filter, Scope, Seek};
use crate::db::repo::{categories, tags};
use crate::domain::article::{Article, ArticleBody, ArticleKey, Revision};
use crate::domain::facets::Facets;
use crate::domain::filters::SearchText;
use crate::domain::page::SearchCursor;
use crate::domain::page::{ArticleCursor, CursorKind, Limit, Page, TimeCursor};
use crate::domain::policy;
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, CategoryId, Viewer, markdown, snippet, taxonomy};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::freshness::{Feed, Key, feed_of, shown_by};

impl Services {
    /// The public feed: published articles, newest first, filtered and
    /// searched. With a status, a staff list instead: editors see every
    /// article in that status, authors their own.
    pub async fn list_articles(&self, viewer: Viewer, query: ArticleQuery) -> AppResult<Page<Article>> {
        let scope = list_scope(viewer, &query)?;
        if query.after.as_ref().is_some_and(|after| after.order() != query.order()) {
            return Err(AppError::internal(anyhow::anyhow!("a cursor of another list reached the service")));
        }
        self.db()
            .read(move |conn, shown| {
                let Some(filter) = resolve_filter(conn, &query, scope)? else {
                    // No such section (yet) or tag.
                    shown.push(Key::Sections);
                    return Ok(Page::empty());
                };
                let page = feed_page(conn, &query, &filter)?;
                shown.extend(feed_shows(&query, &filter, &page));
                Ok(page)
            })
            .await
    }

    /// How many articles a list matches (every match, not one page), by
    /// section and by month: the same articles [`Services::list_articles`]
    /// pages through for the same query.
    pub async fn article_facets(&self, viewer: Viewer, query: ArticleQuery) -> AppResult<Facets> {
        let scope = list_scope(viewer, &query)?;
        self.db()
            .read(move |conn, shown| {
                let Some(filter) = resolve_filter(conn, &query, scope)? else {
                    shown.push(Key::Sections);
                    return Ok(Facets::default());
                };
                let words = query.search.as_ref().map(SearchText::words).unwrap_or_default();
                let counts = crate::db::search::facets::count(conn, &words, &filter)?;
                let sections = categories::all(conn)?;
                shown.extend(feed_keys(&query, &filter));
                shown.extend(counts.iter().map(|c| Key::Section(c.section)));
                let counts =
                    counts.into_iter().map(|c| (c.section, c.month, u64::try_from(c.count).unwrap_or(0)));
                Ok(Facets::fold(counts, &sections))
            })
            .await
    }

    /// One article by id, slug or a slug it had before, if the viewer may
    /// see it. (Compare the slug asked for with the article's to learn
    /// whether it was a former one.)
    pub async fn get_article(&self, viewer: Viewer, key: impl Into<ArticleKey>) -> AppResult<Article> {
        let key = key.into();
        self.db()
            .read(move |conn, shown| {
                // Nothing by that slug or id yet: publishing one is news to every feed.
                let article = repo::find_current_or_former(conn, &key)?
                    .ok_or(AppError::NotFound("article"))
                    .inspect_err(|_| shown.push(Key::Feed(Feed::All)))?;
                shown.extend(shown_by(&article));
                policy::may_read(viewer, &article, now())?;
                Ok(article)
            })
            .await
    }

    /// The bodies of articles the caller already holds (lists leave them
    /// out): one query for any number of articles.
    pub async fn article_bodies(&self, ids: Vec<ArticleId>) -> AppResult<HashMap<ArticleId, ArticleBody>> {
        let rows = self
            .db()
            .read(move |conn, shown| {
                shown.extend(ids.iter().map(|&id| Key::Article(id)));
                repo::bodies_of(conn, &ids)
            })
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The first page of the public feed of each of several sections (each
    /// with its sub-sections): two statements however many sections.
    pub async fn section_pages(
        &self,
        sections: Vec<CategoryId>,
        limit: Limit,
    ) -> AppResult<HashMap<CategoryId, Page<Article>>> {
        self.db()
            .read(move |conn, shown| {
                let all = categories::all(conn)?;
                let trees: Vec<(CategoryId, Vec<CategoryId>)> =
                    sections.into_iter().map(|root| (root, taxonomy::subtree(root, &all))).collect();
                let mut every: Vec<CategoryId> =
                    trees.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
                every.sort_unstable();
                every.dedup();
                // A section's newest N are among the newest N of each of its sub-sections.
                let newest = repo::newest_by_section(conn, &every, to_db(now()), limit.probe())?;
                shown.extend(feed_of(Some(&every)));
                shown.extend(newest.iter().flat_map(shown_by));
                Ok(trees
                    .into_iter()
                    .map(|(root, ids)| {
                        let mut articles: Vec<Article> =
                            newest.iter().filter(|a| ids.contains(&a.category.id)).cloned().collect();
                        articles.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
                        articles.truncate(limit.probe() as usize);
                        (root, Page::from_probe(articles, limit, feed_cursor))
                    })
                    .collect())
            })
            .await
    }

    /// The revisions of several articles, each as [`Services::article_revisions`]
    /// would answer for it: two statements however many articles.
    pub async fn revisions_of_many(
        &self,
        viewer: Viewer,
        ids: Vec<ArticleId>,
    ) -> AppResult<HashMap<ArticleId, AppResult<Vec<Revision>>>> {
        self.db()
            .run(move |conn| {
                let articles = repo::cards_by_ids(conn, &ids)?;
                let mut answers: HashMap<ArticleId, AppResult<Vec<Revision>>> = ids
                    .iter()
                    .map(|&id| {
                        let answer = match articles.iter().find(|a| a.id == id) {
                            Some(article) => policy::can_see_revisions(viewer, article, now())
                                .map(|_| Vec::new())
                                .map_err(AppError::from),
                            None => Err(AppError::NotFound("article")),
                        };
                        (id, answer)
                    })
                    .collect();
                let allowed: Vec<ArticleId> =
                    answers.iter().filter(|(_, a)| a.is_ok()).map(|(id, _)| *id).collect();
                for (article, revision) in repo::revisions_of_many(conn, &allowed)? {
                    if let Some(Ok(list)) = answers.get_mut(&article) {
                        list.push(revision);
                    }
                }
                Ok(answers)
            })
            .await
    }

    /// Earlier versions of an article's text, newest first: for its authors
    /// and editors.
    pub async fn article_revisions(
        &self,
        viewer: Viewer,
        key: impl Into<ArticleKey>,
    ) -> AppResult<Vec<Revision>> {
        policy::require(viewer, crate::domain::Role::Author)?;
        let key = key.into();
        self.db()
            .run(move |conn| {
                let article = find(conn, &key)?;
                policy::can_see_revisions(viewer, &article, now())?;
                repo::revisions_of(conn, article.id)
            })
            .await
    }
}

/// A page of a list whose filter is resolved: by relevance for a search,
/// else by time.
fn feed_page(conn: &mut DbConn, query: &ArticleQuery, filter: &Filter) -> AppResult<Page<Article>> {
    if let Some(search) = &query.search {
        let after = match &query.after {
            Some(ArticleCursor::Ranked(cursor)) => Some(*cursor),
            _ => None,
        };
        return search_page(conn, &search.words(), after, filter, query.limit);
    }
    let seek = match &query.after {
        Some(ArticleCursor::Created(c)) => Seek::Created(Some((to_db(c.at), c.id))),
        Some(ArticleCursor::Published(c)) => Seek::Published(Some((to_db(c.at), c.id))),
        None if query.status.is_some() => Seek::Created(None),
        _ => Seek::Published(None),
    };
    let articles = repo::cards(conn, filter, &seek, query.limit.probe())?;
    Ok(Page::from_probe(articles, query.limit, |a: &Article| match seek {
        Seek::Published(_) => feed_cursor(a),
        Seek::Created(_) => TimeCursor { at: a.created_at, id: a.id }.encode(CursorKind::Created),
    }))
}

/// What a page of a list shows: which articles it holds, and each article
/// on the page.
fn feed_shows(query: &ArticleQuery, filter: &Filter, page: &Page<Article>) -> Vec<Key> {
    let mut keys = feed_keys(query, filter);
    keys.extend(page.items.iter().flat_map(shown_by));
    keys
}

/// Which articles a list holds: its feed (by its narrowest filter: anything
/// entering a section's feed changes the feed of that section, whatever else
/// it is filtered by) and the text searched. A staff list is never kept.
fn feed_keys(query: &ArticleQuery, filter: &Filter) -> Vec<Key> {
    if !matches!(filter.scope, Scope::Public { .. }) {
        return vec![Key::Everything];
    }
    let mut keys = match (&filter.category_ids, filter.tag_id, filter.author_id) {
        (Some(ids), _, _) => feed_of(Some(ids)),
        (None, Some(tag), _) => vec![Key::Feed(Feed::Tag(tag))],
        (None, None, Some(author)) => vec![Key::Feed(Feed::Author(author))],
        (None, None, None) => feed_of(None),
    };
    if query.search.is_some() {
        keys.push(Key::Search);
    }
    keys
}

/// The public feed, or a staff list if the viewer may see one.
fn list_scope(viewer: Viewer, query: &ArticleQuery) -> AppResult<Scope> {
    Ok(match query.status {
        None => Scope::Public { now: to_db(now()) },
        Some(status) => Scope::Staff { status, author: policy::staff_list(viewer)? },
    })
}

/// Where the public feed resumes after `article`.
fn feed_cursor(article: &Article) -> String {
    TimeCursor { at: article.published_at.unwrap_or(article.created_at), id: article.id }
        .encode(CursorKind::Feed)
}

/// The article a key names, whoever may see it: the callers ask the policy.
pub(crate) fn find(conn: &mut DbConn, key: &ArticleKey) -> AppResult<Article> {
    repo::find(conn, key)?.ok_or(AppError::NotFound("article"))
}

/// Turns slugs into ids. `None` when a named section or tag does not exist:
/// the filter then matches nothing.
fn resolve_filter(conn: &mut DbConn, query: &ArticleQuery, scope: Scope) -> AppResult<Option<Filter>> {
    let category_ids = match &query.category {
        None => None,
        Some(slug) => {
            let all = categories::all(conn)?;
            let Some(root) = all.iter().find(|c| c.slug == slug.as_str()) else {
                return Ok(None);
            };
            Some(taxonomy::subtree(root.id, &all))
        }
    };
    let tag_id = match &query.tag {
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
        author_id: query.author,
        featured: query.featured,
        breaking: query.breaking.map(|yes| Breaking { yes, now: to_db(now()) }),
        published_from: query.published.from.map(to_db),
        published_to: query.published.to.map(to_db),
    }))
}

/// One page of search results, headline matches first, each with a snippet.
fn search_page(
    conn: &mut DbConn,
    words: &[String],
    after: Option<SearchCursor>,
    filter: &Filter,
    limit: Limit,
) -> AppResult<Page<Article>> {
    let hits = crate::db::search::page(conn, words, filter, after, limit.probe())?;
    let ids: Vec<ArticleId> = hits.iter().map(|(id, _)| *id).collect();
    let mut articles = repo::cards_by_ids(conn, &ids)?;
    // Back into result order.
    articles.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
    let page = Page::from_probe(articles, limit, |a: &Article| {
        hits.iter().find(|(id, _)| *id == a.id).map(|(_, cursor)| cursor.encode()).unwrap_or_default()
    });
    with_snippets(conn, page, words)
}

/// Each result's snippet: from its standfirst if the words are there, else
/// from its body (one statement for those), else its standfirst's opening.
fn with_snippets(conn: &mut DbConn, mut page: Page<Article>, words: &[String]) -> AppResult<Page<Article>> {
    let stemming = conn.stemming();
    let mut need_body = Vec::new();
    for article in &mut page.items {
        article.snippet = snippet::highlight(&article.summary, words, stemming);
        if article.snippet.is_none() {
            need_body.push(article.id);
        }
    }
    if need_body.is_empty() {
        return Ok(page);
    }
    let bodies: HashMap<ArticleId, ArticleBody> = repo::bodies_of(conn, &need_body)?.into_iter().collect();
    for article in page.items.iter_mut().filter(|a| a.snippet.is_none()) {
        let from_body = bodies
            .get(&article.id)
            .and_then(|b| snippet::highlight(&markdown::plain_text(&b.markdown), words, stemming));
        article.snippet = Some(from_body.unwrap_or_else(|| snippet::opening(&article.summary)));
    }
    Ok(page)
}
