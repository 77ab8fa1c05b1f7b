"""The web UI: static pages that read only from the REST API (served by ``claimgraph serve``)."""
