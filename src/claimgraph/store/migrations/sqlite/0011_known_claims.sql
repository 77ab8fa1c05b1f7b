-- claimgraph schema v11: fact-checkers' two questions (issue 19). Known claims (catalogues of
-- fact-checks and disinformation cases, with their MiniLM vectors so that matching new claims does
-- not embed the catalogue again), each stored claim's best matches among them, and each claim's
-- check-worthiness.

CREATE TABLE known_claims (
    collection TEXT NOT NULL,        -- the catalogue's name (`claimgraph known import --collection`)
    id TEXT NOT NULL,                -- the catalogue's own id (a URL for EUvsDisinfo and ClaimReview)
    claim TEXT NOT NULL,
    title TEXT,
    subtitle TEXT,
    date TEXT,                       -- ISO date it was checked or catalogued
    url TEXT,
    verdict TEXT,
    extra TEXT NOT NULL,             -- JSON: the catalogue's other columns
    vectors BLOB,                    -- float16 MiniLM vectors of claim, title, subtitle (3 x 384, little-endian)
    vector_method TEXT,              -- the embedder that made them
    content_hash TEXT NOT NULL,      -- re-importing an unchanged row changes nothing
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (collection, id)
);

CREATE TABLE claim_matches (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,       -- 0: the best match
    collection TEXT NOT NULL,
    known_id TEXT NOT NULL,
    score REAL NOT NULL,             -- the re-ranker's probability that the claim repeats the known one
    later INTEGER NOT NULL,          -- 1: the known claim is dated after the claim's article
    method TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, position),
    FOREIGN KEY (collection, known_id) REFERENCES known_claims(collection, id) ON DELETE CASCADE
);
CREATE INDEX claim_matches_score ON claim_matches(score);

-- in [0, 1]; NULL: made before check-worthiness
ALTER TABLE claims ADD COLUMN checkworthy REAL;
CREATE INDEX claims_checkworthy ON claims(checkworthy);
