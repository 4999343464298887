//! Sections and tags.

use super::Services;
use super::assemble;
use super::editorial::require;
use crate::db::models::{CategoryRow, TagRow};
use crate::db::repo::articles as article_repo;
use crate::db::repo::categories::{self, CategoryChanges};
use crate::db::repo::tags::{self, TagChanges};
use crate::domain::page::{CursorKind, KeyCursor, Limit, Page};
use crate::domain::taxonomy::{self, Category, Tag, tree_order};
use crate::domain::text::{DESCRIPTION, NAME};
use crate::domain::time::{now, to_db};
use crate::domain::{CategoryId, Role, Slug, TagId, Viewer};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};

impl Services {
    /// Every section, in tree order (each parent followed by its children).
    pub async fn list_categories(&self) -> AppResult<Vec<Category>> {
        let rows = self.db().run(categories::all).await?;
        let all = rows.into_iter().map(assemble::category).collect::<AppResult<Vec<_>>>()?;
        Ok(tree_order(all))
    }

    pub async fn get_category(&self, slug: &str) -> AppResult<Category> {
        let slug = Slug::parse(slug, "slug").map_err(|_| AppError::NotFound("category"))?;
        self.list_categories()
            .await?
            .into_iter()
            .find(|c| c.slug == slug.as_str())
            .ok_or(AppError::NotFound("category"))
    }

    /// Tags in slug order, a page at a time.
    pub async fn list_tags(&self, limit: Option<i64>, cursor: Option<String>) -> AppResult<Page<Tag>> {
        let limit = Limit::new(limit, "limit")?;
        let after = cursor.map(|c| KeyCursor::decode(CursorKind::Tags, &c, "cursor")).transpose()?;
        let rows = self
            .db()
            .run(move |conn| tags::page(conn, after.as_ref().map(|c| c.0.as_str()), limit.probe()))
            .await?;
        let tags = rows.into_iter().map(assemble::tag).collect::<AppResult<Vec<_>>>()?;
        Ok(Page::from_probe(tags, limit, |t: &Tag| KeyCursor(t.slug.clone()).encode(CursorKind::Tags)))
    }

    pub async fn get_tag(&self, slug: &str) -> AppResult<Tag> {
        let slug = Slug::parse(slug, "slug").map_err(|_| AppError::NotFound("tag"))?;
        let row = self.db().run(move |conn| tags::by_slug(conn, slug.as_str())).await?;
        assemble::tag(row.ok_or(AppError::NotFound("tag"))?)
    }
}

/// A new section, as received.
#[derive(Debug, Clone, Default)]
pub struct NewCategory {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// The parent section's slug or id; top level when absent.
    pub parent: Option<String>,
    pub position: Option<i32>,
}

/// Changes to a section; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `Some(None)` moves the section to the top level.
    pub parent: Option<Option<String>>,
    pub position: Option<i32>,
}

/// A new tag, or changes to one.
#[derive(Debug, Clone, Default)]
pub struct TagInput {
    pub slug: Option<String>,
    pub name: Option<String>,
}

fn slug_or_derived(slug: Option<&str>, name: Option<&str>, errors: &mut FieldErrors) -> Option<Slug> {
    match (slug, name) {
        (Some(slug), _) => errors.check(Slug::parse(slug, "slug")),
        (None, Some(name)) => {
            let derived = Slug::derive(name);
            if derived.is_none() {
                errors.push(FieldError::new("name", "must contain letters or digits"));
            }
            derived
        }
        (None, None) => None,
    }
}

fn find_category<'a>(all: &'a [CategoryRow], key: &str, field: &str) -> AppResult<&'a CategoryRow> {
    let key = key.trim().to_lowercase();
    all.iter()
        .find(|c| c.slug == key || c.id == key)
        .ok_or_else(|| AppError::invalid(field.to_owned(), "no section has this slug or id"))
}

impl Services {
    /// Creates a section. Editors and up.
    pub async fn create_category(&self, viewer: Viewer, input: NewCategory) -> AppResult<Category> {
        require(viewer, Role::Editor)?;
        let mut errors = FieldErrors::default();
        let name = errors.check(NAME.check(&input.name, "name"));
        let description =
            errors.check(DESCRIPTION.check(input.description.as_deref().unwrap_or(""), "description"));
        let slug = slug_or_derived(input.slug.as_deref(), name.as_deref(), &mut errors);
        errors.finish()?;
        let (Some(name), Some(description), Some(slug)) = (name, description, slug) else {
            return Err(AppError::internal(anyhow::anyhow!("validated fields missing")));
        };
        let slug_text = slug.as_str().to_owned();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let all = categories::all(conn)?;
                    if all.iter().any(|c| c.slug == slug.as_str()) {
                        return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                    }
                    let parent_id = input
                        .parent
                        .as_deref()
                        .map(|p| find_category(&all, p, "parent"))
                        .transpose()?
                        .map(|p| p.id.clone());
                    let position = input.position.unwrap_or_else(|| {
                        all.iter()
                            .filter(|c| c.parent_id == parent_id)
                            .map(|c| c.position + 1)
                            .max()
                            .unwrap_or(0)
                    });
                    let at = to_db(now());
                    categories::insert(
                        conn,
                        &CategoryRow {
                            id: CategoryId::generate().to_string(),
                            slug: slug.into_string(),
                            name,
                            description,
                            parent_id,
                            position,
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
        key: String,
        patch: CategoryPatch,
    ) -> AppResult<Category> {
        require(viewer, Role::Editor)?;
        let mut errors = FieldErrors::default();
        let name = patch.name.as_deref().and_then(|n| errors.check(NAME.check(n, "name")));
        let description =
            patch.description.as_deref().and_then(|d| errors.check(DESCRIPTION.check(d, "description")));
        let slug = patch.slug.as_deref().and_then(|s| errors.check(Slug::parse(s, "slug")));
        errors.finish()?;
        let slug_text = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let rows = categories::all(conn)?;
                    let key = key.trim().to_lowercase();
                    let this = rows
                        .iter()
                        .find(|c| c.slug == key || c.id == key)
                        .ok_or(AppError::NotFound("category"))?
                        .clone();
                    let mut changes = CategoryChanges {
                        name,
                        description,
                        position: patch.position,
                        updated_at: Some(to_db(now())),
                        ..CategoryChanges::default()
                    };
                    if let Some(slug) = &slug
                        && slug.as_str() != this.slug
                    {
                        if rows.iter().any(|c| c.slug == slug.as_str()) {
                            return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                        }
                        changes.slug = Some(slug.as_str().to_owned());
                    }
                    if let Some(parent) = &patch.parent {
                        let parent_id = match parent {
                            None => None,
                            Some(p) => {
                                let parent = find_category(&rows, p, "parent")?;
                                let all = rows
                                    .iter()
                                    .cloned()
                                    .map(assemble::category)
                                    .collect::<AppResult<Vec<_>>>()?;
                                let below = taxonomy::subtree(CategoryId::from_db(&this.id)?, &all);
                                if below.iter().any(|id| id.to_string() == parent.id) {
                                    return Err(AppError::invalid(
                                        "parent",
                                        "a section cannot move under itself or its own sub-sections",
                                    ));
                                }
                                Some(parent.id.clone())
                            }
                        };
                        changes.parent_id = Some(parent_id);
                    }
                    categories::update(conn, &this.id, &changes)?;
                    Ok(changes.slug.unwrap_or(this.slug))
                })
            })
            .await?;
        self.get_category(&slug_text).await
    }

    /// Deletes a section; refused while articles are filed under it or it
    /// has sub-sections (move or delete those first). Editors and up.
    pub async fn delete_category(&self, viewer: Viewer, key: String) -> AppResult<()> {
        require(viewer, Role::Editor)?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let rows = categories::all(conn)?;
                    let key = key.trim().to_lowercase();
                    let this = rows
                        .iter()
                        .find(|c| c.slug == key || c.id == key)
                        .ok_or(AppError::NotFound("category"))?;
                    if rows.iter().any(|c| c.parent_id.as_deref() == Some(this.id.as_str())) {
                        return Err(AppError::conflict(
                            "the section has sub-sections; move or delete them first",
                        ));
                    }
                    let filed = article_repo::count_in_category(conn, &this.id)?;
                    if filed > 0 {
                        return Err(AppError::conflict(format!(
                            "{filed} articles are filed under this section; move them first"
                        )));
                    }
                    categories::delete(conn, &this.id)
                })
            })
            .await
    }

    /// Creates a tag. Editors and up.
    pub async fn create_tag(&self, viewer: Viewer, input: TagInput) -> AppResult<Tag> {
        require(viewer, Role::Editor)?;
        let mut errors = FieldErrors::default();
        let name = match input.name.as_deref() {
            Some(name) => errors.check(NAME.check(name, "name")),
            None => {
                errors.push(FieldError::new("name", "is required"));
                None
            }
        };
        let slug = slug_or_derived(input.slug.as_deref(), name.as_deref(), &mut errors);
        errors.finish()?;
        let (Some(name), Some(slug)) = (name, slug) else {
            return Err(AppError::internal(anyhow::anyhow!("validated fields missing")));
        };
        let slug_text = slug.as_str().to_owned();
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    if tags::by_slug(conn, slug.as_str())?.is_some() {
                        return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                    }
                    tags::insert(
                        conn,
                        &TagRow {
                            id: TagId::generate().to_string(),
                            slug: slug.into_string(),
                            name,
                            created_at: to_db(now()),
                        },
                    )
                })
            })
            .await?;
        self.get_tag(&slug_text).await
    }

    /// Renames a tag or changes its slug. Editors and up.
    pub async fn update_tag(&self, viewer: Viewer, key: String, patch: TagInput) -> AppResult<Tag> {
        require(viewer, Role::Editor)?;
        let mut errors = FieldErrors::default();
        let name = patch.name.as_deref().and_then(|n| errors.check(NAME.check(n, "name")));
        let slug = patch.slug.as_deref().and_then(|s| errors.check(Slug::parse(s, "slug")));
        errors.finish()?;
        let key = Slug::parse(&key, "slug").map_err(|_| AppError::NotFound("tag"))?;
        let slug_text = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let this = tags::by_slug(conn, key.as_str())?.ok_or(AppError::NotFound("tag"))?;
                    let mut changes = TagChanges { name, slug: None };
                    if let Some(slug) = slug
                        && slug.as_str() != this.slug
                    {
                        if tags::by_slug(conn, slug.as_str())?.is_some() {
                            return Err(AppError::conflict(format!("the slug `{slug}` is already in use")));
                        }
                        changes.slug = Some(slug.into_string());
                    }
                    tags::update(conn, &this.id, &changes)?;
                    // Articles show their tags' names and slugs: rewrite theirs.
                    let tagged = article_repo::ids_with_tag(conn, &this.id)?;
                    article_repo::refresh_relations(conn, &tagged)?;
                    Ok(changes.slug.unwrap_or(this.slug))
                })
            })
            .await?;
        self.get_tag(&slug_text).await
    }

    /// Deletes a tag; the articles that carried it simply lose it. Editors and up.
    pub async fn delete_tag(&self, viewer: Viewer, key: String) -> AppResult<()> {
        require(viewer, Role::Editor)?;
        let key = Slug::parse(&key, "slug").map_err(|_| AppError::NotFound("tag"))?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let this = tags::by_slug(conn, key.as_str())?.ok_or(AppError::NotFound("tag"))?;
                    let tagged = article_repo::ids_with_tag(conn, &this.id)?;
                    tags::delete(conn, &this.id)?;
                    article_repo::refresh_relations(conn, &tagged)
                })
            })
            .await
    }
}

impl Services {
    /// Every tag, in slug order (GraphQL's `tags`; REST pages them).
    pub async fn all_tags(&self) -> AppResult<Vec<Tag>> {
        let rows = self.db().run(tags::all).await?;
        rows.into_iter().map(assemble::tag).collect()
    }
}
