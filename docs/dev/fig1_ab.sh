#!/usr/bin/env bash
# docs/dev/fig1_ab.sh OLD_BUILD_DIR NEW_BUILD_DIR [ROUNDS]: figure 1 of
# docs/PERFORMANCE.md (relay cost at 50 sessions x 25 fps, passthrough AI)
# for two Release builds side by side, alternating per round, each run with
# a fresh server and a fresh passthrough AI (which sends no capacity, so
# AI credits play no part). Uses the PostgreSQL, Redis, demo token and post
# of the stack ./scripts/run started; the server under test listens on
# 127.0.0.1:8100, the AI on 127.0.0.1:8012. Prints one line per run.
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd -P)"
old="$1" new="$2" rounds="${3:-3}"
# shellcheck disable=SC1091
source "${repo}/var/run/stack.env"
token="$(cat "${repo}/var/run/demo-token")"
post="$(tr -dc '0-9' <"${repo}/var/run/demo-post-id")"
bench="${new}/bench/tryon-bench"
out="${repo}/var/bench/fig1-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
cleanup() { kill "${srv:-}" "${ai:-}" 2>/dev/null || true; }
trap cleanup EXIT

run() { # label build_dir round
  local label="$1" dir="$2" r="$3"
  "${new}/ai_service/tryon-ai" --listen 127.0.0.1 --port 8012 --passthrough \
    --capacity 0 >"${out}/ai-${label}-${r}.log" 2>&1 &
  ai=$!
  TRYON_PORT=8100 TRYON_AI_SERVICE_URL=ws://127.0.0.1:8012/ws/tryon \
    TRYON_PUBLIC_URL=http://127.0.0.1:8100 TRYON_ADMIN_PORT=0 \
    "${dir}/apps/tryon-server" >"${out}/server-${label}-${r}.log" 2>&1 &
  srv=$!
  for _ in $(seq 100); do
    curl -fsS --max-time 1 http://127.0.0.1:8100/healthz >/dev/null 2>&1 && break
    sleep 0.2
  done
  "$bench" stream --url http://127.0.0.1:8100 --token "$token" --post-id "$post" \
    --server-pid "$srv" --ai-pid "$ai" --sessions 50 --fps 25 --duration 30 \
    --json "${out}/${label}-${r}.json" >"${out}/${label}-${r}.txt" 2>&1
  kill "$srv" "$ai"
  wait "$srv" "$ai" 2>/dev/null || true
  python3 - "${out}/${label}-${r}.json" "$label" "$r" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
s = j["processes"]["server"]
print(f"{sys.argv[2]} round {sys.argv[3]}: server {s['cpu_us_per_frame']:.0f} us/frame, "
      f"p50 {j['latency_ms']['p50']:.2f} p99 {j['latency_ms']['p99']:.2f} ms, "
      f"processed {j['frames']['processed']} dropped {j['frames']['dropped']}")
PY
}

for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then run old "$old" "$r"; run new "$new" "$r"; else
    run new "$new" "$r"; run old "$old" "$r"; fi
done
echo "reports in ${out}"
