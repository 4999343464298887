-- Comment moderation: each article's comment settings, accounts trusted to
-- skip pre-moderation, comments held for approval, and readers' reports.
ALTER TABLE articles ADD COLUMN comments_mode TEXT NOT NULL DEFAULT 'open'
    CHECK (comments_mode IN ('open', 'closed', 'premoderated'));
ALTER TABLE users ADD COLUMN trusted BOOLEAN NOT NULL DEFAULT 0;

-- A new comment status, `held`: SQLite cannot change a CHECK constraint in
-- place, so the table is rebuilt (its self-reference follows the rename).
CREATE TABLE comments_moderated (
    id          TEXT PRIMARY KEY NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users (id),
    parent_id   TEXT REFERENCES comments_moderated (id),
    body        TEXT,
    status      TEXT NOT NULL CHECK (status IN ('visible', 'hidden', 'deleted', 'held')),
    reply_count INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    edited_at   TIMESTAMP
);
INSERT INTO comments_moderated (id, article_id, author_id, parent_id, body, status, reply_count, created_at, edited_at)
    SELECT id, article_id, author_id, parent_id, body, status, reply_count, created_at, edited_at FROM comments;
DROP TABLE comments;
ALTER TABLE comments_moderated RENAME TO comments;
CREATE INDEX comments_thread ON comments (article_id, parent_id, created_at, id);
CREATE INDEX comments_replies ON comments (parent_id, created_at, id);
CREATE INDEX comments_author ON comments (author_id, created_at);
-- The moderation queue reads held comments oldest first.
CREATE INDEX comments_held ON comments (created_at, id) WHERE status = 'held';

-- Readers' reports: one per reader per comment, open until an editor
-- approves the comment (dismissing them) or hides it.
CREATE TABLE comment_reports (
    id          TEXT PRIMARY KEY NOT NULL,
    comment_id  TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reporter_id TEXT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL CHECK (reason IN ('spam', 'abuse', 'off_topic', 'other')),
    note        TEXT,
    created_at  TIMESTAMP NOT NULL,
    closed_at   TIMESTAMP,
    UNIQUE (comment_id, reporter_id)
);
CREATE INDEX comment_reports_open ON comment_reports (comment_id) WHERE closed_at IS NULL;
