-- claimgraph schema v6: articles looked up by the versioned method that made their claims
-- (`claimgraph articles --stale`, `claimgraph reprocess`, and ingest's warning about stale claims)

CREATE INDEX articles_method ON articles(method);
