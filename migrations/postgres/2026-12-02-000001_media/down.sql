DROP INDEX articles_cover_media;
ALTER TABLE articles DROP COLUMN cover_media_json;
ALTER TABLE articles DROP COLUMN cover_media_id;
DROP TABLE article_media;
DROP TABLE media;
