//! The search index follows the site's language. PostgreSQL stems with a text
//! search configuration of Newsdesk's own for it (the language's Snowball
//! stemmer, stop words kept), in a generated column; SQLite
//! indexes text that Newsdesk stems itself (FTS5 only knows English), through
//! `newsdesk_stems`, a function every connection registers and the index's
//! triggers call. The `search_index` row records which stemming the index
//! was built with; when the setting changes, the next start rebuilds it.

use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::super::freshness::Key;
use super::super::{DbConn, Engine};
use crate::domain::language::Stemming;

diesel::define_sql_function! {
    /// `text` as the SQLite index holds it: stemmed words, separated by spaces.
    fn newsdesk_stems(text: Text) -> Text;
}

/// Lets the SQLite index's triggers stem in the site's language.
pub fn register(conn: &mut SqliteConnection, stemming: Stemming) -> QueryResult<()> {
    newsdesk_stems_utils::register_impl(conn, move |text: String| stemming.index_text(&text))
}

/// Articles re-indexed per statement while SQLite rebuilds its index.
const REBUILD_BATCH: i64 = 5_000;

/// When a command may rebuild an index built in another language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuild {
    /// `serve` and `migrate`: the setting is the site's language.
    IfLanguageChanged,
    /// Any other command builds an index never built, and refuses to run
    /// against one built in another language: a `newsdesk user create` run
    /// without the site's setting must not re-index the archive in English.
    OnlyIfNeverBuilt,
}

/// Builds the index in `stemming` if it was never built, or (as `rebuild`
/// allows) if it was built with another stemming. Returns whether it did.
pub fn ensure(conn: &mut DbConn, stemming: Stemming, rebuild: Rebuild) -> anyhow::Result<bool> {
    let built = built_with(conn)?;
    match built.as_deref() {
        Some(name) if name == stemming.name() => return Ok(false),
        Some(name) if rebuild == Rebuild::OnlyIfNeverBuilt => anyhow::bail!(
            "the search index is built for `{name}`, this command runs with `{}`: give it the site's \
             --site-language (NEWSDESK_SITE_LANGUAGE), or change the language with `newsdesk migrate`",
            stemming.name()
        ),
        _ => {}
    }
    let started = Instant::now();
    tracing::info!(stemming = stemming.name(), "building the search index for the site's language");
    conn.transaction(|conn| {
        match conn.engine() {
            Engine::Postgres(c) => rebuild_postgres(c, stemming)?,
            Engine::Sqlite(c) => rebuild_sqlite(c, stemming)?,
        }
        // Kept searches (here and on the other instances) are stale.
        conn.changes([Key::Search]);
        Ok(())
    })?;
    let seconds = (started.elapsed().as_secs_f64() * 100.0).round() / 100.0;
    tracing::info!(stemming = stemming.name(), seconds, "search index built");
    Ok(true)
}

#[derive(QueryableByName)]
struct Built {
    #[diesel(sql_type = Text)]
    stemming: String,
}

fn built_with(conn: &mut DbConn) -> QueryResult<Option<String>> {
    let query = diesel::sql_query("SELECT stemming FROM search_index");
    let rows: Vec<Built> = crate::on_backend!(conn, |c| query.load(c))?;
    Ok(rows.into_iter().next().map(|row| row.stemming))
}

/// Replaces the generated column (and its GIN index) with one stemmed by
/// `stemming`, in the caller's transaction: `articles` is locked until it
/// commits. The language's Snowball stemmer gets a configuration of its own
/// without stop words (see [`Stemming::postgres_config`]).
fn rebuild_postgres(conn: &mut PgConnection, stemming: Stemming) -> QueryResult<()> {
    // Instances starting together: the first rebuilds, the others find it done.
    conn.batch_execute("LOCK TABLE search_index IN EXCLUSIVE MODE")?;
    let built: Vec<Built> = diesel::sql_query("SELECT stemming FROM search_index").load(conn)?;
    if built.first().is_some_and(|b| b.stemming == stemming.name()) {
        return Ok(());
    }
    // Names made from a fixed list of languages, never from input.
    let (language, config) = (stemming.name(), stemming.postgres_config());
    conn.batch_execute(
        "DROP INDEX IF EXISTS articles_search; ALTER TABLE articles DROP COLUMN IF EXISTS search_vector;",
    )?;
    if stemming.stems() {
        conn.batch_execute(&format!(
            "DROP TEXT SEARCH CONFIGURATION IF EXISTS {config};
             DROP TEXT SEARCH DICTIONARY IF EXISTS {config};
             CREATE TEXT SEARCH DICTIONARY {config} (TEMPLATE = snowball, Language = {language});
             CREATE TEXT SEARCH CONFIGURATION {config} (COPY = {language});
             ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING REPLACE {language}_stem WITH {config};"
        ))?;
    }
    conn.batch_execute(&format!(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
             setweight(to_tsvector('{config}', title), 'A') ||
             setweight(to_tsvector('{config}', summary), 'B') ||
             setweight(to_tsvector('{config}', body), 'C')
         ) STORED;
         CREATE INDEX articles_search ON articles USING GIN (search_vector);"
    ))?;
    record(conn, stemming)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Empties the FTS5 index and stems every article into it again, a batch at
/// a time, logging progress for a large archive.
fn rebuild_sqlite(conn: &mut SqliteConnection, stemming: Stemming) -> QueryResult<()> {
    register(conn, stemming)?;
    conn.batch_execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")?;
    let total = diesel::sql_query("SELECT count(*) AS n FROM articles").get_result::<Count>(conn)?.n;
    let (mut after, mut done) = (0i64, 0i64);
    loop {
        // Where this batch ends (FTS5 tables take no RETURNING clause).
        let last = diesel::sql_query(
            "SELECT coalesce(max(seq), 0) AS n FROM (SELECT seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?)",
        )
        .bind::<BigInt, _>(after)
        .bind::<BigInt, _>(REBUILD_BATCH)
        .get_result::<Count>(conn)?
        .n;
        if last <= after {
            break;
        }
        done += diesel::sql_query(
            "INSERT INTO articles_fts (rowid, title, summary, body) \
             SELECT seq, newsdesk_stems(title), newsdesk_stems(summary), newsdesk_stems(body) \
             FROM articles WHERE seq > ? AND seq <= ?",
        )
        .bind::<BigInt, _>(after)
        .bind::<BigInt, _>(last)
        .execute(conn)? as i64;
        after = last;
        if total > REBUILD_BATCH {
            tracing::info!(done, of = total, "re-indexing articles");
        }
    }
    record(conn, stemming)
}

fn record(conn: &mut impl SimpleConnection, stemming: Stemming) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "DELETE FROM search_index; INSERT INTO search_index (id, stemming) VALUES (1, '{}')",
        stemming.name()
    ))
}
