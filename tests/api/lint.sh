#!/usr/bin/env bash
# api_lint_test: lints docs/api/openapi.yaml with Redocly CLI (rules in
# tests/api/redocly.yaml, warnings fail too) and docs/api/asyncapi.yaml
# with @asyncapi/parser. The npm packages come from tests/api/package-lock.json
# (scripts/test runs npm ci); missing ones fail the test.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
docs="${here}/../../docs/api"
missing=()
for need in node_modules/.bin/redocly node_modules/@asyncapi/parser/package.json; do
  [[ -e "${here}/${need}" ]] || missing+=("tests/api/${need} (scripts/test installs it: npm ci in tests/api)")
done
command -v node >/dev/null || missing+=("node (Debian package nodejs)")
if ((${#missing[@]} > 0)); then
  # As tests/support/real_parts.hpp: fail, unless skipping was asked for
  # locally (exit 77, ctest's SKIP_RETURN_CODE).
  if [[ "${TRYON_TEST_ALLOW_SKIP:-}" == 1 ]]; then
    echo "SKIP: missing real part: ${missing[*]}" >&2
    exit 77
  fi
  echo "FAIL: missing real part: ${missing[*]}" >&2
  exit 1
fi
status=0
# Offline and quiet: no telemetry, no update check.
out="$(cd "$here" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1 \
  node_modules/.bin/redocly lint --config redocly.yaml --format=stylish "${docs}/openapi.yaml" 2>&1)"
rc=$?
printf '%s\n' "$out" | grep -vE '^ *[║╔╚]'
if ((rc != 0)) || grep -qE '^ +[0-9]+:[0-9]+ +(error|warning) ' <<<"$out"; then
  echo "FAIL: docs/api/openapi.yaml has lint problems" >&2
  status=1
fi
(cd "$here" && node lint_asyncapi.mjs "${docs}/asyncapi.yaml") || status=1
exit "$status"
