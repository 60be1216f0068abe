#!/usr/bin/env bash
# Vendors the built front-end assets the pages use into src/aspa/static/vendor/, so that
# running Aspa needs no Node.js and no build step: the files are committed.
#
#   scripts/vendor_assets.sh            # the pinned versions below
#   HDS_VERSION=5.2.2 HTMX_VERSION=2.0.11 BPMNJS_VERSION=18.31.1 scripts/vendor_assets.sh
#
# Packages come from the npm registry with `npm pack` (no install, no scripts run).
# htmx stays on 2.x: 4.x changes attribute inheritance and events, and the pages are
# written for 2.x. The Helsinki Grotesk font is not vendored: HDS loads it from the city's
# own CDN, which our Content-Security-Policy does not allow; the pages fall back to the
# system sans-serif.
set -euo pipefail

HDS_VERSION="${HDS_VERSION:-5.2.2}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
# bpmn-js: the navigated viewer (zoom and pan, no editing) shows processes in the admin.
BPMNJS_VERSION="${BPMNJS_VERSION:-18.31.1}"
# The icons the pages use; the full icon set is 200 kB, these few are a couple of kB.
HDS_ICONS=(angle-down angle-up arrow-right globe user signout signin alert-circle check-circle info-circle)

root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/src/aspa/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "hds-core@$HDS_VERSION" "htmx.org@$HTMX_VERSION" "bpmn-js@$BPMNJS_VERSION" >/dev/null
mkdir hds htmx bpmn-js
tar -xzf "hds-core-$HDS_VERSION.tgz" -C hds
tar -xzf "htmx.org-$HTMX_VERSION.tgz" -C htmx
tar -xzf "bpmn-js-$BPMNJS_VERSION.tgz" -C bpmn-js

rm -rf "$target"
mkdir -p "$target/hds" "$target/htmx" "$target/bpmn-js"

hds="hds/package/lib"
cp "$hds/base.min.css" "$target/hds/base.min.css"
cp "$hds/components/all.min.css" "$target/hds/components.min.css"
cp "$hds/utils/helpers.min.css" "$target/hds/helpers.min.css"
{
    cat "$hds/icons/icon.min.css"
    for icon in "${HDS_ICONS[@]}"; do
        echo
        cat "$hds/icons/$icon.min.css"
    done
    echo
} >"$target/hds/icons.min.css"
# Source-map comments point to files we do not ship; browsers would ask for them in vain.
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##g' "$target"/hds/*.css
cp hds/package/LICENSE "$target/hds/LICENSE"

cp htmx/package/dist/htmx.min.js "$target/htmx/htmx.min.js"
cp htmx/package/LICENSE "$target/htmx/LICENSE"

cp bpmn-js/package/dist/bpmn-navigated-viewer.production.min.js "$target/bpmn-js/bpmn-navigated-viewer.production.min.js"
cp bpmn-js/package/dist/assets/diagram-js.css bpmn-js/package/dist/assets/bpmn-js.css "$target/bpmn-js/"
cp bpmn-js/package/LICENSE "$target/bpmn-js/LICENSE"

{
    echo "# Vendored by scripts/vendor_assets.sh from the npm registry; do not edit by hand."
    echo "hds-core $HDS_VERSION (MIT) hds/"
    echo "htmx.org $HTMX_VERSION (0BSD) htmx/"
    echo "bpmn-js $BPMNJS_VERSION (MIT with the bpmn.io watermark clause) bpmn-js/"
    echo "hds icons: ${HDS_ICONS[*]}"
    echo
    echo "# sha256"
    (cd "$target" && find . -type f ! -name VERSIONS ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum)
} >"$target/VERSIONS"

echo "Vendored hds-core $HDS_VERSION, htmx.org $HTMX_VERSION and bpmn-js $BPMNJS_VERSION into ${target#"$root"/}"
