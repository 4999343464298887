DROP TABLE comment_reports;
DROP INDEX comments_held;
-- Held comments were never public: they go back as hidden ones.
UPDATE comments SET status = 'hidden' WHERE status = 'held';
CREATE TABLE comments_unmoderated (
    id          TEXT PRIMARY KEY NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users (id),
    parent_id   TEXT REFERENCES comments_unmoderated (id),
    body        TEXT,
    status      TEXT NOT NULL CHECK (status IN ('visible', 'hidden', 'deleted')),
    reply_count INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    edited_at   TIMESTAMP
);
INSERT INTO comments_unmoderated (id, article_id, author_id, parent_id, body, status, reply_count, created_at, edited_at)
    SELECT id, article_id, author_id, parent_id, body, status, reply_count, created_at, edited_at FROM comments;
DROP TABLE comments;
ALTER TABLE comments_unmoderated RENAME TO comments;
CREATE INDEX comments_thread ON comments (article_id, parent_id, created_at, id);
CREATE INDEX comments_replies ON comments (parent_id, created_at, id);
CREATE INDEX comments_author ON comments (author_id, created_at);
ALTER TABLE users DROP COLUMN trusted;
ALTER TABLE articles DROP COLUMN comments_mode;
