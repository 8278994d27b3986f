#!/usr/bin/env bash
# bench/credits/ab.sh: AI credits on and off, side by side, on the stack of
# ./scripts/run (same build; TRYON_AI_CREDITS=1 / 0 restarts the stack with
# ./scripts/run between runs). For each round and each session count, one
# run with credits on and one off, the order alternating per round; then a
# table of medians: fps processed per session, total fps, latency p50/p99
# (send -> processed image), drop rate, the renderer's own time per frame and
# AI utilisation (render seconds from tryon-ai's /metrics over the run /
# (wall time x workers)).
#
#   bench/credits/ab.sh [--sessions "4 16 32"] [--rounds 3] [--duration 20]
#                       [--fps 25] [--out DIR]
#
# Loopback only; bounded: rounds x counts x 2 runs of --duration seconds.
set -euo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd -P)"
sessions="4 16 32"
rounds=3
duration=20
fps=25
out="${repo}/var/bench/credits-$(date -u +%Y%m%d-%H%M%S)"
while (($# > 0)); do
  case "$1" in
  --sessions) sessions="$2"; shift 2 ;;
  --rounds) rounds="$2"; shift 2 ;;
  --duration) duration="$2"; shift 2 ;;
  --fps) fps="$2"; shift 2 ;;
  --out) out="$2"; shift 2 ;;
  -h | --help) sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "ab.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
ai_metrics="http://127.0.0.1:${TRYON_AI_PORT:-8002}/metrics"

# metric NAME: its value in tryon-ai's /metrics now.
metric() {
  curl -fsS --max-time 5 "$ai_metrics" | awk -v n="$1" '$1 == n { print $2 }'
}

start_stack() { # credits: 1 or 0
  TRYON_AI_CREDITS="$1" TRYON_MAX_LIVE_SESSIONS_PER_USER=0 \
    TRYON_SESSIONS_PER_MINUTE=0 "${repo}/scripts/run" >"${out}/run.log" 2>&1 ||
    { tail -20 "${out}/run.log" >&2; echo "ab.sh: ./scripts/run failed" >&2; exit 1; }
}

one_run() { # round sessions credits
  local r="$1" n="$2" c="$3" name t0 t1 s0 s1 workers
  name="n${n}-credits${c}-r${r}"
  start_stack "$c"
  sleep 2 # the AI links connect and hear the capacity
  s0="$(metric tryon_ai_frame_duration_seconds_sum)"
  t0="$(date +%s.%N)"
  "${repo}/scripts/bench" stream --sessions "$n" --fps "$fps" \
    --duration "$duration" --json "${out}/${name}.json" >"${out}/${name}.txt"
  t1="$(date +%s.%N)"
  s1="$(metric tryon_ai_frame_duration_seconds_sum)"
  workers="$(metric tryon_ai_workers)"
  printf '{"render_s": %s, "wall_s": %s, "workers": %s}\n' \
    "$(echo "$s1 - $s0" | bc -l)" "$(echo "$t1 - $t0" | bc -l)" "$workers" \
    >"${out}/${name}.ai.json"
  echo "$(date -u +%H:%M:%S) ${name} done" >&2
}

for ((r = 1; r <= rounds; r++)); do
  for n in $sessions; do
    if ((r % 2 == 1)); then order="1 0"; else order="0 1"; fi
    for c in $order; do one_run "$r" "$n" "$c"; done
  done
done
start_stack 1 # leave the default behind
python3 "${repo}/bench/credits/summary.py" "$out"
