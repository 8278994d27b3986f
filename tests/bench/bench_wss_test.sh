#!/usr/bin/env bash
# bench_wss_test BUILD_DIR: tryon-bench over https/wss through scripts/cluster
# (nginx terminating TLS with the local CA, 2 nodes, PostgreSQL, Redis,
# tryon-ai) on free ports in its own state directory:
#   - a 2-phone stream run over wss (REST over https) trusting the CA file
#     processes frames;
#   - the same run trusting another CA is refused (certificate verified);
#   - the take-over mode sees every earlier connection closed with 4009.
# Tears everything down with scripts/stop. Fails naming whatever is missing
# (skips, exit 77, only with TRYON_TEST_ALLOW_SKIP=1).
set -euo pipefail

build_dir="$(cd "${1:?usage: bench_wss_test.sh BUILD_DIR}" && pwd -P)"
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd -P)"
bench="${build_dir}/bench/tryon-bench"

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# ---- real parts ----------------------------------------------------------------
missing=()
for cmd in nginx:/usr/sbin/nginx openssl:openssl python3:python3; do
  command -v "${cmd#*:}" >/dev/null 2>&1 || missing+=("${cmd%%:*}")
done
[[ -x /usr/lib/postgresql/15/bin/pg_ctl ]] || missing+=("postgresql-15")
command -v redis-server >/dev/null 2>&1 || missing+=("redis-server")
for bin in apps/tryon-server apps/tryonctl ai_service/tryon-ai bench/tryon-bench; do
  [[ -x "${build_dir}/${bin}" ]] || missing+=("${build_dir}/${bin} (build it)")
done
if ((${#missing[@]} > 0)); then
  if [[ "${TRYON_TEST_ALLOW_SKIP:-}" == 1 ]]; then
    printf 'SKIP: missing real part: %s\n' "${missing[*]}" >&2
    exit 77
  fi
  fail "missing real part: ${missing[*]} (scripts/test must bring it up; TRYON_TEST_ALLOW_SKIP=1 skips locally)"
fi

# ---- its own state and ports ---------------------------------------------------
work="${build_dir}/bench_wss"
rm -rf "$work"
mkdir -p "$work"
export TRYON_VAR="${work}/var"
read -r cluster_port pg_port redis_port ai_port node_port < <(python3 - <<'PY'
import socket
def free(n=1):
    while True:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); base = s.getsockname()[1]; s.close()
        if base + n > 65535:
            continue
        ok = True
        for p in range(base, base + n):
            t = socket.socket()
            try:
                t.bind(("127.0.0.1", p))
            except OSError:
                ok = False
            finally:
                t.close()
        if ok:
            return base
ports = [free() for _ in range(4)] + [free(2)]
print(*ports)
PY
)
export TRYON_CLUSTER_PORT="$cluster_port" TRYON_CLUSTER_NODE_PORT="$node_port"
export TRYON_PG_PORT="$pg_port" TRYON_REDIS_PORT="$redis_port" TRYON_AI_PORT="$ai_port"
export TRYON_CLUSTER_BUILD_DIR="$build_dir"
unset DATABASE_URL REDIS_URL TRYON_AI_SERVICE_URL TRYON_PUBLIC_URL TRYON_MEDIA_ROOT \
  TRYON_INTERNAL_MEDIA_URL TRYON_URL TRYON_CA_FILE TRYON_TOKEN
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

teardown() {
  local rc=$?
  set +e
  "${repo}/scripts/stop" >"${work}/stop.log" 2>&1 || {
    echo "scripts/stop failed:" >&2
    cat "${work}/stop.log" >&2
    rc=1
  }
  exit "$rc"
}
trap teardown EXIT

# ---- up --------------------------------------------------------------------------
echo "== scripts/cluster --nodes 2 (https port ${cluster_port})"
"${repo}/scripts/cluster" --nodes 2 >"${work}/cluster.out" 2>"${work}/cluster.err" || {
  cat "${work}/cluster.err" >&2
  fail "scripts/cluster failed"
}
base="https://127.0.0.1:${cluster_port}"
ca="${TRYON_VAR}/cluster/ca.crt"
[[ -s "$ca" ]] || fail "no CA file at ${ca}"
token="$(cat "${TRYON_VAR}/run/demo-token")"
post="$(cat "${TRYON_VAR}/run/demo-post-id")"

json_field() { # FILE DOTTED.PATH
  python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$1" "$2"
}

# ---- stream over wss ------------------------------------------------------------
echo "== tryon-bench stream over ${base} (wss)"
"$bench" stream --url "$base" --ca-file "$ca" --token "$token" --post-id "$post" \
  --sessions 2 --fps 5 --warmup 0.5 --duration 2 --resolution 480p --quiet \
  --json "${work}/stream.json" >"${work}/stream.out" 2>&1 || {
  cat "${work}/stream.out" >&2
  fail "tryon-bench stream over wss failed"
}
ready="$(json_field "${work}/stream.json" sessions.ready)"
processed="$(json_field "${work}/stream.json" frames.processed)"
((ready == 2)) || fail "${ready} of 2 sessions ready over wss"
((processed > 0)) || fail "no frame processed over wss"
echo "   ${ready} sessions, ${processed} frames processed"

# ---- a server certificate from another CA is refused ------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "${work}/other.key" -out "${work}/other.crt" -days 1 \
  -subj "/CN=some other CA" >/dev/null 2>&1 || fail "openssl could not make a CA"
if "$bench" stream --url "$base" --ca-file "${work}/other.crt" --token "$token" \
  --post-id "$post" --sessions 1 --duration 1 --quiet >"${work}/untrusted.out" 2>&1; then
  fail "tryon-bench trusted the cluster's certificate with another CA"
fi
grep -qi "certificate verify failed\|verify" "${work}/untrusted.out" ||
  fail "untrusted run failed without naming the certificate: $(cat "${work}/untrusted.out")"
echo "   another CA: refused ($(grep -io 'certificate verify failed' "${work}/untrusted.out" | head -n1))"

# ---- take-over over wss: each new connection closes the older with 4009 ---------
"$bench" takeover --url "$base" --ca-file "$ca" --token "$token" --post-id "$post" \
  --takeovers 5 --quiet --json "${work}/takeover.json" >"${work}/takeover.out" 2>&1 || {
  cat "${work}/takeover.out" >&2
  fail "tryon-bench takeover over wss failed"
}
taken="$(json_field "${work}/takeover.json" takeover.taken_over)"
((taken == 5)) || fail "${taken} of 5 take-overs closed the older connection with 4009: $(cat "${work}/takeover.out")"
echo "   5 take-overs, each older connection closed 4009"

echo "PASS: tryon-bench over https/wss through nginx (TLS) -> 2 nodes"
