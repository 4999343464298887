//! Input objects, converted to the service layer's own inputs.

use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

use super::article::ArticleStatus;
use super::user::Role;
use crate::service::accounts::UserPatch;
use crate::service::editorial::{ArticlePatch, CoverImageInput as ServiceCover, NewArticle};
use crate::service::taxonomy::{CategoryPatch, NewCategory, TagInput as ServiceTag};

/// Filters of the article feed.
#[derive(InputObject, Default)]
pub struct ArticleFilter {
    /// A section's slug; its sub-sections are included.
    pub category: Option<String>,
    /// A tag's slug.
    pub tag: Option<String>,
    /// An author's user id.
    pub author: Option<ID>,
    pub featured: Option<bool>,
    /// Full-text search: the 2,000 newest matching articles, ranked by
    /// relevance instead of time.
    pub search: Option<String>,
    pub published_after: Option<DateTime<Utc>>,
    pub published_before: Option<DateTime<Utc>>,
    /// Staff only: articles in this status instead of the public feed.
    pub status: Option<ArticleStatus>,
}

#[derive(InputObject)]
pub struct CoverImageInput {
    /// An absolute http(s) URL.
    pub url: String,
    pub caption: Option<String>,
}

impl From<CoverImageInput> for ServiceCover {
    fn from(c: CoverImageInput) -> Self {
        Self { url: c.url, caption: c.caption }
    }
}

#[derive(InputObject)]
pub struct CreateArticleInput {
    pub title: String,
    pub summary: Option<String>,
    /// Markdown.
    pub body: Option<String>,
    /// Derived from the title when absent.
    pub slug: Option<String>,
    /// The section's slug or id.
    pub category: String,
    /// Tag slugs.
    #[graphql(default)]
    pub tags: Vec<String>,
    pub cover_image: Option<CoverImageInput>,
    #[graphql(default)]
    pub featured: bool,
    /// User ids of the byline; the caller by default.
    pub authors: Option<Vec<ID>>,
}

impl From<CreateArticleInput> for NewArticle {
    fn from(i: CreateArticleInput) -> Self {
        Self {
            title: i.title,
            summary: i.summary,
            body: i.body,
            slug: i.slug,
            category: i.category,
            tags: i.tags,
            cover_image: i.cover_image.map(Into::into),
            featured: i.featured,
            authors: i.authors.map(|ids| ids.into_iter().map(|id| id.0).collect()),
        }
    }
}

/// Changes to an article: fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateArticleInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub slug: Option<String>,
    pub category: Option<String>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    /// `null` removes the cover image.
    pub cover_image: MaybeUndefined<CoverImageInput>,
    pub featured: Option<bool>,
    /// Replaces the byline.
    pub authors: Option<Vec<ID>>,
}

impl From<UpdateArticleInput> for ArticlePatch {
    fn from(i: UpdateArticleInput) -> Self {
        Self {
            title: i.title,
            summary: i.summary,
            body: i.body,
            slug: i.slug,
            category: i.category,
            tags: i.tags,
            cover_image: i.cover_image.map_value(Into::into).into(),
            featured: i.featured,
            authors: i.authors.map(|ids| ids.into_iter().map(|id| id.0).collect()),
        }
    }
}

#[derive(InputObject)]
pub struct CreateCategoryInput {
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// The parent section's slug or id.
    pub parent: Option<String>,
    pub position: Option<i32>,
}

impl From<CreateCategoryInput> for NewCategory {
    fn from(i: CreateCategoryInput) -> Self {
        Self {
            slug: i.slug,
            name: i.name,
            description: i.description,
            parent: i.parent,
            position: i.position,
        }
    }
}

/// Changes to a section: fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateCategoryInput {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// Move under this section (slug or id); `null` moves to the top level.
    pub parent: MaybeUndefined<String>,
    pub position: Option<i32>,
}

impl From<UpdateCategoryInput> for CategoryPatch {
    fn from(i: UpdateCategoryInput) -> Self {
        Self {
            slug: i.slug,
            name: i.name,
            description: i.description,
            parent: i.parent.into(),
            position: i.position,
        }
    }
}

#[derive(InputObject)]
pub struct TagInput {
    pub slug: Option<String>,
    pub name: Option<String>,
}

impl From<TagInput> for ServiceTag {
    fn from(i: TagInput) -> Self {
        Self { slug: i.slug, name: i.name }
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub bio: Option<String>,
    pub role: Role,
}

/// Changes to an account: fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateUserInput {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub role: Option<Role>,
    /// A disabled account's sessions end at once.
    pub disabled: Option<bool>,
}

impl From<UpdateUserInput> for UserPatch {
    fn from(i: UpdateUserInput) -> Self {
        Self {
            display_name: i.display_name,
            bio: i.bio,
            role: i.role.map(|r| crate::domain::Role::from(r).as_str().to_owned()),
            disabled: i.disabled,
        }
    }
}
