-- Back to the first migration's English column.
DROP TABLE search_index;
DROP INDEX IF EXISTS articles_search;
ALTER TABLE articles DROP COLUMN IF EXISTS search_vector;
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', body), 'C')
) STORED;
CREATE INDEX articles_search ON articles USING GIN (search_vector);
