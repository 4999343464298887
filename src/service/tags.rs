//! Tags: read by everyone, managed by editors.

use super::Services;
use crate::db::models::TagRow;
use crate::db::repo::articles as article_repo;
use crate::db::repo::tags::{self, TagChanges};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::page::{CursorKind, KeyCursor, Limit, Page};
use crate::domain::taxonomy::Tag;
use crate::domain::text::Name;
use crate::domain::time::{now, to_db};
use crate::domain::{Slug, SlugChoice, TagId, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::audit::{Done, record};

/// A new tag.
#[derive(Debug, Clone)]
pub struct NewTag {
    pub slug: SlugChoice,
    pub name: Name,
}

/// Changes to a tag; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TagPatch {
    pub slug: Option<Slug>,
    pub name: Option<Name>,
}

impl TagPatch {
    /// Asks for no change at all (`{}`): answered with the tag as it is.
    pub fn is_empty(&self) -> bool {
        self.slug.is_none() && self.name.is_none()
    }
}

/// Changes to tags are rare and change everything (their writes say no
/// keys), so reading tags adds nothing to what a response depends on.
impl Services {
    /// Tags in slug order, a page at a time.
    pub async fn list_tags(&self, limit: Limit, after: Option<KeyCursor<String>>) -> AppResult<Page<Tag>> {
        let rows = self
            .db()
            .read(move |conn, _| tags::page(conn, after.as_ref().map(|c| c.0.as_str()), limit.probe()))
            .await?;
        let tags: Vec<Tag> = rows.into_iter().map(Tag::from).collect();
        Ok(Page::from_probe(tags, limit, |t: &Tag| KeyCursor(t.slug.clone()).encode(CursorKind::Tags)))
    }

    /// Every tag, in slug order (GraphQL's `tags`; REST pages them).
    pub async fn all_tags(&self) -> AppResult<Vec<Tag>> {
        Ok(self.db().read(|conn, _| tags::all(conn)).await?.into_iter().map(Tag::from).collect())
    }

    /// One tag, by slug or id.
    pub async fn get_tag(&self, key: &str) -> AppResult<Tag> {
        let key = tag_key(key)?;
        let row = self.db().read(move |conn, _| find(conn, &key)).await?;
        row.map(Tag::from).ok_or(AppError::NotFound("tag"))
    }

    /// Creates a tag. Editors and up.
    pub async fn create_tag(&self, viewer: Viewer, new: NewTag) -> AppResult<Tag> {
        let me = policy::can_manage_taxonomy(viewer)?;
        let slug = new.slug.into_slug();
        let slug_text = slug.as_str().to_owned();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    if tags::by_slug(conn, slug.as_str())?.is_some() {
                        return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                    }
                    let id = TagId::generate();
                    tags::insert(
                        conn,
                        &TagRow {
                            id,
                            slug: slug.into_string(),
                            name: new.name.into_string(),
                            created_at: to_db(now()),
                        },
                    )?;
                    record(conn, Some(me.user_id), Done::to(AuditAction::TagCreate, AuditTarget::Tag, id))
                })
            })
            .await?;
        self.get_tag(&slug_text).await
    }

    /// Renames a tag or changes its slug. Editors and up.
    pub async fn update_tag(&self, viewer: Viewer, key: &str, patch: TagPatch) -> AppResult<Tag> {
        let me = policy::can_manage_taxonomy(viewer)?;
        let key = tag_key(key)?;
        let slug_text = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let this = find(conn, &key)?.ok_or(AppError::NotFound("tag"))?;
                    if patch.is_empty() {
                        conn.changes([]);
                        return Ok(this.slug);
                    }
                    let mut changes = TagChanges { name: patch.name.map(String::from), slug: None };
                    if let Some(slug) = patch.slug
                        && slug.as_str() != this.slug
                    {
                        if tags::by_slug(conn, slug.as_str())?.is_some() {
                            return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                        }
                        changes.slug = Some(slug.into_string());
                    }
                    if changes.name.is_none() && changes.slug.is_none() {
                        // The slug it already has, and nothing else.
                        conn.changes([]);
                        return Ok(this.slug);
                    }
                    tags::update(conn, this.id, &changes)?;
                    // Articles show their tags' names and slugs: rewrite theirs.
                    let tagged = article_repo::ids_with_tag(conn, this.id)?;
                    article_repo::refresh_relations(conn, &tagged)?;
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::TagUpdate, AuditTarget::Tag, this.id),
                    )?;
                    Ok(changes.slug.unwrap_or(this.slug))
                })
            })
            .await?;
        self.get_tag(&slug_text).await
    }

    /// Deletes a tag; the articles that carried it simply lose it. Editors and up.
    pub async fn delete_tag(&self, viewer: Viewer, key: &str) -> AppResult<()> {
        let me = policy::can_manage_taxonomy(viewer)?;
        let key = tag_key(key)?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let this = find(conn, &key)?.ok_or(AppError::NotFound("tag"))?;
                    let tagged = article_repo::ids_with_tag(conn, this.id)?;
                    tags::delete(conn, this.id)?;
                    article_repo::refresh_relations(conn, &tagged)?;
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::TagDelete, AuditTarget::Tag, this.id),
                    )
                })
            })
            .await
    }
}

/// How callers name a tag: by slug or by id.
#[derive(Clone)]
enum TagKey {
    Id(TagId),
    Slug(Slug),
}

/// The key a path or argument names (any case); nothing else names a tag.
fn tag_key(raw: &str) -> AppResult<TagKey> {
    let raw = raw.trim().to_lowercase();
    match raw.parse::<TagId>() {
        Ok(id) => Ok(TagKey::Id(id)),
        Err(_) => Slug::parse(&raw, "slug").map(TagKey::Slug).map_err(|_| AppError::NotFound("tag")),
    }
}

fn find(conn: &mut crate::db::DbConn, key: &TagKey) -> AppResult<Option<TagRow>> {
    match key {
        TagKey::Id(id) => tags::by_id(conn, *id),
        TagKey::Slug(slug) => tags::by_slug(conn, slug.as_str()),
    }
}
