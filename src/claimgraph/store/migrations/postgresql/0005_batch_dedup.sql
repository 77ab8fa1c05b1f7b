-- claimgraph schema v5: resumable batches and near-duplicate stories (wire copies, re-publications)

-- records a batch run has accounted for (stored, unchanged or a duplicate id), so that a rerun of a
-- killed batch knows which ids it already saw; a batch that finishes clears its own rows
CREATE TABLE batch_seen (
    run_id BIGINT NOT NULL REFERENCES runs(id),
    article_id TEXT NOT NULL,
    PRIMARY KEY (run_id, article_id)
);
CREATE INDEX batch_seen_article ON batch_seen(article_id);

ALTER TABLE runs ADD COLUMN duplicate INTEGER NOT NULL DEFAULT 0;
-- the batch job key: the same command on the same inputs
ALTER TABLE runs ADD COLUMN job TEXT;
CREATE INDEX runs_job ON runs(job);

-- MinHash signature of each stored article and the story it belongs to
CREATE TABLE article_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL UNIQUE,       -- order in which articles joined the index (first = original)
    num_perm INTEGER NOT NULL,
    signature BYTEA NOT NULL,         -- num_perm little-endian uint32 minima
    story_id TEXT NOT NULL,           -- id of the story's original (first stored) article; itself if original
    similarity DOUBLE PRECISION NOT NULL          -- estimated Jaccard similarity to the matched article (1 for originals)
);
CREATE INDEX article_signatures_story ON article_signatures(story_id, seq);

-- LSH band hashes: candidates for a new article are the articles sharing one band hash with it.
-- Rows point to the signature by its integer seq, not the article id: 25 rows an article stay small.
CREATE TABLE article_bands (
    band INTEGER NOT NULL,
    hash BIGINT NOT NULL,             -- 63-bit hash of the band's minima
    seq BIGINT NOT NULL REFERENCES article_signatures(seq) ON DELETE CASCADE
);
CREATE INDEX article_bands_hash ON article_bands(band, hash);
CREATE INDEX article_bands_seq ON article_bands(seq);
