-- Comment moderation: each article's comment settings, accounts trusted to
-- skip pre-moderation, comments held for approval, and readers' reports.
ALTER TABLE articles ADD COLUMN comments_mode TEXT NOT NULL DEFAULT 'open'
    CHECK (comments_mode IN ('open', 'closed', 'premoderated'));
ALTER TABLE users ADD COLUMN trusted BOOLEAN NOT NULL DEFAULT FALSE;

-- A new comment status, `held`.
ALTER TABLE comments DROP CONSTRAINT comments_status_check;
ALTER TABLE comments ADD CONSTRAINT comments_status_check
    CHECK (status IN ('visible', 'hidden', 'deleted', 'held'));
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
