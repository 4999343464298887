-- Which text search configuration `articles.search_vector` was generated
-- with; a start with another site language rebuilds it
-- (src/db/search/index.rs). The first migration built it in English.
CREATE TABLE search_index (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    stemming TEXT NOT NULL
);
INSERT INTO search_index (id, stemming) VALUES (1, 'english');
