DROP TABLE comment_reports;
DROP INDEX comments_held;
-- Held comments were never public: they go back as hidden ones.
UPDATE comments SET status = 'hidden' WHERE status = 'held';
ALTER TABLE comments DROP CONSTRAINT comments_status_check;
ALTER TABLE comments ADD CONSTRAINT comments_status_check CHECK (status IN ('visible', 'hidden', 'deleted'));
ALTER TABLE users DROP COLUMN trusted;
ALTER TABLE articles DROP COLUMN comments_mode;
