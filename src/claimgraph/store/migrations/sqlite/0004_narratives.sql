-- claimgraph schema v4: narratives. Discovered ones (claims grouped incrementally, with the state
-- that lets new claims join without re-clustering, and the analysts' edits), and named ones
-- (taxonomy labels of articles).

CREATE TABLE narratives (
    id TEXT PRIMARY KEY,             -- stable: made from the id of its first claim
    name TEXT,                       -- given by an analyst (`claimgraph narratives name`)
    label TEXT NOT NULL,             -- content of its most central claim so far
    exemplar_claim_id TEXT,
    exemplar_score REAL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
    merged_into TEXT,
    first_seen TEXT,                 -- ISO date of its earliest claim
    last_seen TEXT,                  -- ISO date of its latest claim
    centroid BLOB,                   -- float32 sum of its claims' vectors (little-endian)
    method TEXT NOT NULL,            -- embedder that made the vectors
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX narratives_status ON narratives(status);

CREATE TABLE claim_narratives (
    claim_id TEXT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    narrative_id TEXT NOT NULL REFERENCES narratives(id),
    similarity REAL,                 -- cosine to the narrative's centroid when it joined
    assigned_at TEXT NOT NULL,
    method TEXT NOT NULL             -- "auto", or "edit" when an analyst moved it
);
CREATE INDEX claim_narratives_narrative ON claim_narratives(narrative_id);

CREATE TABLE narrative_edits (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('name', 'merge', 'split')),
    args TEXT NOT NULL,              -- JSON
    created_at TEXT NOT NULL
);

CREATE TABLE narrative_state (
    key TEXT PRIMARY KEY,            -- "embedder", "embedder_state", "settings", "clock"
    value TEXT NOT NULL              -- JSON
);

CREATE TABLE article_narratives (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    taxonomy TEXT NOT NULL,
    label TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('narrative', 'subnarrative')),
    score REAL,
    method TEXT NOT NULL,
    PRIMARY KEY (article_id, taxonomy, label)
);
CREATE INDEX article_narratives_label ON article_narratives(label);
