//! Facets: how many of the articles a list or a search matches fall in each
//! section and in each month, counted in one grouped statement over every
//! match (not only the page shown).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{conditions, fts5_all, tsquery};
use crate::db::repo::articles::Filter;
use crate::db::sql::{Bind, Statement};
use crate::db::{Backend, DbConn};
use crate::domain::CategoryId;
use crate::error::AppResult;

/// The matches of one section in one month (`YYYY-MM`, UTC).
#[derive(Debug, QueryableByName)]
pub struct FacetCount {
    #[diesel(sql_type = Text)]
    pub section: CategoryId,
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// Counts the articles matching `filter` (and `words`, if any) by section
/// and month: published articles by the month they were published, others
/// by the month they were created.
pub fn count(conn: &mut DbConn, words: &[String], filter: &Filter) -> AppResult<Vec<FacetCount>> {
    let stemming = conn.stemming();
    let mut st = Statement::new(conn);
    let month = match st.backend() {
        Backend::Sqlite => "substr(coalesce(a.published_at, a.created_at), 1, 7)",
        Backend::Postgres => "to_char(coalesce(a.published_at, a.created_at), 'YYYY-MM')",
    };
    let select = format!("SELECT a.category_id AS section, {month} AS month, count(*) AS count");
    st.sql = match (st.backend(), words.is_empty()) {
        (_, true) => format!("{select} FROM articles a WHERE 1 = 1"),
        (Backend::Sqlite, false) => {
            let p = st.push(Bind::Text(fts5_all(words, stemming)));
            format!(
                "{select} FROM articles_fts CROSS JOIN articles a ON a.seq = articles_fts.rowid \
                 WHERE articles_fts MATCH {p}"
            )
        }
        (Backend::Postgres, false) => {
            // A name made from a fixed list of languages.
            let config = stemming.postgres_config();
            let p = st.push(Bind::Text(tsquery(words, "")));
            format!("{select} FROM articles a WHERE a.search_vector @@ to_tsquery('{config}', {p})")
        }
    };
    conditions(&mut st, filter);
    st.sql.push_str(" GROUP BY 1, 2");
    st.load(conn)
}
