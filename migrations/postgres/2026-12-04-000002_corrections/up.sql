-- Corrections and updates under published stories: appended, never edited.
CREATE TABLE article_corrections (
    id TEXT PRIMARY KEY NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX article_corrections_article ON article_corrections (article_id, created_at, id);

-- The notes as the article shows them (JSON, oldest first), kept in step
-- with `article_corrections`, so that a read is still one row.
ALTER TABLE articles ADD COLUMN corrections_json TEXT NOT NULL DEFAULT '[]';
