-- Deleted articles, kept whole for the retention window so an editor can
-- bring one back: the article row and everything under it (tags, bylines,
-- revisions, comments, notes, image uses, former slugs) as one JSON
-- snapshot. No read path sees these rows; restoring inserts the snapshot
-- back, and the scheduler purges rows older than the window.
CREATE TABLE article_trash (
    article_id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    comment_count INTEGER NOT NULL,
    deleted_by TEXT NOT NULL REFERENCES users (id),
    deleted_at TIMESTAMP NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE INDEX article_trash_deleted ON article_trash (deleted_at, article_id);
