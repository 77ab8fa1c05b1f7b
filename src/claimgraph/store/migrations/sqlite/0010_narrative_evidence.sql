-- claimgraph schema v10: the evidence behind an article's taxonomy labels (the sentences that weigh
-- most for each label, with their offsets, as JSON), and the labels each claim inherits from it (a
-- claim whose span overlaps a label's evidence).

CREATE TABLE article_narrative_evidence (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    taxonomy TEXT NOT NULL,
    label TEXT NOT NULL,
    evidence TEXT NOT NULL,          -- JSON list of {start, end, text, weight, claim_ids}
    PRIMARY KEY (article_id, taxonomy, label)
);

CREATE TABLE claim_narrative_labels (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    taxonomy TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (claim_id, taxonomy, label)
);
CREATE INDEX claim_narrative_labels_label ON claim_narrative_labels(label);
