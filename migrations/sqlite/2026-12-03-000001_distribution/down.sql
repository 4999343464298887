DROP TABLE category_slugs;
DROP TABLE article_slugs;
ALTER TABLE articles DROP COLUMN canonical_url;
ALTER TABLE articles DROP COLUMN seo_image_url;
ALTER TABLE articles DROP COLUMN seo_description;
ALTER TABLE articles DROP COLUMN seo_title;
DROP INDEX articles_sitemap;
