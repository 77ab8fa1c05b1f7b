-- claimgraph schema v7: where a run spent its time, by stage (JSON: seconds for read, parse, extract,
-- wait, store, dedup ...; worker stages summed over the workers), for `claimgraph batch` / `ingest`

ALTER TABLE runs ADD COLUMN timings TEXT;
