-- claimgraph schema v1: plain tables named for what they hold; opens in Datasette as is.

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT NOT NULL,
    claimgraph_version TEXT NOT NULL,
    config TEXT NOT NULL,            -- JSON: the resolved pipeline configuration
    read INTEGER NOT NULL DEFAULT 0,
    stored INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    outlet TEXT,
    published TEXT,
    url TEXT,
    language TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    source TEXT,                     -- where it was read from (path or path:line)
    meta TEXT NOT NULL DEFAULT '{}', -- JSON: unknown input keys, steps that ran
    method TEXT NOT NULL,            -- versioned extractor that produced its claims
    run_id INTEGER REFERENCES runs(id),
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,              -- PERSON, ORG, GPE, GROUP, MEDIA
    country TEXT,                    -- ISO3
    sector TEXT,                     -- GOV, MIL, MED, ...
    wikidata TEXT,
    UNIQUE (kind, name)
);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker_text TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_actor_id INTEGER REFERENCES actors(id),
    speaker_name TEXT,               -- the resolved actor's canonical name
    cue_text TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    content TEXT NOT NULL,           -- the content segments joined with " … "
    content_spans TEXT NOT NULL,     -- JSON: [{"text", "start", "end"}, ...]
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed')),
    start_char INTEGER NOT NULL,     -- evidence span of the whole claim
    end_char INTEGER NOT NULL,
    reported_by TEXT NOT NULL DEFAULT '[]', -- JSON: the chain, also in reporting_chain
    confidence REAL NOT NULL,
    method TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX claims_article ON claims(article_id);
CREATE INDEX claims_speaker_actor ON claims(speaker_actor_id);

CREATE TABLE claim_targets (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    PRIMARY KEY (claim_id, start_char)
);
CREATE INDEX claim_targets_actor ON claim_targets(actor_id);

CREATE TABLE reporting_chain (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,       -- 0 = nearest to the speaker
    name TEXT NOT NULL,
    role TEXT NOT NULL,              -- relay (named in the text) or publisher
    start_char INTEGER,
    end_char INTEGER,
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX reporting_chain_name ON reporting_chain(name);

CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    article_id TEXT,                 -- empty when the record could not be read at all
    source TEXT,
    step TEXT NOT NULL,
    code TEXT NOT NULL,
    level TEXT NOT NULL,             -- error (rejected) or warning
    message TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    created_at TEXT NOT NULL,
    UNIQUE (source, code, message)
);

-- full-text search (FTS5), kept in step with triggers; Datasette picks these up
CREATE VIRTUAL TABLE claims_fts USING fts5(content, speaker_text, speaker_name, content='claims');
CREATE TRIGGER claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, content, speaker_text, speaker_name)
    VALUES (new.rowid, new.content, new.speaker_text, new.speaker_name);
END;
CREATE TRIGGER claims_ad AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, content, speaker_text, speaker_name)
    VALUES ('delete', old.rowid, old.content, old.speaker_text, old.speaker_name);
END;
CREATE TRIGGER claims_au AFTER UPDATE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, content, speaker_text, speaker_name)
    VALUES ('delete', old.rowid, old.content, old.speaker_text, old.speaker_name);
    INSERT INTO claims_fts(rowid, content, speaker_text, speaker_name)
    VALUES (new.rowid, new.content, new.speaker_text, new.speaker_name);
END;

CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
