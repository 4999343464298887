//! The JSON shape of a collection.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::collection;
use crate::domain::site::Site;
use crate::rest::views::ArticleCard;

/// A named, ordered list of articles kept by editors.
#[derive(Debug, Serialize, ToSchema)]
pub struct Collection {
    pub id: Uuid,
    #[schema(example = "top-stories")]
    pub slug: String,
    #[schema(example = "Top stories")]
    pub name: String,
    pub description: String,
    /// The most articles it may hold (1-100).
    #[schema(example = 20)]
    pub max_items: i32,
    /// Increases with every change, of its fields or its list; send it back
    /// in `If-Match` to change it.
    #[schema(example = 4)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Its articles, in its order: for readers only those published now;
    /// for editors every one, whatever its status.
    pub articles: Vec<ArticleCard>,
}

impl Collection {
    pub fn new(c: collection::Collection, site: &Site) -> Self {
        let info = c.info;
        Self {
            id: info.id.uuid(),
            slug: info.slug,
            name: info.name,
            description: info.description,
            max_items: info.max_items,
            version: info.version,
            created_at: info.created_at,
            updated_at: info.updated_at,
            articles: c.articles.into_iter().map(|a| ArticleCard::new(a, site)).collect(),
        }
    }
}

/// Every collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionList {
    pub data: Vec<Collection>,
}
