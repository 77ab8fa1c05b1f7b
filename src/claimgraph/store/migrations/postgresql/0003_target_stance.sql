-- claimgraph schema v3: the speaker's stance toward each target of a claim

ALTER TABLE claim_targets ADD COLUMN stance text CHECK (stance IN ('negative', 'neutral', 'positive'));
CREATE INDEX claim_targets_stance ON claim_targets(stance);
