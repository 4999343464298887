//! Input objects other than articles' (sections, tags, users), and how each becomes a typed service query or command,
//! every refused field named as GraphQL clients know it.

use async_graphql::{InputObject, MaybeUndefined};

use crate::domain::account::ProfilePatch;
use crate::domain::field::{AllValid, FieldError, Invalid, Named, optional};
use crate::domain::page::Limit;
use crate::domain::taxonomy::{Position, SectionKey};
use crate::domain::text::{Bio, Description, DisplayName, Name};
use crate::domain::user::NewPassword;
use crate::domain::{Email, Role, Slug, SlugChoice};
use crate::service::accounts::{NewUser, UserPatch};
use crate::service::sections::{CategoryPatch, NewCategory};
use crate::service::tags::{NewTag, TagPatch};

/// A page size: Relay's `first`, within the same bounds as REST's `limit`.
pub fn page_size(first: Option<i32>) -> Result<Limit, FieldError> {
    Limit::new(first.map(i64::from), "first")
}

#[derive(InputObject)]
pub struct CreateCategoryInput {
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// The parent section's slug or id.
    pub parent: Option<String>,
    /// Order among siblings (0-9999); after the last one when absent.
    pub position: Option<i32>,
}

impl TryFrom<CreateCategoryInput> for NewCategory {
    type Error = Invalid;

    fn try_from(i: CreateCategoryInput) -> Result<Self, Invalid> {
        let (slug, name, description, parent, position) = (
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            Name::parse(&i.name, "name"),
            i.description
                .as_deref()
                .map_or(Ok(Description::empty()), |d| Description::parse(d, "description")),
            optional(i.parent.as_deref(), |p| SectionKey::parse_field(p, "parent")),
            i.position.map(|p| Position::parse(p, "position")).transpose(),
        )
            .all_valid()?;
        Ok(Self {
            slug: SlugChoice::new(slug, name.as_str(), "name")?,
            name,
            description,
            parent: parent.map(|p| Named::new(p, "parent")),
            position,
        })
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
    /// Order among siblings (0-9999).
    pub position: Option<i32>,
}

impl TryFrom<UpdateCategoryInput> for CategoryPatch {
    type Error = Invalid;

    fn try_from(i: UpdateCategoryInput) -> Result<Self, Invalid> {
        let parent: Option<Option<String>> = i.parent.into();
        let parent =
            parent.map(|parent| optional(parent.as_deref(), |p| SectionKey::parse_field(p, "parent")));
        let (slug, name, description, parent, position) = (
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(i.name.as_deref(), |n| Name::parse(n, "name")),
            optional(i.description.as_deref(), |d| Description::parse(d, "description")),
            parent.transpose(),
            i.position.map(|p| Position::parse(p, "position")).transpose(),
        )
            .all_valid()?;
        Ok(Self {
            slug,
            name,
            description,
            parent: parent.map(|p| p.map(|key| Named::new(key, "parent"))),
            position,
        })
    }
}

#[derive(InputObject)]
pub struct TagInput {
    pub slug: Option<String>,
    pub name: Option<String>,
}

impl TryFrom<TagInput> for NewTag {
    type Error = Invalid;

    fn try_from(i: TagInput) -> Result<Self, Invalid> {
        let (slug, name) = (
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            match i.name.as_deref() {
                Some(name) => Name::parse(name, "name"),
                None => Err(FieldError::new("name", "is required")),
            },
        )
            .all_valid()?;
        Ok(Self { slug: SlugChoice::new(slug, name.as_str(), "name")?, name })
    }
}

impl TryFrom<TagInput> for TagPatch {
    type Error = Invalid;

    fn try_from(i: TagInput) -> Result<Self, Invalid> {
        let (slug, name) = (
            optional(i.slug.as_deref(), |s| Slug::parse(s, "slug")),
            optional(i.name.as_deref(), |n| Name::parse(n, "name")),
        )
            .all_valid()?;
        Ok(Self { slug, name })
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

impl TryFrom<CreateUserInput> for NewUser {
    type Error = Invalid;

    fn try_from(i: CreateUserInput) -> Result<Self, Invalid> {
        let (email, password, display_name, bio) = (
            Email::parse(&i.email, "email"),
            NewPassword::parse(&i.password, "password"),
            DisplayName::parse(&i.display_name, "displayName"),
            i.bio.as_deref().map_or(Ok(Bio::empty()), |bio| Bio::parse(bio, "bio")),
        )
            .all_valid()?;
        Ok(Self { email, password, display_name, bio, role: i.role })
    }
}

/// Changes to an account: fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateUserInput {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub role: Option<Role>,
    /// A disabled account's sessions end at once.
    pub disabled: Option<bool>,
    /// A trusted account's comments skip pre-moderation.
    pub trusted: Option<bool>,
}

impl TryFrom<UpdateUserInput> for UserPatch {
    type Error = Invalid;

    fn try_from(i: UpdateUserInput) -> Result<Self, Invalid> {
        let (display_name, bio) = (
            optional(i.display_name.as_deref(), |n| DisplayName::parse(n, "displayName")),
            optional(i.bio.as_deref(), |bio| Bio::parse(bio, "bio")),
        )
            .all_valid()?;
        Ok(Self { display_name, bio, role: i.role, disabled: i.disabled, trusted: i.trusted })
    }
}

/// Changes to one's own profile: fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    pub display_name: Option<String>,
    pub bio: Option<String>,
}

impl TryFrom<UpdateProfileInput> for ProfilePatch {
    type Error = Invalid;

    fn try_from(i: UpdateProfileInput) -> Result<Self, Invalid> {
        let (display_name, bio) = (
            optional(i.display_name.as_deref(), |n| DisplayName::parse(n, "displayName")),
            optional(i.bio.as_deref(), |bio| Bio::parse(bio, "bio")),
        )
            .all_valid()?;
        Ok(Self { display_name, bio })
    }
}
