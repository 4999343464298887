use diesel::prelude::*;

use crate::db::models::TagRow;
use crate::db::schema::tags;
use crate::db::{DbConn, on_backend};
use crate::domain::TagId;
use crate::error::AppResult;

/// Tags in slug order, after `after` if given.
pub fn page(conn: &mut DbConn, after: Option<&str>, probe: i64) -> AppResult<Vec<TagRow>> {
    Ok(on_backend!(conn, |c| {
        let mut query = tags::table.select(TagRow::as_select()).into_boxed();
        if let Some(after) = after {
            query = query.filter(tags::slug.gt(after.to_owned()));
        }
        query.order(tags::slug).limit(probe).load(c)
    })?)
}

pub fn by_slug(conn: &mut DbConn, slug: &str) -> AppResult<Option<TagRow>> {
    Ok(on_backend!(conn, |c| tags::table
        .select(TagRow::as_select())
        .filter(tags::slug.eq(slug))
        .first(c)
        .optional())?)
}

pub fn by_id(conn: &mut DbConn, id: TagId) -> AppResult<Option<TagRow>> {
    Ok(on_backend!(conn, |c| tags::table.select(TagRow::as_select()).find(id).first(c).optional())?)
}

pub fn insert(conn: &mut DbConn, row: &TagRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(tags::table).values(row).execute(c))?;
    Ok(())
}

pub fn all(conn: &mut DbConn) -> AppResult<Vec<TagRow>> {
    Ok(on_backend!(conn, |c| tags::table.select(TagRow::as_select()).order(tags::slug).load(c))?)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tags)]
pub struct TagChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
}

pub fn update(conn: &mut DbConn, id: TagId, changes: &TagChanges) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(tags::table.find(id)).set(changes).execute(c))?;
    Ok(())
}

/// Deletes a tag; articles simply lose it.
pub fn delete(conn: &mut DbConn, id: TagId) -> AppResult<()> {
    on_backend!(conn, |c| diesel::delete(tags::table.find(id)).execute(c))?;
    Ok(())
}

pub fn by_slugs(conn: &mut DbConn, slugs: &[String]) -> AppResult<Vec<TagRow>> {
    Ok(on_backend!(conn, |c| tags::table
        .select(TagRow::as_select())
        .filter(tags::slug.eq_any(slugs))
        .load(c))?)
}
