-- When a story leaves the site (the scheduler archives it) and until when it
-- is breaking news (the scheduler clears the window once it has passed).
ALTER TABLE articles ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE articles ADD COLUMN breaking_until TIMESTAMP;

-- The scheduler's next-due reads and the `breaking` filter: few articles
-- carry either time, so only those are indexed.
CREATE INDEX articles_expiry ON articles (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX articles_breaking ON articles (breaking_until) WHERE breaking_until IS NOT NULL;
