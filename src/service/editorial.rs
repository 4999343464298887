//! Writing and publishing: drafts, edits with optimistic concurrency,
//! revisions, the lifecycle, and the scheduler's due publications.

use chrono::{DateTime, Duration, Utc};

use super::Services;
use super::articles::may_read;
use super::assemble;
use crate::db::DbConn;
use crate::db::models::{ArticleRow, RevisionRow};
use crate::db::repo::articles::{self as repo, ArticleChanges};
use crate::db::repo::{categories, tags, users};
use crate::domain::article::{Article, CoverImage, Revision, Transition};
use crate::domain::text::{ARTICLE_BODY, SUMMARY, TITLE};
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, ArticleStatus, Principal, Role, Slug, UserId, Viewer, markdown};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};

const MAX_TAGS: usize = 20;
const MAX_AUTHORS: usize = 10;
/// How far ahead an article may be scheduled.
const MAX_SCHEDULE_DAYS: i64 = 366;

#[derive(Debug, Clone)]
pub struct CoverImageInput {
    pub url: String,
    pub caption: Option<String>,
}

/// A new article, as received.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    pub summary: Option<String>,
    pub body: Option<String>,
    /// Derived from the title when absent.
    pub slug: Option<String>,
    /// A section's slug or id.
    pub category: String,
    /// Tag slugs.
    pub tags: Vec<String>,
    pub cover_image: Option<CoverImageInput>,
    pub featured: bool,
    /// User ids; defaults to the caller.
    pub authors: Option<Vec<String>>,
}

/// Changes to an article; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ArticlePatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub slug: Option<String>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    /// `Some(None)` removes the cover image.
    pub cover_image: Option<Option<CoverImageInput>>,
    pub featured: Option<bool>,
    pub authors: Option<Vec<String>>,
}

impl Services {
    /// Starts a draft. Authors and up.
    pub async fn create_article(&self, viewer: Viewer, input: NewArticle) -> AppResult<Article> {
        let me = require(viewer, Role::Author)?;
        let mut errors = FieldErrors::default();
        let title = errors.check(TITLE.check(&input.title, "title"));
        let summary = errors.check(SUMMARY.check(input.summary.as_deref().unwrap_or(""), "summary"));
        let body = errors.check(ARTICLE_BODY.check(input.body.as_deref().unwrap_or(""), "body"));
        let slug = match &input.slug {
            Some(raw) => errors.check(Slug::parse(raw, "slug")).map(Some),
            None => Some(None),
        };
        let cover = match &input.cover_image {
            Some(c) => errors.check(CoverImage::parse(&c.url, c.caption.as_deref())),
            None => None,
        };
        let tag_slugs = errors.check(parse_tags(&input.tags));
        let author_ids = errors.check(parse_authors(input.authors.as_deref(), me));
        errors.finish()?;
        let (Some(title), Some(summary), Some(body), Some(slug), Some(tag_slugs), Some(author_ids)) =
            (title, summary, body, slug, tag_slugs, author_ids)
        else {
            return Err(AppError::internal(anyhow::anyhow!("validated input missing")));
        };
        let category = input.category;
        let featured = input.featured;
        let key = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let category_id = resolve_category(conn, &category)?;
                    let tag_ids = resolve_tags(conn, &tag_slugs)?;
                    check_authors(conn, &author_ids)?;
                    let slug = match slug {
                        Some(slug) => {
                            if repo::slug_taken(conn, slug.as_str(), None)? {
                                return Err(AppError::conflict(format!(
                                    "the slug `{slug}` is already in use"
                                )));
                            }
                            slug
                        }
                        None => free_slug(conn, &title)?,
                    };
                    let at = to_db(now());
                    let me = me.user_id.to_string();
                    let row = ArticleRow {
                        id: ArticleId::generate().to_string(),
                        slug: slug.into_string(),
                        title,
                        summary,
                        body_html: markdown::render(&body),
                        reading_time_minutes: markdown::reading_time_minutes(&body),
                        body,
                        cover_image_url: cover.as_ref().map(|c| c.url.clone()),
                        cover_image_caption: cover.and_then(|c| c.caption),
                        category_id,
                        // Filled in from the links by `repo::insert`.
                        tags_json: "[]".to_owned(),
                        authors_json: "[]".to_owned(),
                        status: ArticleStatus::Draft.as_str().to_owned(),
                        featured,
                        published_at: None,
                        scheduled_at: None,
                        created_by: me.clone(),
                        created_at: at,
                        updated_by: me,
                        updated_at: at,
                        version: 1,
                        comment_count: 0,
                    };
                    repo::insert(conn, &row, &tag_ids, &author_ids)?;
                    Ok(row.id)
                })
            })
            .await?;
        self.get_article(viewer, key).await
    }

    /// Edits an article at `expected_version`. Editors edit anything; authors
    /// their own drafts. Text changes keep the previous text as a revision.
    pub async fn update_article(
        &self,
        viewer: Viewer,
        id_or_slug: String,
        expected_version: i64,
        patch: ArticlePatch,
    ) -> AppResult<Article> {
        let me = require(viewer, Role::Author)?;
        let mut errors = FieldErrors::default();
        let title = patch.title.as_deref().map(|t| errors.check(TITLE.check(t, "title")));
        let summary = patch.summary.as_deref().map(|t| errors.check(SUMMARY.check(t, "summary")));
        let body = patch.body.as_deref().map(|t| errors.check(ARTICLE_BODY.check(t, "body")));
        let slug = patch.slug.as_deref().map(|s| errors.check(Slug::parse(s, "slug")));
        let cover = patch.cover_image.as_ref().map(|cover| {
            cover.as_ref().and_then(|c| errors.check(CoverImage::parse(&c.url, c.caption.as_deref())))
        });
        let tag_slugs = patch.tags.as_ref().map(|t| errors.check(parse_tags(t)));
        let author_ids = patch.authors.as_deref().map(|a| errors.check(parse_authors(Some(a), me)));
        errors.finish()?;
        let (title, summary, body, slug) =
            (title.flatten(), summary.flatten(), body.flatten(), slug.flatten());
        let (tag_slugs, author_ids) = (tag_slugs.flatten(), author_ids.flatten());
        let key = id_or_slug.trim().to_lowercase();
        let category = patch.category;
        let featured = patch.featured;
        let id = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = editable(conn, viewer, me, &key)?;
                    if row.version != expected_version {
                        return Err(stale(row.version));
                    }
                    let at = to_db(now());
                    let mut changes = ArticleChanges {
                        updated_at: Some(at),
                        updated_by: Some(me.user_id.to_string()),
                        featured,
                        ..ArticleChanges::default()
                    };
                    if let Some(slug) = slug {
                        if repo::slug_taken(conn, slug.as_str(), Some(&row.id))? {
                            return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                        }
                        changes.slug = Some(slug.into_string());
                    }
                    if let Some(category) = &category {
                        changes.category_id = Some(resolve_category(conn, category)?);
                    }
                    if let Some(cover) = cover {
                        changes.cover_image_url = Some(cover.as_ref().map(|c| c.url.clone()));
                        changes.cover_image_caption = Some(cover.and_then(|c| c.caption));
                    }
                    let text_changed = title.as_ref().is_some_and(|t| *t != row.title)
                        || summary.as_ref().is_some_and(|s| *s != row.summary)
                        || body.as_ref().is_some_and(|b| *b != row.body);
                    if let Some(body) = &body {
                        changes.body_html = Some(markdown::render(body));
                        changes.reading_time_minutes = Some(markdown::reading_time_minutes(body));
                    }
                    changes.title = title;
                    changes.summary = summary;
                    changes.body = body;
                    // The conditional update goes first: it takes the row lock, so of
                    // two racing edits the loser learns here that it is stale.
                    if !repo::update_versioned(conn, &row.id, expected_version, &changes)? {
                        return Err(stale(expected_version + 1));
                    }
                    if text_changed {
                        repo::insert_revision(conn, &revision_of(&row))?;
                    }
                    if let Some(tag_slugs) = &tag_slugs {
                        let tag_ids = resolve_tags(conn, tag_slugs)?;
                        repo::replace_tags(conn, &row.id, &tag_ids)?;
                    }
                    if let Some(author_ids) = &author_ids {
                        check_authors(conn, author_ids)?;
                        repo::replace_authors(conn, &row.id, author_ids)?;
                    }
                    if tag_slugs.is_some() || author_ids.is_some() {
                        repo::refresh_relations(conn, std::slice::from_ref(&row.id))?;
                    }
                    Ok(row.id)
                })
            })
            .await?;
        self.get_article(viewer, id).await
    }

    /// Deletes an article and everything under it. Editors and up.
    pub async fn delete_article(
        &self,
        viewer: Viewer,
        id_or_slug: String,
        expected_version: Option<i64>,
    ) -> AppResult<()> {
        require(viewer, Role::Editor)?;
        let key = id_or_slug.trim().to_lowercase();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let (row, _) = repo::find(conn, &key)?.ok_or(AppError::NotFound("article"))?;
                    if let Some(expected) = expected_version
                        && expected != row.version
                    {
                        return Err(stale(row.version));
                    }
                    repo::delete(conn, &row.id)?;
                    Ok(())
                })
            })
            .await
    }

    /// Moves an article through its lifecycle. Authors submit their drafts;
    /// every other move is an editor's. `at` is the time of a `Schedule`.
    pub async fn transition_article(
        &self,
        viewer: Viewer,
        id_or_slug: String,
        transition: Transition,
        at: Option<DateTime<Utc>>,
        expected_version: Option<i64>,
    ) -> AppResult<Article> {
        let me = require(viewer, if transition.needs_editor() { Role::Editor } else { Role::Author })?;
        let when = match (transition, at) {
            (Transition::Schedule, Some(at)) => {
                let now = now();
                if at <= now {
                    return Err(AppError::invalid("at", "must be in the future"));
                }
                if at > now + Duration::days(MAX_SCHEDULE_DAYS) {
                    return Err(AppError::invalid("at", format!("must be within {MAX_SCHEDULE_DAYS} days")));
                }
                Some(at)
            }
            (Transition::Schedule, None) => return Err(AppError::invalid("at", "is required to schedule")),
            (_, _) => None,
        };
        let key = id_or_slug.trim().to_lowercase();
        let id = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let (row, _) = repo::find(conn, &key)?.ok_or(AppError::NotFound("article"))?;
                    if !may_read(viewer, &row) {
                        return Err(AppError::NotFound("article"));
                    }
                    if !me.role.is_editor() && !is_author(me, &row) {
                        return Err(AppError::Forbidden(
                            "only the article's authors or an editor may do that".into(),
                        ));
                    }
                    if let Some(expected) = expected_version
                        && expected != row.version
                    {
                        return Err(stale(row.version));
                    }
                    let from: ArticleStatus =
                        row.status.parse().map_err(|()| AppError::internal(anyhow::anyhow!("bad status")))?;
                    let Some(to) = transition.apply(from) else {
                        return Err(AppError::Conflict {
                            message: format!("cannot {} an article that is {from}", transition.as_str()),
                            current_status: Some(from.as_str().to_owned()),
                        });
                    };
                    let at = to_db(now());
                    let mut changes = ArticleChanges {
                        status: Some(to.as_str().to_owned()),
                        updated_at: Some(at),
                        updated_by: Some(me.user_id.to_string()),
                        ..ArticleChanges::default()
                    };
                    match transition {
                        Transition::Publish => {
                            changes.published_at = Some(Some(at));
                            changes.scheduled_at = Some(None);
                        }
                        Transition::Schedule => {
                            changes.scheduled_at = Some(when.map(to_db));
                            changes.published_at = Some(None);
                        }
                        Transition::Unpublish => {
                            changes.published_at = Some(None);
                            changes.scheduled_at = Some(None);
                        }
                        Transition::Submit | Transition::Archive => {}
                    }
                    if !repo::update_versioned(conn, &row.id, row.version, &changes)? {
                        return Err(AppError::conflict("the article changed meanwhile; reload and retry"));
                    }
                    Ok(row.id)
                })
            })
            .await?;
        let article = self.get_article(viewer, id).await?;
        if transition == Transition::Publish {
            self.announce_published(article.id).await;
        }
        Ok(article)
    }

    /// Earlier versions of an article's text, newest first: for its authors
    /// and editors.
    pub async fn article_revisions(&self, viewer: Viewer, id_or_slug: String) -> AppResult<Vec<Revision>> {
        let me = require(viewer, Role::Author)?;
        let key = id_or_slug.trim().to_lowercase();
        let rows = self
            .db()
            .run(move |conn| {
                let (row, _) = repo::find(conn, &key)?.ok_or(AppError::NotFound("article"))?;
                if !may_read(viewer, &row) {
                    return Err(AppError::NotFound("article"));
                }
                if !me.role.is_editor() && !is_author(me, &row) {
                    return Err(AppError::Forbidden(
                        "only the article's authors and editors see its revisions".into(),
                    ));
                }
                repo::revisions_of(conn, &row.id)
            })
            .await?;
        rows.into_iter().map(|(row, editor)| assemble::revision(row, editor)).collect()
    }

    /// Publishes every scheduled article whose time has come, at that time.
    /// Safe to run on several instances at once: each move is conditional.
    pub async fn publish_due(&self) -> AppResult<Vec<ArticleId>> {
        self.db()
            .run(|conn| {
                let mut published = Vec::new();
                for (id, version) in repo::due(conn, to_db(now()))? {
                    let done = conn.transaction(|conn| {
                        let Some((row, _)) = repo::find(conn, &id)? else { return Ok(false) };
                        if row.status != ArticleStatus::Scheduled.as_str() || row.version != version {
                            return Ok(false);
                        }
                        let changes = ArticleChanges {
                            status: Some(ArticleStatus::Published.as_str().to_owned()),
                            published_at: Some(row.scheduled_at),
                            scheduled_at: Some(None),
                            updated_at: Some(to_db(now())),
                            ..ArticleChanges::default()
                        };
                        repo::update_versioned(conn, &id, version, &changes)
                    })?;
                    if done {
                        published.push(ArticleId::from_db(&id)?);
                    }
                }
                Ok(published)
            })
            .await
    }
}

/// The caller, if signed in with at least `role`.
pub(super) fn require(viewer: Viewer, role: Role) -> AppResult<Principal> {
    match viewer.principal() {
        None => Err(AppError::Unauthenticated("sign in first".into())),
        Some(p) if p.role >= role => Ok(p),
        Some(_) => Err(AppError::Forbidden(format!("this needs the {role} role or higher"))),
    }
}

fn stale(current: i64) -> AppError {
    AppError::PreconditionFailed(format!("the article has changed; its current version is {current}"))
}

fn is_author(me: Principal, row: &ArticleRow) -> bool {
    let me = me.user_id.to_string();
    row.created_by == me || row.author_ids().contains(&me)
}

/// The article, if `me` may edit it: editors anything, authors their own drafts.
fn editable(conn: &mut DbConn, viewer: Viewer, me: Principal, key: &str) -> AppResult<ArticleRow> {
    let (row, _) = repo::find(conn, key)?.ok_or(AppError::NotFound("article"))?;
    if !may_read(viewer, &row) {
        return Err(AppError::NotFound("article"));
    }
    if me.role.is_editor() {
        return Ok(row);
    }
    if !is_author(me, &row) {
        return Err(AppError::Forbidden("only the article's authors or an editor may edit it".into()));
    }
    if row.status != ArticleStatus::Draft.as_str() {
        return Err(AppError::Forbidden(format!("authors edit drafts only; this article is {}", row.status)));
    }
    Ok(row)
}

/// The text being replaced, credited to whoever wrote it and when.
fn revision_of(row: &ArticleRow) -> RevisionRow {
    RevisionRow {
        id: uuid::Uuid::now_v7().to_string(),
        article_id: row.id.clone(),
        version: row.version,
        title: row.title.clone(),
        summary: row.summary.clone(),
        body: row.body.clone(),
        editor_id: row.updated_by.clone(),
        created_at: row.updated_at,
    }
}

fn parse_tags(raw: &[String]) -> Result<Vec<Slug>, FieldError> {
    let mut slugs: Vec<Slug> = Vec::new();
    for tag in raw {
        let slug = Slug::parse(tag, "tags")?;
        if !slugs.contains(&slug) {
            slugs.push(slug);
        }
    }
    if slugs.len() > MAX_TAGS {
        return Err(FieldError::new("tags", format!("at most {MAX_TAGS} tags")));
    }
    Ok(slugs)
}

/// Byline user ids; the caller by default. Authors must credit themselves.
fn parse_authors(raw: Option<&[String]>, me: Principal) -> Result<Vec<String>, FieldError> {
    let Some(raw) = raw else {
        return Ok(vec![me.user_id.to_string()]);
    };
    let mut ids: Vec<String> = Vec::new();
    for id in raw {
        let id: UserId = id.trim().parse().map_err(|_| FieldError::new("authors", "must be user ids"))?;
        let id = id.to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() || ids.len() > MAX_AUTHORS {
        return Err(FieldError::new("authors", format!("must name 1-{MAX_AUTHORS} authors")));
    }
    if !me.role.is_editor() && !ids.contains(&me.user_id.to_string()) {
        return Err(FieldError::new("authors", "must include yourself"));
    }
    Ok(ids)
}

fn resolve_category(conn: &mut DbConn, key: &str) -> AppResult<String> {
    let key = key.trim().to_lowercase();
    categories::all(conn)?
        .into_iter()
        .find(|c| c.slug == key || c.id == key)
        .map(|c| c.id)
        .ok_or_else(|| AppError::invalid("category", "no section has this slug or id"))
}

fn resolve_tags(conn: &mut DbConn, slugs: &[Slug]) -> AppResult<Vec<String>> {
    let wanted: Vec<String> = slugs.iter().map(|s| s.as_str().to_owned()).collect();
    let found = tags::by_slugs(conn, &wanted)?;
    let missing: Vec<&str> =
        wanted.iter().filter(|w| !found.iter().any(|t| &t.slug == *w)).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(AppError::invalid("tags", format!("unknown tags: {}", missing.join(", "))));
    }
    Ok(wanted.iter().filter_map(|w| found.iter().find(|t| &t.slug == w).map(|t| t.id.clone())).collect())
}

fn check_authors(conn: &mut DbConn, ids: &[String]) -> AppResult<()> {
    let found = users::by_ids(conn, ids)?;
    let ok = ids.iter().all(|id| {
        found.iter().any(|u| &u.id == id && !u.disabled && u.role.parse::<Role>().is_ok_and(Role::is_staff))
    });
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid("authors", "every author must be an active author, editor or admin"))
    }
}

/// The title's slug, or the first free `-2`, `-3`… variant of it.
fn free_slug(conn: &mut DbConn, title: &str) -> AppResult<Slug> {
    let base =
        Slug::derive(title).ok_or_else(|| AppError::invalid("title", "must contain letters or digits"))?;
    if !repo::slug_taken(conn, base.as_str(), None)? {
        return Ok(base);
    }
    for n in 2..=100 {
        let candidate = base.with_suffix(n);
        if !repo::slug_taken(conn, candidate.as_str(), None)? {
            return Ok(candidate);
        }
    }
    Err(AppError::conflict("too many articles share this title; choose a slug"))
}
