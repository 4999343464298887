DROP INDEX articles_breaking;
DROP INDEX articles_expiry;
ALTER TABLE articles DROP COLUMN breaking_until;
ALTER TABLE articles DROP COLUMN expires_at;
