-- Preview links: whoever holds one reads the article's current text before
-- it is public, until it expires or is revoked. Only the token's SHA-256 is
-- kept, so a copy of the database opens no preview.
CREATE TABLE article_previews (
    id TEXT PRIMARY KEY NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX article_previews_article ON article_previews (article_id);
