//! Collections: kept by editors, read by everyone. Readers see only the
//! published articles of a collection, in its order; editors see every one,
//! whatever its status, so that they can queue a story before it is live.

use std::sync::Arc;

use super::Services;
use super::events::Event;
use crate::db::DbConn;
use crate::db::freshness::Key;
use crate::db::repo::articles as article_repo;
use crate::db::repo::collections::{self as repo, CollectionChanges, CollectionRow};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::collection::{Collection, CollectionInfo, ItemLimit};
use crate::domain::field::Named;
use crate::domain::text::{Description, Name};
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, ArticleStatus, CollectionId, Slug, SlugChoice, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::audit::{Done, record};
use crate::service::freshness::shown_by;

/// A new collection.
#[derive(Debug, Clone)]
pub struct NewCollection {
    pub slug: SlugChoice,
    pub name: Name,
    pub description: Description,
    pub max_items: ItemLimit,
}

/// Changes to a collection's own fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CollectionPatch {
    pub slug: Option<Slug>,
    pub name: Option<Name>,
    pub description: Option<Description>,
    pub max_items: Option<Named<ItemLimit>>,
}

impl Services {
    /// Every collection with its articles, in slug order.
    pub async fn list_collections(&self, viewer: Viewer) -> AppResult<Vec<Collection>> {
        let curator = policy::can_curate(viewer).is_ok();
        self.db()
            .read(move |conn, shown| {
                let rows = repo::all(conn)?;
                let items = repo::all_items(conn)?;
                let ids: Vec<ArticleId> = items.iter().map(|(_, article)| *article).collect();
                shown.push(Key::Collections);
                shown.extend(ids.iter().map(|&id| Key::Article(id)));
                let cards = article_repo::cards_by_ids(conn, &ids)?;
                // A card shows its section too (its name, its address).
                shown.extend(cards.iter().flat_map(shown_by));
                Ok(rows
                    .into_iter()
                    .map(|row| {
                        let order = items.iter().filter(|(c, _)| *c == row.id).map(|(_, a)| *a).collect();
                        assemble(row, order, &cards, curator)
                    })
                    .collect())
            })
            .await
    }

    /// One collection with its articles.
    pub async fn get_collection(&self, viewer: Viewer, slug: &str) -> AppResult<Collection> {
        let slug = slug.trim().to_lowercase();
        let curator = policy::can_curate(viewer).is_ok();
        self.db()
            .read(move |conn, shown| {
                shown.push(Key::Collections);
                let row = find(conn, &slug)?;
                with_articles(conn, row, curator, |keys| shown.extend(keys))
            })
            .await
    }

    /// Starts a collection. Editors and up.
    pub async fn create_collection(&self, viewer: Viewer, new: NewCollection) -> AppResult<Collection> {
        let me = policy::can_curate(viewer)?;
        let row = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let slug = match new.slug {
                        SlugChoice::Given(slug) | SlugChoice::Derived(slug) => slug,
                    };
                    if repo::by_slug(conn, slug.as_str())?.is_some() {
                        return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                    }
                    let at = to_db(now());
                    let row = CollectionRow {
                        id: CollectionId::generate(),
                        slug: slug.into_string(),
                        name: new.name.into_string(),
                        description: new.description.into_string(),
                        max_items: new.max_items.get(),
                        version: 1,
                        created_at: at,
                        updated_by: me.user_id,
                        updated_at: at,
                    };
                    conn.changes([Key::Collections]);
                    repo::insert(conn, &row)?;
                    let done = Done::to(AuditAction::CollectionCreate, AuditTarget::Collection, row.id);
                    record(conn, Some(me.user_id), done.versions(None, Some(1)))?;
                    Ok(row)
                })
            })
            .await?;
        self.announce_collection(row.id).await;
        Ok(Collection { info: row.into(), articles: Vec::new() })
    }

    /// Changes a collection's own fields, at `expected_version` when given.
    /// Editors and up.
    pub async fn update_collection(
        &self,
        viewer: Viewer,
        slug: &str,
        expected_version: Option<i64>,
        patch: CollectionPatch,
    ) -> AppResult<Collection> {
        let me = policy::can_curate(viewer)?;
        let slug = slug.trim().to_lowercase();
        let id = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = find(conn, &slug)?;
                    let version = expected_version.unwrap_or(row.version);
                    if version != row.version {
                        return Err(stale(row.version));
                    }
                    if let Some(new_slug) = patch.slug.as_ref().filter(|s| s.as_str() != row.slug)
                        && repo::by_slug(conn, new_slug.as_str())?.is_some()
                    {
                        return Err(AppError::conflict(format!("the slug `{new_slug}` is already in use")));
                    }
                    if let Some(limit) = &patch.max_items {
                        let held = repo::items(conn, row.id)?.len();
                        if held > limit.value.get() as usize {
                            return Err(limit
                                .refuse(format!("the collection holds {held} articles; remove some first"))
                                .into());
                        }
                    }
                    let changes = CollectionChanges {
                        slug: patch.slug.map(Slug::into_string),
                        name: patch.name.map(Name::into_string),
                        description: patch.description.map(Description::into_string),
                        max_items: patch.max_items.map(|m| m.value.get()),
                        updated_by: Some(me.user_id),
                        updated_at: Some(to_db(now())),
                    };
                    conn.changes([Key::Collections]);
                    if !repo::update_versioned(conn, row.id, version, &changes)? {
                        return Err(stale(version + 1));
                    }
                    let done = Done::to(AuditAction::CollectionUpdate, AuditTarget::Collection, row.id);
                    record(conn, Some(me.user_id), done.versions(Some(version), Some(version + 1)))?;
                    Ok(row.id)
                })
            })
            .await?;
        self.announce_collection(id).await;
        self.collection_by_id(viewer, id).await
    }

    /// Replaces a collection's articles with `ids`, in that order, at
    /// `expected_version`. Any article may be listed, whatever its status;
    /// readers see those published. Editors and up.
    pub async fn set_collection_items(
        &self,
        viewer: Viewer,
        slug: &str,
        expected_version: i64,
        ids: Named<Vec<ArticleId>>,
    ) -> AppResult<Collection> {
        let me = policy::can_curate(viewer)?;
        let slug = slug.trim().to_lowercase();
        let id = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = find(conn, &slug)?;
                    if expected_version != row.version {
                        return Err(stale(row.version));
                    }
                    if ids.value.len() > row.max_items as usize {
                        return Err(ids
                            .refuse(format!("this collection holds at most {} articles", row.max_items))
                            .into());
                    }
                    let found = repo::existing_articles(conn, &ids.value)?;
                    let missing: Vec<String> =
                        ids.value.iter().filter(|id| !found.contains(id)).map(ToString::to_string).collect();
                    if !missing.is_empty() {
                        return Err(ids.refuse(format!("no such articles: {}", missing.join(", "))).into());
                    }
                    let changes = CollectionChanges {
                        updated_by: Some(me.user_id),
                        updated_at: Some(to_db(now())),
                        ..CollectionChanges::default()
                    };
                    conn.changes([Key::Collections]);
                    // The conditional update takes the row lock first: of two
                    // racing writers, the second learns here that it is stale.
                    if !repo::update_versioned(conn, row.id, expected_version, &changes)? {
                        return Err(stale(expected_version + 1));
                    }
                    repo::replace_items(conn, row.id, &ids.value)?;
                    let done = Done::to(AuditAction::CollectionItems, AuditTarget::Collection, row.id);
                    record(
                        conn,
                        Some(me.user_id),
                        done.versions(Some(expected_version), Some(expected_version + 1)),
                    )?;
                    Ok(row.id)
                })
            })
            .await?;
        self.announce_collection(id).await;
        self.collection_by_id(viewer, id).await
    }

    /// Deletes a collection (never its articles), at `expected_version`
    /// when given. Editors and up.
    pub async fn delete_collection(
        &self,
        viewer: Viewer,
        slug: &str,
        expected_version: Option<i64>,
    ) -> AppResult<()> {
        let me = policy::can_curate(viewer)?;
        let slug = slug.trim().to_lowercase();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let row = find(conn, &slug)?;
                    let version = expected_version.unwrap_or(row.version);
                    if version != row.version {
                        return Err(stale(row.version));
                    }
                    conn.changes([Key::Collections]);
                    // Conditional on the version read: a change committed
                    // meanwhile makes it a 412, never a blind delete.
                    if !repo::delete_versioned(conn, row.id, version)? {
                        return Err(stale(version + 1));
                    }
                    let done = Done::to(AuditAction::CollectionDelete, AuditTarget::Collection, row.id);
                    record(conn, Some(me.user_id), done.versions(Some(version), None))
                })
            })
            .await
    }

    /// A collection by id, as `viewer` sees it.
    pub(super) async fn collection_by_id(&self, viewer: Viewer, id: CollectionId) -> AppResult<Collection> {
        let curator = policy::can_curate(viewer).is_ok();
        self.db()
            .read(move |conn, shown| {
                shown.push(Key::Collections);
                let row = repo::by_id(conn, id)?.ok_or(AppError::NotFound("collection"))?;
                with_articles(conn, row, curator, |keys| shown.extend(keys))
            })
            .await
    }

    /// Tells subscribers (here and on other instances) that a collection
    /// changed, as readers now see it.
    async fn announce_collection(&self, id: CollectionId) {
        match self.collection_by_id(Viewer::Anonymous, id).await {
            Ok(collection) => {
                let _ = self.events.send(Event::CollectionChanged(Arc::new(collection)));
                self.tell_siblings_of_collection(id).await;
            }
            Err(error) => tracing::warn!(%error, %id, "changed collection could not be announced"),
        }
    }
}

/// The collection `slug` names, or a 404.
fn find(conn: &mut DbConn, slug: &str) -> AppResult<CollectionRow> {
    repo::by_slug(conn, slug)?.ok_or(AppError::NotFound("collection"))
}

/// The refusal of a write at a version that is no longer current.
fn stale(current: i64) -> AppError {
    AppError::PreconditionFailed(format!("the collection has changed; its current version is {current}"))
}

/// `row` with its articles; `shown` hears of every article it lists.
fn with_articles(
    conn: &mut DbConn,
    row: CollectionRow,
    curator: bool,
    shown: impl FnOnce(Vec<Key>),
) -> AppResult<Collection> {
    let ids = repo::items(conn, row.id)?;
    let cards = article_repo::cards_by_ids(conn, &ids)?;
    // Every listed article, published or not (it shows once it is), and
    // the sections the cards show.
    shown(ids.iter().map(|&id| Key::Article(id)).chain(cards.iter().flat_map(shown_by)).collect());
    Ok(assemble(row, ids, &cards, curator))
}

/// A collection's articles in its order: for readers only those public now.
fn assemble(
    row: CollectionRow,
    order: Vec<ArticleId>,
    cards: &[crate::domain::article::Article],
    curator: bool,
) -> Collection {
    let at = now();
    let articles = order
        .iter()
        .filter_map(|id| cards.iter().find(|a| a.id == *id))
        .filter(|a| {
            curator || (a.status == ArticleStatus::Published && a.published_at.is_some_and(|p| p <= at))
        })
        .cloned()
        .collect();
    Collection { info: CollectionInfo::from(row), articles }
}
