-- claimgraph schema v2: PLOVER events of each claim (its speech act and the event it claims)

ALTER TABLE claims ADD COLUMN events text NOT NULL DEFAULT '[]';

CREATE TABLE claim_events (
    claim_id text NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position integer NOT NULL,
    role text NOT NULL,              -- speech_act or claimed
    event text NOT NULL,             -- PLOVER type
    factuality text NOT NULL,        -- asserted, negated, hypothetical
    actor_codes text NOT NULL,       -- space-separated country / IGO codes
    recipient_codes text NOT NULL,
    trigger text NOT NULL,
    start_char integer NOT NULL,
    end_char integer NOT NULL,
    cameo text,
    confidence double precision NOT NULL,
    method text NOT NULL,
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX claim_events_event ON claim_events(event);
