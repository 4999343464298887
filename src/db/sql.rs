//! SQL written by hand, for what diesel's builder cannot say (full-text
//! search, window functions): the text, and its values bound typed, with
//! placeholders numbered the way each engine wants them.

use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::pg::Pg;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Bool, Text, Timestamp};
use diesel::sqlite::Sqlite;

use super::{Backend, DbConn, on_backend};
use crate::domain::{ArticleId, ArticleStatus, CategoryId, CommentId, CommentStatus, TagId, UserId};
use crate::error::AppResult;

/// A value to bind, typed.
pub enum Bind {
    Text(String),
    Time(NaiveDateTime),
    Bool(bool),
    Int(i64),
    Status(ArticleStatus),
    CommentStatus(CommentStatus),
    Article(ArticleId),
    Comment(CommentId),
    Category(CategoryId),
    Tag(TagId),
    User(UserId),
}

/// SQL text and its bound values.
pub struct Statement {
    backend: Backend,
    pub sql: String,
    binds: Vec<Bind>,
}

impl Statement {
    pub fn new(conn: &DbConn) -> Self {
        Self { backend: conn.backend(), sql: String::new(), binds: Vec::new() }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Binds `value`; returns its placeholder.
    pub fn push(&mut self, value: Bind) -> String {
        self.binds.push(value);
        match self.backend {
            Backend::Postgres => format!("${}", self.binds.len()),
            Backend::Sqlite => "?".to_owned(),
        }
    }

    /// Binds each value; returns their placeholders, comma-separated (`NULL`
    /// for none, so that `IN (NULL)` matches nothing).
    pub fn list(&mut self, values: impl IntoIterator<Item = Bind>) -> String {
        let placeholders: Vec<_> = values.into_iter().map(|v| self.push(v)).collect();
        if placeholders.is_empty() { "NULL".to_owned() } else { placeholders.join(", ") }
    }

    /// Runs the statement and reads its rows.
    pub fn load<Row>(self, conn: &mut DbConn) -> AppResult<Vec<Row>>
    where
        Row: QueryableByName<Pg> + QueryableByName<Sqlite> + 'static,
    {
        let Statement { sql, binds, .. } = self;
        Ok(on_backend!(conn, |c| {
            let mut query = diesel::sql_query(sql).into_boxed();
            for value in binds {
                query = bind(query, value);
            }
            diesel::RunQueryDsl::load(query, c)
        })?)
    }
}

fn bind<'f, DB>(
    query: BoxedSqlQuery<'f, DB, diesel::query_builder::SqlQuery>,
    value: Bind,
) -> BoxedSqlQuery<'f, DB, diesel::query_builder::SqlQuery>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<Timestamp>
        + diesel::sql_types::HasSqlType<Bool>
        + diesel::sql_types::HasSqlType<BigInt>,
    String: diesel::serialize::ToSql<Text, DB>,
    NaiveDateTime: diesel::serialize::ToSql<Timestamp, DB>,
    bool: diesel::serialize::ToSql<Bool, DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
    ArticleStatus: diesel::serialize::ToSql<Text, DB>,
    CommentStatus: diesel::serialize::ToSql<Text, DB>,
    ArticleId: diesel::serialize::ToSql<Text, DB>,
    CommentId: diesel::serialize::ToSql<Text, DB>,
    CategoryId: diesel::serialize::ToSql<Text, DB>,
    TagId: diesel::serialize::ToSql<Text, DB>,
    UserId: diesel::serialize::ToSql<Text, DB>,
{
    match value {
        Bind::Text(v) => query.bind::<Text, _>(v),
        Bind::Time(v) => query.bind::<Timestamp, _>(v),
        Bind::Bool(v) => query.bind::<Bool, _>(v),
        Bind::Int(v) => query.bind::<BigInt, _>(v),
        Bind::Status(v) => query.bind::<Text, _>(v),
        Bind::CommentStatus(v) => query.bind::<Text, _>(v),
        Bind::Article(v) => query.bind::<Text, _>(v),
        Bind::Comment(v) => query.bind::<Text, _>(v),
        Bind::Category(v) => query.bind::<Text, _>(v),
        Bind::Tag(v) => query.bind::<Text, _>(v),
        Bind::User(v) => query.bind::<Text, _>(v),
    }
}
