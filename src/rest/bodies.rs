//! Request bodies of the REST API. Unknown members are refused, so a typo
//! (`titel`) is an error rather than a silently ignored change.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::double_option;
use crate::service::editorial::{ArticlePatch, CoverImageInput, NewArticle};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    #[schema(example = "ana@example.org")]
    pub email: String,
    /// 10 to 256 characters.
    #[schema(example = "correct horse battery")]
    pub password: String,
    #[schema(example = "Ana Ruiz")]
    pub display_name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    #[schema(example = "ana@example.org")]
    pub email: String,
    #[schema(example = "correct horse battery")]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    pub refresh_token: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverImageBody {
    /// An absolute http(s) URL.
    #[schema(example = "https://images.example.org/newsdesk/summit.jpg")]
    pub url: String,
    pub caption: Option<String>,
}

impl From<CoverImageBody> for CoverImageInput {
    fn from(c: CoverImageBody) -> Self {
        Self { url: c.url, caption: c.caption }
    }
}

/// A new draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArticleBody {
    /// 1 to 200 characters.
    #[schema(example = "Ministers agree winter energy price cap")]
    pub title: String,
    /// The one-line standfirst, up to 500 characters.
    pub summary: Option<String>,
    /// Markdown, up to 200,000 characters.
    pub body: Option<String>,
    /// Derived from the title when absent (with `-2`, `-3`… if taken); an
    /// explicit slug that is taken is a 409.
    pub slug: Option<String>,
    /// The section's slug or id.
    #[schema(example = "europe")]
    pub category: String,
    /// Tag slugs (at most 20); each tag must exist.
    #[serde(default)]
    pub tags: Vec<String>,
    pub cover_image: Option<CoverImageBody>,
    #[serde(default)]
    pub featured: bool,
    /// User ids of the byline; the caller by default. Authors must include themselves.
    pub authors: Option<Vec<uuid::Uuid>>,
}

impl From<CreateArticleBody> for NewArticle {
    fn from(b: CreateArticleBody) -> Self {
        Self {
            title: b.title,
            summary: b.summary,
            body: b.body,
            slug: b.slug,
            category: b.category,
            tags: b.tags,
            cover_image: b.cover_image.map(Into::into),
            featured: b.featured,
            authors: b.authors.map(|ids| ids.iter().map(ToString::to_string).collect()),
        }
    }
}

/// Changes to an article: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleBody {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub slug: Option<String>,
    /// The section's slug or id.
    pub category: Option<String>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    /// `null` removes the cover image.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<CoverImageBody>)]
    pub cover_image: Option<Option<CoverImageBody>>,
    pub featured: Option<bool>,
    /// Replaces the byline.
    pub authors: Option<Vec<uuid::Uuid>>,
}

impl From<UpdateArticleBody> for ArticlePatch {
    fn from(b: UpdateArticleBody) -> Self {
        Self {
            title: b.title,
            summary: b.summary,
            body: b.body,
            slug: b.slug,
            category: b.category,
            tags: b.tags,
            cover_image: b.cover_image.map(|c| c.map(Into::into)),
            featured: b.featured,
            authors: b.authors.map(|ids| ids.iter().map(ToString::to_string).collect()),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// When the article goes live: in the future, within a year.
    pub at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommentBody {
    /// Plain text, 1 to 2,000 characters; markup is shown as typed.
    #[schema(example = "Good to see the cap finally agreed.")]
    pub body: String,
    /// Reply to this comment (on the same article).
    pub parent_id: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditCommentBody {
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategoryBody {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    #[schema(example = "Europe")]
    pub name: String,
    pub description: Option<String>,
    /// The parent section's slug or id; top level when absent.
    #[schema(example = "world")]
    pub parent: Option<String>,
    /// Order among siblings; after the last one when absent.
    pub position: Option<i32>,
}

/// Changes to a section: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategoryBody {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// Move under this section (slug or id); `null` moves to the top level.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub parent: Option<Option<String>>,
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagBody {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    #[schema(example = "Energy")]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserBody {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub bio: Option<String>,
    #[schema(value_type = super::views::Role)]
    pub role: String,
}

/// Changes to an account: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserBody {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    #[schema(value_type = Option<super::views::Role>)]
    pub role: Option<String>,
    /// A disabled account's sessions end at once.
    pub disabled: Option<bool>,
}
