-- Search follows the site's language. FTS5's own stemmer knows English only,
-- so the index holds words Newsdesk has stemmed (`newsdesk_stems`, which
-- every connection of the service registers; writes to `articles` from
-- elsewhere need it too). Contentless: the text lives once, in `articles`,
-- and a row leaves the index by its rowid. The next start fills the index in
-- the configured language and records it in `search_index`
-- (src/db/search/index.rs).
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_insert;
DROP TABLE articles_fts;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, summary, body,
    content = '', contentless_delete = 1,
    -- Accents kept, as PostgreSQL keeps them: both engines find the same stories.
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, summary, body)
    VALUES (new.seq, newsdesk_stems(new.title), newsdesk_stems(new.summary), newsdesk_stems(new.body));
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.seq;
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, body ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.seq;
    INSERT INTO articles_fts (rowid, title, summary, body)
    VALUES (new.seq, newsdesk_stems(new.title), newsdesk_stems(new.summary), newsdesk_stems(new.body));
END;

-- Which stemming the index was built with (one row; none until it is built).
CREATE TABLE search_index (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    stemming TEXT NOT NULL
);
