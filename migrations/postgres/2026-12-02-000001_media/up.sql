-- The media library: one row per stored image (its master, cleaned of
-- metadata, is kept in the media store under `sha256`), with the editorial
-- fields a newsroom needs to publish it.
CREATE TABLE media (
    id          TEXT PRIMARY KEY NOT NULL,
    -- Of the uploaded file: an identical upload finds the item it made.
    sha256      TEXT NOT NULL UNIQUE,
    format      TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    -- The stored master's size.
    bytes       BIGINT NOT NULL,
    alt_text    TEXT NOT NULL DEFAULT '',
    caption     TEXT NOT NULL DEFAULT '',
    credit      TEXT NOT NULL DEFAULT '',
    license     TEXT NOT NULL DEFAULT '',
    -- Thousandths of the width and height from the top left.
    focal_x     INTEGER NOT NULL DEFAULT 500,
    focal_y     INTEGER NOT NULL DEFAULT 500,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
-- The library lists newest first.
CREATE INDEX media_newest ON media (created_at DESC, id DESC);

-- Which articles use which images (as cover or in the body), kept in step
-- by every article write: what "in use" and "used by" answer from.
CREATE TABLE article_media (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id   TEXT NOT NULL REFERENCES media (id),
    PRIMARY KEY (article_id, media_id)
);
CREATE INDEX article_media_media ON article_media (media_id, article_id);

-- A cover from the library; the image's fields an article shows are kept
-- beside it as JSON (like its tags and bylines), so reads stay one query.
ALTER TABLE articles ADD COLUMN cover_media_id TEXT REFERENCES media (id);
ALTER TABLE articles ADD COLUMN cover_media_json TEXT;
-- Which articles an image is the cover of (its edits rewrite their JSON).
CREATE INDEX articles_cover_media ON articles (cover_media_id);
