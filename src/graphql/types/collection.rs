//! Collections: named, ordered lists of articles kept by editors.

use async_graphql::{ID, InputObject, Object};

use super::article::ArticleObject;
use super::time::Timestamp;
use crate::domain::collection::{Collection, ItemLimit};
use crate::domain::field::{AllValid, Invalid, Named, optional};
use crate::domain::text::{Description, Name};
use crate::domain::{Slug, SlugChoice};
use crate::service::collections::{CollectionPatch, NewCollection};

pub struct CollectionObject(pub Collection);

/// A named, ordered list of articles kept by editors (a home page's top
/// stories, the editors' picks).
#[Object(name = "Collection")]
impl CollectionObject {
    async fn id(&self) -> ID {
        ID(self.0.info.id.to_string())
    }
    async fn slug(&self) -> &str {
        &self.0.info.slug
    }
    async fn name(&self) -> &str {
        &self.0.info.name
    }
    async fn description(&self) -> &str {
        &self.0.info.description
    }
    /// The most articles it may hold (1-100).
    async fn max_items(&self) -> i32 {
        self.0.info.max_items
    }
    /// Increases with every change; pass it as `expectedVersion` to change it.
    async fn version(&self) -> i64 {
        self.0.info.version
    }
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.info.created_at)
    }
    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.info.updated_at)
    }
    /// Its articles, in its order: for readers only those published now; for
    /// editors every one, whatever its status.
    #[graphql(complexity = "crate::graphql::cost::collection_articles(child_complexity)")]
    async fn articles(&self) -> Vec<ArticleObject> {
        self.0.articles.iter().cloned().map(ArticleObject).collect()
    }
}

#[derive(InputObject)]
pub struct CreateCollectionInput {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// 1 to 100; 20 when absent.
    pub max_items: Option<i32>,
}

impl TryFrom<CreateCollectionInput> for NewCollection {
    type Error = Invalid;

    fn try_from(i: CreateCollectionInput) -> Result<Self, Invalid> {
        let (slug, name, description, max_items) = (
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            Name::parse(&i.name, "name"),
            Description::parse(i.description.as_deref().unwrap_or(""), "description"),
            i.max_items.map(|n| ItemLimit::parse(n.into(), "maxItems")).transpose(),
        )
            .all_valid()?;
        Ok(Self {
            slug: SlugChoice::new(slug, name.as_str(), "name")?,
            name,
            description,
            max_items: max_items.unwrap_or_default(),
        })
    }
}

/// Changes to a collection's own fields: fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateCollectionInput {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// 1 to 100, and no fewer than it holds.
    pub max_items: Option<i32>,
}

impl TryFrom<UpdateCollectionInput> for CollectionPatch {
    type Error = Invalid;

    fn try_from(i: UpdateCollectionInput) -> Result<Self, Invalid> {
        let (slug, name, description, max_items) = (
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(i.name.as_deref(), |n| Name::parse(n, "name")),
            optional(i.description.as_deref(), |d| Description::parse(d, "description")),
            i.max_items.map(|n| ItemLimit::parse(n.into(), "maxItems")).transpose(),
        )
            .all_valid()?;
        Ok(Self { slug, name, description, max_items: max_items.map(|m| Named::new(m, "maxItems")) })
    }
}
