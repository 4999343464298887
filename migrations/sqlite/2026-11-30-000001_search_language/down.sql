DROP TABLE search_index;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_insert;
DROP TABLE articles_fts;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, summary, body,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, summary, body) VALUES (new.seq, new.title, new.summary, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, summary, body) VALUES ('delete', old.seq, old.title, old.summary, old.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, summary, body) VALUES ('delete', old.seq, old.title, old.summary, old.body);
    INSERT INTO articles_fts (rowid, title, summary, body) VALUES (new.seq, new.title, new.summary, new.body);
END;
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
