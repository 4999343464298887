//! Sections and tags.

use super::Services;
use super::assemble;
use crate::db::repo::{categories, tags};
use crate::domain::Slug;
use crate::domain::page::{CursorKind, KeyCursor, Limit, Page};
use crate::domain::taxonomy::{Category, Tag, tree_order};
use crate::error::{AppError, AppResult};

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
