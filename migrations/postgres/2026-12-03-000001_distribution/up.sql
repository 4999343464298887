-- Sitemaps number published articles in publication order and read each
-- page as a range from its first article; with the last edit in the index,
-- counting a million articles into pages reads the index alone.
CREATE INDEX articles_sitemap ON articles (status, published_at, id, updated_at);

-- What search engines and social cards show instead of the article's own
-- title, summary, cover and address; unset, those.
ALTER TABLE articles ADD COLUMN seo_title TEXT;
ALTER TABLE articles ADD COLUMN seo_description TEXT;
ALTER TABLE articles ADD COLUMN seo_image_url TEXT;
ALTER TABLE articles ADD COLUMN canonical_url TEXT;

-- The slugs a published article had before its current one: old links
-- keep working (a 301 to the current address).
CREATE TABLE article_slugs (
    slug TEXT PRIMARY KEY NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    retired_at TIMESTAMP NOT NULL
);
CREATE INDEX article_slugs_article ON article_slugs (article_id);

-- The same for sections.
CREATE TABLE category_slugs (
    slug TEXT PRIMARY KEY NOT NULL,
    category_id TEXT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    retired_at TIMESTAMP NOT NULL
);
CREATE INDEX category_slugs_category ON category_slugs (category_id);
