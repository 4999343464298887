-- Newsdesk content model, PostgreSQL flavour. Same tables and names as the SQLite
-- tree: timestamps are UTC `timestamp`, ids are UUIDv7 text (sorted by creation).

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    display_name  TEXT NOT NULL,
    bio           TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('reader', 'author', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  TIMESTAMP NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Secrets the service generates for itself when none is configured (the JWT
-- signing key of a development run), so that restarts keep sessions valid.
CREATE TABLE app_secrets (
    name       TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id          TEXT PRIMARY KEY NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    parent_id   TEXT REFERENCES categories (id),
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE tags (
    id         TEXT PRIMARY KEY NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE articles (
    id                   TEXT PRIMARY KEY NOT NULL,
    slug                 TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    summary              TEXT NOT NULL DEFAULT '',
    cover_image_url      TEXT,
    cover_image_caption  TEXT,
    category_id          TEXT NOT NULL REFERENCES categories (id),
    status               TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'scheduled', 'published', 'archived')),
    featured             BOOLEAN NOT NULL DEFAULT FALSE,
    published_at         TIMESTAMP,
    scheduled_at         TIMESTAMP,
    created_by           TEXT NOT NULL REFERENCES users (id),
    created_at           TIMESTAMP NOT NULL,
    -- Who last changed the article, and when: a revision records both when
    -- the content is replaced.
    updated_by           TEXT NOT NULL REFERENCES users (id),
    updated_at           TIMESTAMP NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1,
    reading_time_minutes INTEGER NOT NULL DEFAULT 1,
    comment_count        INTEGER NOT NULL DEFAULT 0,
    -- The article's tags and bylines as the APIs show them ([{id, slug, name}],
    -- [{id, display_name}]), kept in step with article_tags, article_authors,
    -- tag names and display names by the service layer: a page of the feed is
    -- then one indexed query. The link tables stay the source of truth and
    -- serve the filters.
    tags_json            TEXT NOT NULL DEFAULT '[]',
    authors_json         TEXT NOT NULL DEFAULT '[]',
    -- The bodies come last: a list reads every column before them without
    -- following their overflow pages.
    body                 TEXT NOT NULL DEFAULT '',
    body_html            TEXT NOT NULL DEFAULT ''
);
-- The public feed and every filter walk (published_at, id) in descending order.
CREATE INDEX articles_feed ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_category_feed ON articles (category_id, status, published_at DESC, id DESC);
CREATE INDEX articles_featured_feed ON articles (featured, status, published_at DESC, id DESC);
CREATE INDEX articles_scheduled ON articles (status, scheduled_at);
CREATE INDEX articles_staff ON articles (status, created_at DESC, id DESC);

CREATE TABLE article_tags (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

CREATE TABLE article_authors (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX article_authors_user ON article_authors (user_id, article_id);

CREATE TABLE revisions (
    id         TEXT PRIMARY KEY NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    BIGINT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    body       TEXT NOT NULL,
    editor_id  TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (article_id, version)
);

CREATE TABLE comments (
    id          TEXT PRIMARY KEY NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users (id),
    parent_id   TEXT REFERENCES comments (id),
    body        TEXT,
    status      TEXT NOT NULL CHECK (status IN ('visible', 'hidden', 'deleted')),
    reply_count INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    edited_at   TIMESTAMP
);
CREATE INDEX comments_thread ON comments (article_id, parent_id, created_at, id);
CREATE INDEX comments_replies ON comments (parent_id, created_at, id);
CREATE INDEX comments_author ON comments (author_id, created_at);

-- Full-text search: a weighted tsvector kept by the database itself, GIN-indexed.
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', body), 'C')
) STORED;
CREATE INDEX articles_search ON articles USING GIN (search_vector);
