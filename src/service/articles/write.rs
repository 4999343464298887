//! Writing articles: drafts, edits with optimistic concurrency and
//! revisions, deletion.

use super::images;
use super::read::find;
use super::{ArticlePatch, NewArticle};
use crate::db::DbConn;
use crate::db::models::{ArticleRow, RevisionRow};
use crate::db::repo::articles::{self as repo, ArticleChanges};
use crate::db::repo::{categories, old_slugs, tags, users};
use crate::domain::article::{Article, ArticleKey};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::field::Named;
use crate::domain::site::SeoFields;
use crate::domain::taxonomy::SectionKey;
use crate::domain::time::{now, to_db};
use crate::domain::timing::expired_by;
use crate::domain::{
    ArticleId, ArticleStatus, CategoryId, MediaId, RevisionId, Role, Slug, SlugChoice, TagId,
};
use crate::domain::{Principal, UserId, Viewer, markdown, policy};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::audit::{Done, record};
use crate::service::freshness::{Key, article_changed};
use crate::service::webhooks::outbox;

impl Services {
    /// Starts a draft. Authors and up.
    pub async fn create_article(&self, viewer: Viewer, new: NewArticle) -> AppResult<Article> {
        let me = policy::require(viewer, Role::Author)?;
        let authors = match new.authors {
            Some(authors) => {
                policy::can_credit(me, &authors.value, authors.field)?;
                authors
            }
            None => Named::new(vec![me.user_id], "authors"),
        };
        let id = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let category_id = resolve_category(conn, &new.category)?;
                    let tag_ids = resolve_tags(conn, &new.tags)?;
                    check_authors(conn, &authors)?;
                    let slug = free_slug(conn, new.slug)?;
                    let at = to_db(now());
                    let body = new.body.into_string();
                    let (body_html, inline) = images::render_body(conn, &body)?;
                    let cover = images::cover_columns(conn, new.cover_image.as_ref())?;
                    let seo = new.seo.apply(&SeoFields::default());
                    let row = ArticleRow {
                        id: ArticleId::generate(),
                        slug: slug.into_string(),
                        title: new.title.into_string(),
                        summary: new.summary.into_string(),
                        body_html,
                        reading_time_minutes: markdown::reading_time_minutes(&body),
                        body,
                        cover_image_url: cover.url,
                        cover_image_caption: cover.caption,
                        cover_media_id: cover.media_id,
                        cover_media_json: cover.media_json,
                        seo_title: seo.title,
                        seo_description: seo.description,
                        seo_image_url: seo.image_url,
                        canonical_url: seo.canonical_url,
                        category_id,
                        // Filled in from the links by `repo::insert`.
                        tags_json: "[]".to_owned(),
                        authors_json: "[]".to_owned(),
                        corrections_json: "[]".to_owned(),
                        status: ArticleStatus::Draft,
                        featured: new.featured,
                        published_at: None,
                        scheduled_at: None,
                        expires_at: new.expires_at.map(|e| to_db(e.at())),
                        breaking_until: new.breaking_until.map(|b| to_db(b.at())),
                        created_by: me.user_id,
                        created_at: at,
                        updated_by: me.user_id,
                        updated_at: at,
                        version: 1,
                        comment_count: 0,
                        comments_mode: new.comments_mode,
                    };
                    repo::insert(conn, &row, &tag_ids, &authors.value)?;
                    images::record_use(conn, row.id, row.cover_media_id, &inline)?;
                    // A draft: no reader has seen it.
                    conn.changes([Key::Article(row.id)]);
                    let done = Done::to(AuditAction::ArticleCreate, AuditTarget::Article, row.id);
                    record(conn, Some(me.user_id), done.versions(None, Some(row.version)))?;
                    Ok(row.id)
                })
            })
            .await?;
        self.get_article(viewer, id).await
    }

    /// Edits an article at `expected_version`. Editors edit anything; authors
    /// their own drafts. Text changes keep the previous text as a revision.
    pub async fn update_article(
        &self,
        viewer: Viewer,
        key: impl Into<ArticleKey>,
        expected_version: i64,
        patch: ArticlePatch,
    ) -> AppResult<Article> {
        self.edit_article(viewer, key.into(), expected_version, patch, AuditAction::ArticleUpdate).await
    }

    /// An edit, logged as `action` (an edit, or a revision restored).
    pub(super) async fn edit_article(
        &self,
        viewer: Viewer,
        key: ArticleKey,
        expected_version: i64,
        mut patch: ArticlePatch,
        action: AuditAction,
    ) -> AppResult<Article> {
        let me = policy::require(viewer, Role::Author)?;
        if let Some(authors) = &patch.authors {
            policy::can_credit(me, &authors.value, authors.field)?;
        }
        let site = self.shared_site();
        let (id, became_breaking) = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let article = find(conn, &key)?;
                    policy::can_edit(viewer, &article, now())?;
                    if article.version != expected_version {
                        return Err(stale(article.version));
                    }
                    if patch.is_empty() {
                        // Nothing to change: no new version, no revision.
                        conn.changes([]);
                        return Ok((article.id, false));
                    }
                    let (tags, authors) = (patch.tags.take(), patch.authors.take());
                    let images_changed = patch.cover_image.is_some() || patch.body.is_some();
                    let (changes, inline) = changes_of(conn, &article, me, patch)?;
                    // The conditional update goes first: it takes the row lock, so of
                    // two racing edits the loser learns here that it is stale.
                    if !repo::update_versioned(conn, article.id, expected_version, &changes)? {
                        return Err(stale(expected_version + 1));
                    }
                    let text_changed = changes.title.as_ref().is_some_and(|t| *t != article.title)
                        || changes.summary.as_ref().is_some_and(|s| *s != article.summary)
                        || changes
                            .body
                            .as_ref()
                            .is_some_and(|b| Some(b) != article.body.as_ref().map(|b| &b.markdown));
                    if text_changed {
                        repo::insert_revision(conn, &revision_of(&article))?;
                    }
                    // Once public, the old address keeps working.
                    if let Some(slug) = changes.slug.as_ref().filter(|s| **s != article.slug)
                        && (article.published_at.is_some() || article.status == ArticleStatus::Published)
                    {
                        old_slugs::retire_article_slug(conn, article.id, &article.slug, slug, to_db(now()))?;
                    }
                    if let Some(tags) = &tags {
                        let tag_ids = resolve_tags(conn, tags)?;
                        repo::replace_tags(conn, article.id, &tag_ids)?;
                    }
                    if let Some(authors) = &authors {
                        check_authors(conn, authors)?;
                        repo::replace_authors(conn, article.id, &authors.value)?;
                    }
                    if tags.is_some() || authors.is_some() {
                        repo::refresh_relations(conn, &[article.id])?;
                    }
                    let after = find(conn, &article.id.into())?;
                    check_expiry(&after)?;
                    if images_changed {
                        images::check_cover_alt_text(&after)?;
                        let inline = inline.unwrap_or_else(|| images::inline_of(&after));
                        images::record_use(
                            conn,
                            article.id,
                            after.cover_media.as_ref().map(|m| m.id),
                            &inline,
                        )?;
                    }
                    conn.changes(article_changed(Some(&article), Some(&after)));
                    outbox::article_event(conn, &site, Some(&article), Some(&after))?;
                    let done = Done::to(action, AuditTarget::Article, article.id);
                    record(
                        conn,
                        Some(me.user_id),
                        done.versions(Some(article.version), Some(after.version)),
                    )?;
                    let at = now();
                    Ok((article.id, !article.is_breaking(at) && after.is_breaking(at)))
                })
            })
            .await?;
        if became_breaking {
            self.announce_breaking(id).await;
        }
        self.get_article(viewer, id).await
    }

    /// Deletes an article and everything under it, keeping it all in the
    /// trash for the retention window. Editors and up.
    pub async fn delete_article(
        &self,
        viewer: Viewer,
        key: impl Into<ArticleKey>,
        expected_version: Option<i64>,
    ) -> AppResult<()> {
        let me = policy::can_delete_articles(viewer)?;
        let key = key.into();
        let site = self.shared_site();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    // Locked first, then read: nothing committed meanwhile escapes
                    // the snapshot, and the version checked is the one deleted.
                    let id = find(conn, &key)?.id;
                    repo::lock_for_delete(conn, id)?;
                    let article = find(conn, &id.into())?;
                    if let Some(expected) = expected_version
                        && expected != article.version
                    {
                        return Err(stale(article.version));
                    }
                    super::trash::keep(conn, &article, me.user_id)?;
                    repo::delete(conn, article.id)?;
                    conn.changes(article_changed(Some(&article), None));
                    outbox::article_event(conn, &site, Some(&article), None)?;
                    let done = Done::to(AuditAction::ArticleDelete, AuditTarget::Article, article.id);
                    record(conn, Some(me.user_id), done.versions(Some(article.version), None))?;
                    Ok(())
                })
            })
            .await
    }
}

/// The refusal of a write at a version that is no longer current.
pub(super) fn stale(current: i64) -> AppError {
    AppError::PreconditionFailed(format!("the article has changed; its current version is {current}"))
}

/// Refuses an edit that would leave a scheduled article due to go live at
/// or after its own expiry.
fn check_expiry(after: &Article) -> AppResult<()> {
    match after.scheduled_at {
        Some(live_at)
            if after.status == ArticleStatus::Scheduled && expired_by(after.expires_at, live_at) =>
        {
            Err(AppError::Conflict {
                message: "the article is scheduled to go live at or after its expiry; move one of them"
                    .into(),
                current_status: Some(after.status.as_str()),
            })
        }
        _ => Ok(()),
    }
}

/// The columns `patch` changes, resolved against the database, and the
/// library images a new body shows.
fn changes_of(
    conn: &mut DbConn,
    article: &Article,
    me: Principal,
    patch: ArticlePatch,
) -> AppResult<(ArticleChanges, Option<Vec<MediaId>>)> {
    let mut changes = ArticleChanges {
        updated_at: Some(to_db(now())),
        updated_by: Some(me.user_id),
        featured: patch.featured,
        comments_mode: patch.comments_mode,
        ..ArticleChanges::default()
    };
    if let Some(slug) = patch.slug {
        if slug_in_use(conn, slug.as_str(), Some(article.id))? {
            return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
        }
        changes.slug = Some(slug.into_string());
    }
    if let Some(category) = &patch.category {
        changes.category_id = Some(resolve_category(conn, category)?);
    }
    if let Some(cover) = patch.cover_image {
        let cover = images::cover_columns(conn, cover.as_ref())?;
        changes.cover_image_url = Some(cover.url);
        changes.cover_image_caption = Some(cover.caption);
        changes.cover_media_id = Some(cover.media_id);
        changes.cover_media_json = Some(cover.media_json);
    }
    let mut inline = None;
    if let Some(body) = &patch.body {
        let (html, shown) = images::render_body(conn, body.as_str())?;
        changes.body_html = Some(html);
        changes.reading_time_minutes = Some(markdown::reading_time_minutes(body.as_str()));
        inline = Some(shown);
    }
    changes.breaking_until = patch.breaking_until.map(|b| b.map(|b| to_db(b.at())));
    changes.expires_at = patch.expires_at.map(|e| e.map(|e| to_db(e.at())));
    changes.seo_title = patch.seo.title;
    changes.seo_description = patch.seo.description;
    changes.seo_image_url = patch.seo.image_url;
    changes.canonical_url = patch.seo.canonical_url;
    changes.title = patch.title.map(String::from);
    changes.summary = patch.summary.map(String::from);
    changes.body = patch.body.map(String::from);
    Ok((changes, inline))
}

/// The text being replaced, credited to whoever wrote it and when.
fn revision_of(article: &Article) -> RevisionRow {
    RevisionRow {
        id: RevisionId::generate(),
        article_id: article.id,
        version: article.version,
        title: article.title.clone(),
        summary: article.summary.clone(),
        body: article.body.as_ref().map(|b| b.markdown.clone()).unwrap_or_default(),
        editor_id: article.updated_by,
        created_at: to_db(article.updated_at),
    }
}

fn resolve_category(conn: &mut DbConn, key: &Named<SectionKey>) -> AppResult<CategoryId> {
    let all = categories::all(conn)?;
    key.value.find(&all).map(|c| c.id).ok_or_else(|| key.refuse("no section has this slug or id").into())
}

fn resolve_tags(conn: &mut DbConn, slugs: &Named<Vec<Slug>>) -> AppResult<Vec<TagId>> {
    let wanted: Vec<String> = slugs.value.iter().map(|s| s.as_str().to_owned()).collect();
    let found = tags::by_slugs(conn, &wanted)?;
    let missing: Vec<&str> =
        wanted.iter().filter(|w| !found.iter().any(|t| &t.slug == *w)).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(slugs.refuse(format!("unknown tags: {}", missing.join(", "))).into());
    }
    Ok(wanted.iter().filter_map(|w| found.iter().find(|t| &t.slug == w).map(|t| t.id)).collect())
}

fn check_authors(conn: &mut DbConn, ids: &Named<Vec<UserId>>) -> AppResult<()> {
    let found = users::by_ids(conn, &ids.value)?;
    let ok = ids.value.iter().all(|id| found.iter().any(|u| u.id == *id && !u.disabled && u.role.is_staff()));
    if ok { Ok(()) } else { Err(ids.refuse("every author must be an active author, editor or admin").into()) }
}

/// Whether an article other than `except` has `slug`, or had it.
fn slug_in_use(conn: &mut DbConn, slug: &str, except: Option<ArticleId>) -> AppResult<bool> {
    Ok(repo::slug_taken(conn, slug, except)? || old_slugs::article_slug_retired(conn, slug, except)?)
}

/// The slug asked for, if free; or the derived one, or its first free
/// `-2`, `-3`… variant.
fn free_slug(conn: &mut DbConn, choice: SlugChoice) -> AppResult<Slug> {
    let base = match choice {
        SlugChoice::Given(slug) => {
            if slug_in_use(conn, slug.as_str(), None)? {
                return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
            }
            return Ok(slug);
        }
        SlugChoice::Derived(base) => base,
    };
    if !slug_in_use(conn, base.as_str(), None)? {
        return Ok(base);
    }
    for n in 2..=100 {
        let candidate = base.with_suffix(n);
        if !slug_in_use(conn, candidate.as_str(), None)? {
            return Ok(candidate);
        }
    }
    Err(AppError::conflict("too many articles share this title; choose a slug"))
}
