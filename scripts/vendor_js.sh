#!/usr/bin/env bash
# Bundles the web UI's graph library into the package (no CDN at run time): Cytoscape.js, a pinned
# version from the npm registry, its minified build and its licence copied to web/static/vendor/.
# Rerun after changing CYTOSCAPE_VERSION; the checksum printed at the end goes in vendor/README.
set -euo pipefail
CYTOSCAPE_VERSION=3.35.0
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/claimgraph/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "cytoscape@$CYTOSCAPE_VERSION" >/dev/null && tar -xzf "cytoscape-$CYTOSCAPE_VERSION.tgz")
mkdir -p "$dest"
cp "$work/package/dist/cytoscape.min.js" "$dest/cytoscape.min.js"
cp "$work/package/LICENSE" "$dest/cytoscape.LICENSE"
sha256sum "$dest/cytoscape.min.js" | sed "s|$dest/||"
