-- claimgraph schema v9: the claim's speaker is an unnamed source ("officials familiar with the matter")

ALTER TABLE claims ADD COLUMN speaker_anonymous INTEGER NOT NULL DEFAULT 0;
CREATE INDEX claims_speaker_anonymous ON claims(speaker_anonymous);
