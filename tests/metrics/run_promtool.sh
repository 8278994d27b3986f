#!/usr/bin/env bash
# run_promtool.sh ARGS...: runs promtool ARGS (ctest: prometheus_rules_*),
# failing with the package to install when promtool is missing.
set -euo pipefail
tool="${TRYON_PROMTOOL:-$(command -v promtool || true)}"
if [[ -z "$tool" || ! -x "$tool" ]]; then
  echo "missing: promtool (Debian package prometheus; scripts/test installs it)" >&2
  exit 1
fi
exec "$tool" "$@"
