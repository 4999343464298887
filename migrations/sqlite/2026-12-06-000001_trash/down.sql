DROP TABLE article_trash;
