-- claimgraph schema v2: PLOVER events of each claim (its speech act and the event it claims)

ALTER TABLE claims ADD COLUMN events TEXT NOT NULL DEFAULT '[]';

CREATE TABLE claim_events (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,              -- speech_act or claimed
    event TEXT NOT NULL,             -- PLOVER type
    factuality TEXT NOT NULL,        -- asserted, negated, hypothetical
    actor_codes TEXT NOT NULL,       -- space-separated country / IGO codes
    recipient_codes TEXT NOT NULL,
    trigger TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    cameo TEXT,
    confidence REAL NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX claim_events_event ON claim_events(event);
