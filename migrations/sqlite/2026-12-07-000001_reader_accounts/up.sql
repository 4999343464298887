-- Reader accounts. A deleted account keeps its row, so that its comments
-- stay in their threads as tombstones and the audit log's references hold,
-- but nothing personal: deleted_at marks it, and its address, name, bio and
-- password are erased.
ALTER TABLE users ADD COLUMN deleted_at TIMESTAMP;

-- One-time password-reset links an admin issues. Only the token's SHA-256
-- is kept; a row is removed when used, replaced by a newer one, or expired.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- A user's export lists the reports they filed.
CREATE INDEX comment_reports_reporter ON comment_reports (reporter_id);
