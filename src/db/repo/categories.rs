use diesel::prelude::*;

use crate::db::models::CategoryRow;
use crate::db::schema::categories;
use crate::db::{DbConn, on_backend};
use crate::domain::CategoryId;
use crate::domain::taxonomy::Category;
use crate::error::AppResult;

pub fn all(conn: &mut DbConn) -> AppResult<Vec<Category>> {
    let rows: Vec<CategoryRow> = on_backend!(conn, |c| categories::table
        .select(CategoryRow::as_select())
        .order((categories::position, categories::name))
        .load(c))?;
    Ok(rows.into_iter().map(Category::from).collect())
}

pub fn insert(conn: &mut DbConn, row: &CategoryRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(categories::table).values(row).execute(c))?;
    Ok(())
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<Option<CategoryId>>,
    pub position: Option<i32>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

pub fn update(conn: &mut DbConn, id: CategoryId, changes: &CategoryChanges) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(categories::table.find(id)).set(changes).execute(c))?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: CategoryId) -> AppResult<()> {
    on_backend!(conn, |c| diesel::delete(categories::table.find(id)).execute(c))?;
    Ok(())
}
