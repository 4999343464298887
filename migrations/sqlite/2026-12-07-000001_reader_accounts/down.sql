DROP INDEX comment_reports_reporter;
DROP TABLE password_resets;
ALTER TABLE users DROP COLUMN deleted_at;
