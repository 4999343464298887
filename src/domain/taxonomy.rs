//! Sections (categories, a tree) and tags.

use chrono::{DateTime, Utc};

use super::field::FieldError;
use super::{CategoryId, Slug, TagId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<CategoryId>,
    /// Order among siblings.
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A section's place among its siblings: 0 to 9,999 (far more sections than
/// a site has, and room to add one after the last without overflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position(i32);

impl Position {
    pub const MAX: i32 = 9_999;

    pub fn parse(raw: i32, field: &str) -> Result<Self, FieldError> {
        if (0..=Self::MAX).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(FieldError::new(field, format!("must be 0-{}", Self::MAX)))
        }
    }

    /// The place after the last of siblings at `positions`; 0 for the first.
    pub fn after(positions: impl Iterator<Item = i32>) -> Self {
        Self(positions.max().map_or(0, |last| last.saturating_add(1).clamp(0, Self::MAX)))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: TagId,
    pub slug: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// A section as callers name it: by slug or by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionKey {
    Id(CategoryId),
    Slug(Slug),
}

impl SectionKey {
    /// A slug (any case) or an id; anything else names no section.
    pub fn parse(raw: &str) -> Option<Self> {
        let key = raw.trim().to_lowercase();
        match key.parse::<CategoryId>() {
            Ok(id) => Some(Self::Id(id)),
            Err(_) => Slug::parse(&key, "slug").ok().map(Self::Slug),
        }
    }

    /// [`SectionKey::parse`], refusing for `field` what names no section.
    pub fn parse_field(raw: &str, field: &str) -> Result<Self, FieldError> {
        Self::parse(raw).ok_or_else(|| no_such_section(field))
    }

    /// The section this key names, among `all`.
    pub fn find<'a>(&self, all: &'a [Category]) -> Option<&'a Category> {
        all.iter().find(|c| match self {
            Self::Id(id) => c.id == *id,
            Self::Slug(slug) => c.slug == slug.as_str(),
        })
    }
}

/// The refusal of a key that names no section.
pub fn no_such_section(field: &str) -> FieldError {
    FieldError::new(field, "no section has this slug or id")
}

/// Orders sections depth-first, siblings by position then name: the order a
/// navigation menu shows them in (World, World › Europe, World › Asia, Politics…).
pub fn tree_order(mut categories: Vec<Category>) -> Vec<Category> {
    categories.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.name.cmp(&b.name)));
    let mut ordered = Vec::with_capacity(categories.len());
    let mut placed = vec![false; categories.len()];
    fn visit(parent: Option<CategoryId>, all: &[Category], placed: &mut [bool], ordered: &mut Vec<Category>) {
        for (i, category) in all.iter().enumerate() {
            if !placed[i] && category.parent_id == parent {
                placed[i] = true;
                ordered.push(category.clone());
                visit(Some(category.id), all, placed, ordered);
            }
        }
    }
    visit(None, &categories, &mut placed, &mut ordered);
    // A parent that no longer exists cannot happen with foreign keys, but a
    // section must never vanish from the list because of it.
    for (i, category) in categories.iter().enumerate() {
        if !placed[i] {
            ordered.push(category.clone());
        }
    }
    ordered
}

/// The ids of `root` and every section below it.
pub fn subtree(root: CategoryId, categories: &[Category]) -> Vec<CategoryId> {
    let mut ids = vec![root];
    let mut i = 0;
    while i < ids.len() {
        let parent = ids[i];
        ids.extend(categories.iter().filter(|c| c.parent_id == Some(parent)).map(|c| c.id));
        i += 1;
        if ids.len() > categories.len() + 1 {
            break; // a cycle; moves refuse to create one, so this is only a guard
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(slug: &str, parent: Option<CategoryId>, position: i32) -> Category {
        let now = crate::domain::time::now();
        Category {
            id: CategoryId::generate(),
            slug: slug.into(),
            name: slug.into(),
            description: String::new(),
            parent_id: parent,
            position,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn positions_stay_within_their_range() {
        assert_eq!(Position::parse(0, "position").unwrap().get(), 0);
        assert!(Position::parse(-1, "position").is_err());
        assert!(Position::parse(i32::MIN, "position").is_err());
        assert!(Position::parse(10_000, "position").is_err());
        assert_eq!(Position::after([3, 7].into_iter()).get(), 8);
        assert_eq!(Position::after(std::iter::empty()).get(), 0);
        assert_eq!(Position::after([Position::MAX, i32::MAX].into_iter()).get(), Position::MAX);
    }

    #[test]
    fn orders_depth_first_by_position() {
        let world = category("world", None, 0);
        let politics = category("politics", None, 1);
        let asia = category("asia", Some(world.id), 1);
        let europe = category("europe", Some(world.id), 0);
        let ordered = tree_order(vec![asia.clone(), politics.clone(), europe.clone(), world.clone()]);
        let slugs: Vec<_> = ordered.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(slugs, ["world", "europe", "asia", "politics"]);
    }

    #[test]
    fn subtree_includes_every_descendant() {
        let world = category("world", None, 0);
        let europe = category("europe", Some(world.id), 0);
        let nordics = category("nordics", Some(europe.id), 0);
        let politics = category("politics", None, 1);
        let all = vec![world.clone(), europe.clone(), nordics.clone(), politics];
        let mut ids = subtree(world.id, &all);
        ids.sort();
        let mut expected = vec![world.id, europe.id, nordics.id];
        expected.sort();
        assert_eq!(ids, expected);
        assert_eq!(subtree(nordics.id, &all), vec![nordics.id]);
    }
}
