#!/usr/bin/env bash
# web_unit_test: the browser client's pure modules (web/js/hints.js) under
# node's own test runner (node --test). Needs node >= 20.19 or >= 22.7,
# which load web/js/*.js as ES modules without a package.json saying so.
# A missing or older node fails the test (never a skip).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
node="${TRYON_NODE:-node}"
if ! command -v "$node" >/dev/null; then
  echo "FAIL: missing real part: ${node} (Debian package nodejs; TRYON_NODE picks another)" >&2
  exit 1
fi
version="$("$node" -p 'process.versions.node')" || exit 1
IFS=. read -r major minor _ <<<"$version"
if ! ((major > 22 || (major == 22 && minor >= 7) || (major == 20 && minor >= 19))); then
  echo "FAIL: node ${version} is too old for web_unit_test (needs >= 20.19 or >= 22.7)" >&2
  exit 1
fi
exec "$node" --test "${here}/hints.test.mjs"
