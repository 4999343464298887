//! What generated articles refer to, created when missing: twelve sections,
//! two hundred tags, the writers and the readers.

use super::super::rng::Rng;
use super::super::words::{ADJECTIVES, OBJECTS};
use super::rows::capitalise;
use crate::db::DbConn;
use crate::db::models::{CategoryRow, NewUserRow, TagRow, UserRow};
use crate::db::repo::{categories, tags, users};
use crate::domain::article::TagRef;
use crate::domain::time::{now, to_db};
use crate::domain::{CategoryId, Email, Role, Slug, TagId, UserId};
use crate::error::AppResult;

const TAGS: usize = 200;

/// Twelve sections in a two-level tree.
const SECTIONS: &[(&str, &str, Option<&str>)] = &[
    ("world", "World", None),
    ("europe", "Europe", Some("world")),
    ("asia", "Asia", Some("world")),
    ("americas", "Americas", Some("world")),
    ("politics", "Politics", None),
    ("business", "Business", None),
    ("markets", "Markets", Some("business")),
    ("technology", "Technology", Some("business")),
    ("science", "Science", None),
    ("environment", "Environment", None),
    ("health", "Health", None),
    ("entertainment", "Entertainment", None),
];

pub(super) fn ensure_sections(conn: &mut DbConn) -> AppResult<Vec<CategoryId>> {
    let mut existing = categories::all(conn)?;
    if existing.is_empty() {
        let stamp = to_db(now());
        for (position, (slug, name, parent)) in SECTIONS.iter().enumerate() {
            let parent_id = parent.and_then(|p| existing.iter().find(|c| c.slug == p).map(|c| c.id));
            let row = CategoryRow {
                id: CategoryId::generate(),
                slug: (*slug).to_owned(),
                name: (*name).to_owned(),
                description: format!("{name} news."),
                parent_id,
                position: position as i32,
                created_at: stamp,
                updated_at: stamp,
            };
            categories::insert(conn, &row)?;
            existing.push(row.into());
        }
    }
    Ok(existing.into_iter().map(|c| c.id).collect())
}

pub(super) fn ensure_tags(conn: &mut DbConn, rng: &mut Rng) -> AppResult<Vec<TagRef>> {
    let mut existing = tags::all(conn)?;
    let stamp = to_db(now());
    let mut attempt = 0;
    while existing.len() < TAGS && attempt < TAGS * 20 {
        attempt += 1;
        let name = capitalise(&format!("{} {}", *rng.pick(ADJECTIVES), *rng.pick(OBJECTS)));
        let Some(slug) = Slug::derive(&name) else { continue };
        if existing.iter().any(|t| t.slug == slug.as_str()) {
            continue;
        }
        let row = TagRow { id: TagId::generate(), slug: slug.into_string(), name, created_at: stamp };
        tags::insert(conn, &row)?;
        existing.push(row);
    }
    Ok(existing.into_iter().map(|t| TagRef { id: t.id, slug: t.slug, name: t.name }).collect())
}

pub(super) fn ensure_users(
    conn: &mut DbConn,
    prefix: &str,
    role: Role,
    wanted: usize,
    hash: &str,
) -> AppResult<Vec<UserId>> {
    let mut ids = users::ids_with_roles(conn, &[role])?;
    let stamp = to_db(now());
    let mut n = ids.len();
    while ids.len() < wanted {
        n += 1;
        let email = Email::parse(&format!("{prefix}{n}@bench.newsdesk.example"), "email")?;
        if users::by_email(conn, &email)?.is_some() {
            continue;
        }
        let display_name = format!("{} {n}", capitalise(prefix));
        let (bio, password_hash) = (String::new(), hash.to_owned());
        let row = UserRow::new(NewUserRow { email, display_name, bio, role, password_hash }, stamp);
        users::insert(conn, &row)?;
        ids.push(row.id);
    }
    Ok(ids)
}
