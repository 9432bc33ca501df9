#!/usr/bin/env bash
# Vendor the browser build of tus-js-client (the tus resumable upload client the upload page uses) from the npm
# registry into web/static/vendor/, with its licence and a note of the version and checksums.
# Run again after changing TUS_JS_VERSION; the page serves only these files, never anything from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

TUS_JS_VERSION="${TUS_JS_VERSION:-4.3.1}"
DEST=web/static/vendor
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "tus-js-client@${TUS_JS_VERSION}" >/dev/null)
tarball="$work/tus-js-client-${TUS_JS_VERSION}.tgz"
# The integrity the registry publishes for this version, checked against the tarball received.
expected="$(npm view "tus-js-client@${TUS_JS_VERSION}" dist.integrity)"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$expected" != "$actual" ]]; then
  echo "vendor_js: integrity mismatch for tus-js-client@${TUS_JS_VERSION}: $actual != $expected" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"

mkdir -p "$DEST"
cp "$work/package/dist/tus.min.js" "$DEST/tus.min.js"
cp "$work/package/LICENSE" "$DEST/tus-js-client.LICENSE"
{
  echo "tus-js-client ${TUS_JS_VERSION} (npm), dist/tus.min.js and LICENSE, vendored by scripts/vendor_js.sh"
  echo "tarball integrity: ${actual}"
  echo "tus.min.js sha256: $(sha256sum "$DEST/tus.min.js" | cut -d' ' -f1)"
} >"$DEST/VERSION.txt"
echo "vendor_js: tus-js-client ${TUS_JS_VERSION} in $DEST"
