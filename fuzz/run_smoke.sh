#!/usr/bin/env bash
# fuzz/run_smoke.sh BINARY SEED_DIR WORK_DIR SECONDS: one fuzz smoke test
# (fuzz/smoke_tests.cmake). Replays every seed in SEED_DIR, then fuzzes for
# SECONDS; new inputs go to WORK_DIR (never into the repository's seeds),
# and so does any crashing input. Fails when the target is missing.
set -euo pipefail
binary="$1" seeds="$2" work="$3" seconds="$4"
if [[ ! -x "$binary" ]]; then
  echo "missing: the libFuzzer target ${binary} (clang build in build/fuzz:" \
    "run scripts/test or scripts/fuzz, which build it; Debian packages" \
    "clang-14 libfuzzer-14-dev libclang-rt-14-dev)" >&2
  exit 1
fi
if [[ ! -d "$seeds" ]] || [[ -z "$(ls -A "$seeds")" ]]; then
  echo "missing: seed corpus ${seeds}" >&2
  exit 1
fi
rm -rf "${work}"
mkdir -p "${work}/corpus" "${work}/artifacts"
# Leaks in a parser are bugs too; abort_on_error makes a crash unmistakable.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:${ASAN_OPTIONS}}"
# Exit 1 on any finding: libFuzzer's default, 77, is the skip code of this
# project's tests (tests/CMakeLists.txt).
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -artifact_prefix="${work}/artifacts/" -print_final_stats=1 \
  "${work}/corpus" "$seeds"
