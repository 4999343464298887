//! Sections (categories): a tree, read by everyone, managed by editors.

use super::Services;
use super::freshness::Key;
use crate::db::models::CategoryRow;
use crate::db::repo::articles as article_repo;
use crate::db::repo::categories::{self, CategoryChanges};
use crate::db::repo::old_slugs;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::field::Named;
use crate::domain::taxonomy::{self, Category, Position, SectionKey, tree_order};
use crate::domain::text::{Description, Name};
use crate::domain::time::{now, to_db};
use crate::domain::{CategoryId, Slug, SlugChoice, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::audit::{Done, record};

/// A new section.
#[derive(Debug, Clone)]
pub struct NewCategory {
    pub slug: SlugChoice,
    pub name: Name,
    pub description: Description,
    /// Top level when absent.
    pub parent: Option<Named<SectionKey>>,
    /// Order among siblings; after the last one when absent.
    pub position: Option<Position>,
}

/// Changes to a section; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub slug: Option<Slug>,
    pub name: Option<Name>,
    pub description: Option<Description>,
    /// `Some(None)` moves the section to the top level.
    pub parent: Option<Option<Named<SectionKey>>>,
    pub position: Option<Position>,
}

impl CategoryPatch {
    /// Asks for no change at all (`{}`): answered with the section as it is.
    pub fn is_empty(&self) -> bool {
        let Self { slug, name, description, parent, position } = self;
        slug.is_none() && name.is_none() && description.is_none() && parent.is_none() && position.is_none()
    }
}

impl Services {
    /// Every section, in tree order (each parent followed by its children).
    pub async fn list_categories(&self) -> AppResult<Vec<Category>> {
        let all = self
            .db()
            .read(|conn, shown| {
                let all = categories::all(conn)?;
                shown.push(Key::Sections);
                shown.extend(all.iter().map(|c| Key::Section(c.id)));
                Ok(all)
            })
            .await?;
        Ok(tree_order(all))
    }

    /// A section by its slug, or by a slug it had before. (Compare the slug
    /// asked for with the section's to learn whether it was a former one.)
    pub async fn get_category(&self, slug: &str) -> AppResult<Category> {
        let slug = Slug::parse(slug, "slug").map_err(|_| AppError::NotFound("category"))?;
        let all = self.list_categories().await?;
        if let Some(found) = all.iter().find(|c| c.slug == slug.as_str()) {
            return Ok(found.clone());
        }
        let wanted = slug.as_str().to_owned();
        let former = self.db().read(move |conn, _| old_slugs::category_with_old_slug(conn, &wanted)).await?;
        all.into_iter().find(|c| Some(c.id) == former).ok_or(AppError::NotFound("category"))
    }

    /// Creates a section. Editors and up.
    pub async fn create_category(&self, viewer: Viewer, new: NewCategory) -> AppResult<Category> {
        let me = policy::can_manage_taxonomy(viewer)?;
        let slug = new.slug.into_slug();
        let slug_text = slug.as_str().to_owned();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let all = categories::all(conn)?;
                    if all.iter().any(|c| c.slug == slug.as_str())
                        || old_slugs::category_with_old_slug(conn, slug.as_str())?.is_some()
                    {
                        return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                    }
                    let parent_id = new.parent.as_ref().map(|p| section(&all, p)).transpose()?.map(|p| p.id);
                    let position = new.position.unwrap_or_else(|| {
                        Position::after(all.iter().filter(|c| c.parent_id == parent_id).map(|c| c.position))
                    });
                    let at = to_db(now());
                    // No article is filed under it yet: only the list changes.
                    conn.changes([Key::Sections]);
                    let id = CategoryId::generate();
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::SectionCreate, AuditTarget::Section, id),
                    )?;
                    categories::insert(
                        conn,
                        &CategoryRow {
                            id,
                            slug: slug.into_string(),
                            name: new.name.into_string(),
                            description: new.description.into_string(),
                            parent_id,
                            position: position.get(),
                            created_at: at,
                            updated_at: at,
                        },
                    )
                })
            })
            .await?;
        self.get_category(&slug_text).await
    }

    /// Renames, re-describes or moves a section. A section cannot move under
    /// itself or one of its own sub-sections. Editors and up.
    pub async fn update_category(
        &self,
        viewer: Viewer,
        key: &str,
        patch: CategoryPatch,
    ) -> AppResult<Category> {
        let me = policy::can_manage_taxonomy(viewer)?;
        let key = SectionKey::parse(key).ok_or(AppError::NotFound("category"))?;
        let slug_text = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let all = categories::all(conn)?;
                    let this = key.find(&all).ok_or(AppError::NotFound("category"))?.clone();
                    if patch.is_empty() {
                        conn.changes([]);
                        return Ok(this.slug);
                    }
                    let mut changes = CategoryChanges {
                        name: patch.name.map(String::from),
                        description: patch.description.map(String::from),
                        position: patch.position.map(Position::get),
                        updated_at: Some(to_db(now())),
                        ..CategoryChanges::default()
                    };
                    if let Some(slug) = &patch.slug
                        && slug.as_str() != this.slug
                    {
                        let former = old_slugs::category_with_old_slug(conn, slug.as_str())?;
                        if all.iter().any(|c| c.slug == slug.as_str())
                            || former.is_some_and(|owner| owner != this.id)
                        {
                            return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                        }
                        // The old address (its feeds, its API path) keeps working.
                        old_slugs::retire_category_slug(
                            conn,
                            this.id,
                            &this.slug,
                            slug.as_str(),
                            to_db(now()),
                        )?;
                        changes.slug = Some(slug.as_str().to_owned());
                    }
                    if let Some(parent) = &patch.parent {
                        let parent_id = match parent {
                            None => None,
                            Some(key) => {
                                let parent = section(&all, key)?;
                                if taxonomy::subtree(this.id, &all).contains(&parent.id) {
                                    return Err(key
                                        .refuse("a section cannot move under itself or its own sub-sections")
                                        .into());
                                }
                                Some(parent.id)
                            }
                        };
                        changes.parent_id = Some(parent_id);
                    }
                    // Its name shows on every article filed under it. A new slug
                    // or place changes which section a slug or a parent's feed
                    // names: every feed filtered by section reads the tree.
                    let reshaped =
                        changes.slug.is_some() || changes.parent_id.is_some() || changes.position.is_some();
                    conn.changes([Key::Section(this.id)]);
                    if reshaped {
                        conn.changes([Key::Sections]);
                    }
                    categories::update(conn, this.id, &changes)?;
                    let done = Done::to(AuditAction::SectionUpdate, AuditTarget::Section, this.id);
                    record(conn, Some(me.user_id), done)?;
                    Ok(changes.slug.unwrap_or(this.slug))
                })
            })
            .await?;
        self.get_category(&slug_text).await
    }

    /// Deletes a section; refused while articles are filed under it or it
    /// has sub-sections (move or delete those first). Editors and up.
    pub async fn delete_category(&self, viewer: Viewer, key: &str) -> AppResult<()> {
        let me = policy::can_manage_taxonomy(viewer)?;
        let key = SectionKey::parse(key).ok_or(AppError::NotFound("category"))?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let all = categories::all(conn)?;
                    let this = key.find(&all).ok_or(AppError::NotFound("category"))?;
                    if all.iter().any(|c| c.parent_id == Some(this.id)) {
                        return Err(AppError::conflict(
                            "the section has sub-sections; move or delete them first",
                        ));
                    }
                    let filed = article_repo::count_in_category(conn, this.id)?;
                    if filed > 0 {
                        return Err(AppError::conflict(format!(
                            "{filed} articles are filed under this section; move them first"
                        )));
                    }
                    conn.changes([Key::Section(this.id), Key::Sections]);
                    categories::delete(conn, this.id)?;
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::SectionDelete, AuditTarget::Section, this.id),
                    )
                })
            })
            .await
    }
}

/// The section `key` names, or a refusal of its field.
fn section<'a>(all: &'a [Category], key: &Named<SectionKey>) -> AppResult<&'a Category> {
    key.value.find(all).ok_or_else(|| key.refuse("no section has this slug or id").into())
}
