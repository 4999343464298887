//! Rows as diesel reads and writes them. Text ids and statuses are turned
//! into domain types at the edge of the repositories, never further in.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub bio: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CategoryRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<String>,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tags, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct TagRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = articles, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub cover_image_url: Option<String>,
    pub cover_image_caption: Option<String>,
    pub category_id: String,
    pub status: String,
    pub featured: bool,
    pub published_at: Option<NaiveDateTime>,
    pub scheduled_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub reading_time_minutes: i32,
    pub comment_count: i32,
    pub tags_json: String,
    pub authors_json: String,
    pub body: String,
    pub body_html: String,
}

/// An article without its body: what lists read, to keep rows small.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleCardRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub cover_image_url: Option<String>,
    pub cover_image_caption: Option<String>,
    pub category_id: String,
    pub status: String,
    pub featured: bool,
    pub published_at: Option<NaiveDateTime>,
    pub scheduled_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub reading_time_minutes: i32,
    pub comment_count: i32,
    pub tags_json: String,
    pub authors_json: String,
}

/// A tag as kept in `articles.tags_json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TagJson {
    pub id: String,
    pub slug: String,
    pub name: String,
}

/// A byline as kept in `articles.authors_json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BylineJson {
    pub id: String,
    pub display_name: String,
}

impl ArticleRow {
    /// The ids of the credited authors.
    pub fn author_ids(&self) -> Vec<String> {
        serde_json::from_str::<Vec<BylineJson>>(&self.authors_json)
            .map(|authors| authors.into_iter().map(|a| a.id).collect())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = article_tags, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleTagRow {
    pub article_id: String,
    pub tag_id: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = article_authors, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ArticleAuthorRow {
    pub article_id: String,
    pub user_id: String,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revisions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RevisionRow {
    pub id: String,
    pub article_id: String,
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub editor_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = comments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CommentRow {
    pub id: String,
    pub article_id: String,
    pub author_id: String,
    pub parent_id: Option<String>,
    pub body: Option<String>,
    pub status: String,
    pub reply_count: i32,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}
