-- claimgraph schema v8: one actor row per entity; the names it was mentioned by are its aliases
-- ("Putin", "President Putin" -> Vladimir Putin; "NRA" -> National Rifle Association). key is
-- actors.merge.alias_keys: name:<folded name>, surname:<last name> (people), acronym:<initials>
-- (organisations); a surname or acronym key merges only where one actor holds it.

CREATE TABLE actor_aliases (
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    alias TEXT NOT NULL,             -- the name as it was written
    PRIMARY KEY (actor_id, key, alias)
);
CREATE INDEX actor_aliases_key ON actor_aliases(kind, key);
CREATE INDEX actors_wikidata ON actors(wikidata);
INSERT INTO actor_aliases (actor_id, kind, key, alias) SELECT id, kind, 'name:' || lower(name), name FROM actors;
