-- Which stemming `articles.search_vector` is generated with. Empty here: the
-- next start builds the column in the site's language, with a text search
-- configuration of Newsdesk's own (the Snowball stemmer without stop words,
-- as on SQLite), and records it (src/db/search/index.rs).
CREATE TABLE search_index (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    stemming TEXT NOT NULL
);
