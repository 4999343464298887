ALTER TABLE articles DROP COLUMN corrections_json;
DROP TABLE article_corrections;
