#!/usr/bin/env bash
# bench/uplink/run.sh [-- tryon-bench flags...]: tryon-bench stream runs
# through a slow phone uplink, alternating without and with --stream-hints,
# against the stack ./scripts/run started; prints both side by side with
# medians and ratios. Root only. The phones live in a network namespace of
# their own behind a veth pair (10.203.0.2 -> 10.203.0.1), the phone ->
# server direction shaped to 5 Mbit/s. See docs/PERFORMANCE.md ("Slow uplink").
set -euo pipefail

TRYON_REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd -P)"
# shellcheck source=../../scripts/lib/common.sh
source "${TRYON_REPO}/scripts/lib/common.sh"
# shellcheck source=../../scripts/lib/deps.sh
source "${TRYON_REPO}/scripts/lib/deps.sh"
# shellcheck source=../../scripts/lib/build.sh
source "${TRYON_REPO}/scripts/lib/build.sh"
# shellcheck source=../../scripts/lib/stack.sh
source "${TRYON_REPO}/scripts/lib/stack.sh"

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  cat <<'EOF'

Settings (environment, defaults in brackets):
  UPLINK_RATE      phone -> server rate, tc units [5mbit]
  UPLINK_BURST     token bucket burst [16kb]
  UPLINK_QUEUE_MS  longest wait in the uplink queue before drops [100]
  UPLINK_RTT_MS    round trip added with netem, when the kernel has it [60]
  UPLINK_ROUNDS    rounds; each runs both modes, order alternating [3]
  UPLINK_DURATION  measured seconds per run [20]
  UPLINK_SESSIONS  phones sharing the uplink [1]
  UPLINK_FPS       frames per second each phone asks for [25]
  UPLINK_SUBNET    the /30 of the veth pair, .1 host, .2 phones [10.203.0.0]
Extra tryon-bench flags go after "--" (e.g. -- --resolution 480p).
Reports: var/bench/uplink-<time>/ (one JSON and one table per run).
EOF
}

extra=()
while (($# > 0)); do
  case "$1" in
  -h | --help)
    usage
    exit 0
    ;;
  --)
    shift
    extra=("$@")
    break
    ;;
  *) tryon_die "unknown argument '$1' (settings are environment variables; tryon-bench flags go after --; see --help)" ;;
  esac
done

rate="${UPLINK_RATE:-5mbit}"
burst="${UPLINK_BURST:-16kb}"
queue_ms="${UPLINK_QUEUE_MS:-100}"
rtt_ms="${UPLINK_RTT_MS:-60}"
rounds="${UPLINK_ROUNDS:-3}"
duration="${UPLINK_DURATION:-20}"
sessions="${UPLINK_SESSIONS:-1}"
fps="${UPLINK_FPS:-25}"
subnet="${UPLINK_SUBNET:-10.203.0.0}"

# Bounds: a few minutes of load on a link of our own, nothing more.
num_in() {
  if [[ ! "$2" =~ ^[0-9]+$ ]] || (($2 < $3 || $2 > $4)); then
    tryon_die "$1 must be an integer in $3..$4, got '$2'"
  fi
}
num_in UPLINK_ROUNDS "$rounds" 1 10
num_in UPLINK_DURATION "$duration" 5 300
num_in UPLINK_SESSIONS "$sessions" 1 50
num_in UPLINK_FPS "$fps" 1 60
num_in UPLINK_QUEUE_MS "$queue_ms" 1 5000
num_in UPLINK_RTT_MS "$rtt_ms" 0 2000
[[ "$rate" =~ ^[0-9]+(\.[0-9]+)?(kbit|mbit)$ ]] || tryon_die "UPLINK_RATE must look like 5mbit or 800kbit, got '${rate}'"
[[ "$burst" =~ ^[0-9]+(b|kb)$ ]] || tryon_die "UPLINK_BURST must look like 16kb, got '${burst}'"
# Only private /30s: 10/8, 172.16/12, 192.168/16 (tryon-bench --allow-host
# accepts nothing else either).
if [[ ! "$subnet" =~ ^(10\.[0-9]+\.[0-9]+|172\.(1[6-9]|2[0-9]|3[01])\.[0-9]+|192\.168\.[0-9]+)\.([0-9]+)$ ]] ||
  ((BASH_REMATCH[3] % 4 != 0 || BASH_REMATCH[3] > 252)); then
  tryon_die "UPLINK_SUBNET must be the first address of a private /30 (e.g. 10.203.0.0), got '${subnet}'"
fi
prefix="${subnet%.*}"
last="${subnet##*.}"
host_ip="${prefix}.$((last + 1))"
phone_ip="${prefix}.$((last + 2))"

tryon_is_root || tryon_die "bench/uplink/run.sh needs root (network namespace, veth, tc, nft)"
for cmd in ip tc nft python3; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    tryon_log "'${cmd}' is missing: installing the project's Debian packages"
    tryon_install_deps
    break
  fi
done
tryon_require_cmd nft "Debian package nftables"

# ---- the stack scripts/run started ------------------------------------------
[[ -f "$TRYON_STACK_ENV" ]] ||
  tryon_die "${TRYON_STACK_ENV#"${TRYON_REPO}"/} not found: start the stack first, with the load-test quotas off: TRYON_MAX_LIVE_SESSIONS_PER_USER=0 TRYON_SESSIONS_PER_MINUTE=0 ./scripts/run"
# shellcheck source=/dev/null
source "$TRYON_STACK_ENV"
release_dir="$(tryon_build_dir release)"
server_host="$(tryon_local_host "${TRYON_LISTEN_ADDRESS:-127.0.0.1}")"
[[ "$server_host" =~ ^[0-9.]+$ ]] || tryon_die "the server listens on ${server_host}: this script reaches IPv4 servers only"
port="${TRYON_PORT:-8000}"
server_pid="$(tryon_pidfile_pid "$TRYON_SERVER_PIDFILE" "${release_dir}/${TRYON_SERVER_REL}" || true)"
[[ -n "$server_pid" ]] || tryon_die "tryon-server (from ${release_dir#"${TRYON_REPO}"/}) is not running: ./scripts/run first"
ai_pid="$(tryon_pidfile_pid "$TRYON_AI_PIDFILE" "${release_dir}/${TRYON_AI_REL}" || true)"
token="$(cat "${TRYON_RUN_DIR}/demo-token" 2>/dev/null || true)"
post_id="$(tr -dc '0-9' <"${TRYON_RUN_DIR}/demo-post-id" 2>/dev/null || true)"
[[ -n "$token" ]] || tryon_die "no demo token in ${TRYON_RUN_DIR#"${TRYON_REPO}"/}: ./scripts/run first"
if [[ "${TRYON_MAX_LIVE_SESSIONS_PER_USER:-10}" != 0 || "${TRYON_SESSIONS_PER_MINUTE:-30}" != 0 ]]; then
  tryon_warn "the stack runs with the per-user quotas on: restart it with TRYON_MAX_LIVE_SESSIONS_PER_USER=0 TRYON_SESSIONS_PER_MINUTE=0 ./scripts/run, or runs may be refused RATE_LIMITED"
fi

bench_bin="${release_dir}/bench/tryon-bench"
cmake --build "$release_dir" -j "${TRYON_JOBS:-2}" --target tryon-bench >&2 ||
  tryon_die "building tryon-bench failed (see above)"

# ---- the namespace, its veth pair, the shaping and the DNAT ------------------
ns="tryon-uplink-$$"
veth_host="tuh$$"
veth_phone="tup$$"
nft_table="tryon_uplink_$$"
made_ns=0
made_link=0
made_table=0
bench_pid=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$bench_pid" ]]; then # interrupted during a run: end it first
    kill -TERM "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
  ((made_table)) && nft delete table ip "$nft_table" 2>/dev/null
  # Deleting one end deletes the pair and the qdiscs on both.
  ((made_link)) && ip link del "$veth_host" 2>/dev/null
  ((made_ns)) && ip netns del "$ns" 2>/dev/null
  if ((made_ns || made_link || made_table)); then
    tryon_log "removed namespace ${ns}, veth ${veth_host}/${veth_phone} and nft table ${nft_table}"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What an earlier run killed with SIGKILL left behind (names carry its pid).
while read -r stale _; do
  [[ "$stale" =~ ^tryon-uplink-([0-9]+)$ ]] || continue
  pid="${BASH_REMATCH[1]}"
  tryon_pid_alive "$pid" && continue
  tryon_log "removing ${stale}, left by an earlier run (pid ${pid} is gone)"
  nft delete table ip "tryon_uplink_${pid}" 2>/dev/null || true
  ip link del "tuh${pid}" 2>/dev/null || true
  ip netns del "$stale" 2>/dev/null || true
done < <(ip netns list 2>/dev/null)

if [[ -n "$(ip -4 -o addr show to "${subnet}/30")" ]] ||
  ip -4 route show exact "${subnet}/30" | grep -q .; then
  tryon_die "${subnet}/30 is already in use on this machine (another run?): set UPLINK_SUBNET to a free private /30"
fi

ip netns add "$ns"
made_ns=1
ip link add "$veth_host" type veth peer name "$veth_phone" netns "$ns"
made_link=1
ip addr add "${host_ip}/30" dev "$veth_host"
ip link set "$veth_host" up
ip -n "$ns" addr add "${phone_ip}/30" dev "$veth_phone"
ip -n "$ns" link set lo up
ip -n "$ns" link set "$veth_phone" up

# The server stays where scripts/run put it (127.0.0.1): packets from the
# phones to ${host_ip}:${port} are rewritten to ${server_host}:${port}.
# route_localnet (on our veth only) lets 127.0.0.1 be routed to and from it.
echo 1 >"/proc/sys/net/ipv4/conf/${veth_host}/route_localnet"
nft -f - <<EOF
table ip ${nft_table} {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "${veth_host}" ip saddr ${phone_ip} ip daddr ${host_ip} tcp dport ${port} dnat to ${server_host}:${port}
  }
}
EOF
made_table=1

# Shaping: the phones' egress (phone -> server). netem (delay) only where
# the kernel has it; this project's VMs do not, and then only the rate is
# emulated.
qlimit_note="tbf rate ${rate} burst ${burst} latency ${queue_ms}ms"
if tc -n "$ns" qdisc add dev "$veth_phone" root handle 1: netem delay 1ms 2>/dev/null; then
  half=$((rtt_ms / 2))
  tc -n "$ns" qdisc replace dev "$veth_phone" root handle 1: netem delay "${half}ms" limit 100000
  tc -n "$ns" qdisc add dev "$veth_phone" parent 1:1 handle 10: tbf rate "$rate" burst "$burst" latency "${queue_ms}ms"
  tc qdisc add dev "$veth_host" root netem delay "$((rtt_ms - half))ms" limit 100000
  link_note="${rate} up (${qlimit_note}), RTT ${rtt_ms} ms (netem, half each way)"
else
  tc -n "$ns" qdisc add dev "$veth_phone" root tbf rate "$rate" burst "$burst" latency "${queue_ms}ms"
  link_note="${rate} up (${qlimit_note}); RTT NOT emulated (no sch_netem in this kernel: veth RTT < 0.1 ms)"
  tryon_warn "sch_netem is not available in this kernel: the uplink RATE is emulated, the ~${rtt_ms} ms RTT is NOT"
fi
tryon_log "uplink: ${link_note}"

# The path works before anything is measured.
# shellcheck disable=SC2016 # expanded by the inner bash
ip netns exec "$ns" bash -c ': </dev/tcp/$1/$2' _ "$host_ip" "$port" 2>/dev/null ||
  tryon_die "the namespace cannot reach ${host_ip}:${port} (DNAT to ${server_host}:${port})"

# ---- the runs -----------------------------------------------------------------
out="${TRYON_VAR}/bench/uplink-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
{
  echo "link: ${link_note}"
  echo "server: http://${server_host}:${port} (pid ${server_pid}), phones ${phone_ip} -> ${host_ip}:${port}"
  echo "runs: ${rounds} rounds x 2 modes, ${sessions} session(s) x ${fps} fps, ${duration} s measured each"
} >"${out}/setup.txt"

tx_bytes() { ip netns exec "$ns" cat "/sys/class/net/${veth_phone}/statistics/tx_bytes"; }

run_one() {
  local round="$1" mode="$2" name args=() tx0 tx1 t0 t1 status=0
  name="r${round}-${mode}"
  args=(stream --url "http://${host_ip}:${port}" --allow-host "$host_ip"
    --token "$token" --sessions "$sessions" --fps "$fps" --duration "$duration"
    --server-pid "$server_pid" --quiet --json "${out}/${name}.json")
  [[ -n "$post_id" ]] && args+=(--post-id "$post_id")
  [[ -n "$ai_pid" ]] && args+=(--ai-pid "$ai_pid")
  [[ "$mode" == hints ]] && args+=(--stream-hints)
  args+=("${extra[@]}")
  tryon_log "round ${round}/${rounds}: ${mode}"
  tx0="$(tx_bytes)"
  t0="$(date +%s.%N)"
  # In the background so that Ctrl-C reaches the trap at once (timeout runs
  # in a process group of its own); bounded by timeout either way.
  timeout --kill-after=10 "$((duration + 120))" \
    ip netns exec "$ns" "$bench_bin" "${args[@]}" >"${out}/${name}.txt" 2>"${out}/${name}.err" &
  bench_pid=$!
  wait "$bench_pid" || status=$?
  bench_pid=""
  t1="$(date +%s.%N)"
  tx1="$(tx_bytes)"
  printf '{"link_tx_bytes": %d, "elapsed_s": %s, "exit": %d}\n' "$((tx1 - tx0))" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "$status" >"${out}/${name}.link.json"
  if ((status != 0)); then
    tryon_warn "tryon-bench exited ${status} (${out#"${TRYON_REPO}"/}/${name}.err):"
    tail -n 5 "${out}/${name}.err" >&2 || true
  fi
}

for ((r = 1; r <= rounds; r++)); do
  if ((r % 2 == 1)); then order=(plain hints); else order=(hints plain); fi
  for mode in "${order[@]}"; do
    run_one "$r" "$mode"
  done
done

# ---- side by side -----------------------------------------------------------------
cat "${out}/setup.txt"
python3 "${TRYON_REPO}/bench/uplink/summary.py" "$out" "$rounds" | tee "${out}/summary.txt"
tryon_log "reports: ${out#"${TRYON_REPO}"/}/"
