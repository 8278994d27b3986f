#!/usr/bin/env bash
# cluster_e2e_test BUILD_DIR: scripts/cluster end to end, as a user meets it.
# Brings up nginx (TLS, local CA) + 2 nodes + PostgreSQL + Redis + tryon-ai
# on free ports with the binaries of BUILD_DIR and its own state directory,
# then through https://127.0.0.1:<port> only:
#   - REST, /media/ from the shared media root (dot-names refused), tryonctl
#     stats over https listing every node;
#   - the browser test (tests/e2e/tryon.e2e.mjs: sign-in, wss streaming,
#     pause, capture, upload mode, gallery) in Chromium trusting the local
#     CA's server key, on a post whose image URL is https:// on another
#     host name (tryon-ai fetches it over TLS, trusting the CA file);
#   - the access log never holds a token= value;
#   - scripts/cluster --prometheus: a local Prometheus scrapes both nodes and
#     tryon-ai (every target up) with the rules of deploy/prometheus/ loaded;
# and tears everything down with scripts/stop. Fails naming whatever is
# missing (skips, exit 77, only with TRYON_TEST_ALLOW_SKIP=1).
set -euo pipefail

build_dir="$(cd "${1:?usage: cluster_e2e_test.sh BUILD_DIR}" && pwd -P)"
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd -P)"

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# ---- real parts ----------------------------------------------------------------
missing=()
for cmd in nginx:/usr/sbin/nginx openssl:openssl curl:curl node:node python3:python3 \
  prometheus:prometheus promtool:promtool; do
  command -v "${cmd#*:}" >/dev/null 2>&1 || missing+=("${cmd%%:*}")
done
[[ -x /usr/lib/postgresql/15/bin/pg_ctl ]] || missing+=("postgresql-15")
command -v redis-server >/dev/null 2>&1 || missing+=("redis-server")
chromium="${TRYON_CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || missing+=("${chromium} (Debian package chromium)")
[[ -f "${repo}/tests/e2e/node_modules/playwright-core/package.json" ]] ||
  missing+=("tests/e2e/node_modules (run: npm ci --prefix tests/e2e)")
for bin in apps/tryon-server apps/tryonctl ai_service/tryon-ai; do
  [[ -x "${build_dir}/${bin}" ]] || missing+=("${build_dir}/${bin} (build it)")
done
if ((${#missing[@]} > 0)); then
  # As TRYON_REQUIRE_REAL_PART (tests/support/real_parts.hpp): a missing part
  # fails the test; TRYON_TEST_ALLOW_SKIP=1 skips it locally (exit 77).
  if [[ "${TRYON_TEST_ALLOW_SKIP:-}" == 1 ]]; then
    printf 'SKIP: missing real part: %s\n' "${missing[*]}" >&2
    exit 77
  fi
  fail "missing real part: ${missing[*]} (scripts/test must bring it up; TRYON_TEST_ALLOW_SKIP=1 skips locally)"
fi

# ---- its own state and ports ---------------------------------------------------
work="${build_dir}/cluster_e2e"
rm -rf "$work"
mkdir -p "$work"
export TRYON_VAR="${work}/var"

# N free loopback ports, the last ones consecutive (the nodes').
read -r cluster_port pg_port redis_port ai_port prom_port node_port < <(python3 - <<'PY'
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
ports = [free() for _ in range(5)] + [free(2)]
print(*ports)
PY
)
export TRYON_CLUSTER_PORT="$cluster_port" TRYON_CLUSTER_NODE_PORT="$node_port"
export TRYON_PG_PORT="$pg_port" TRYON_REDIS_PORT="$redis_port" TRYON_AI_PORT="$ai_port"
export TRYON_PROMETHEUS_PORT="$prom_port"
export TRYON_CLUSTER_BUILD_DIR="$build_dir"
unset DATABASE_URL REDIS_URL TRYON_AI_SERVICE_URL TRYON_PUBLIC_URL TRYON_MEDIA_ROOT \
  TRYON_INTERNAL_MEDIA_URL TRYON_URL TRYON_CA_FILE TRYON_TOKEN
# Sanitizer builds: leaks of a killed process are not this test's subject.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

teardown() {
  local rc=$?
  set +e
  "${repo}/scripts/stop" >"${work}/stop.log" 2>&1 || {
    echo "scripts/stop failed:" >&2
    cat "${work}/stop.log" >&2
    rc=1
  }
  if ((rc != 0)); then
    for log in "${TRYON_VAR}"/cluster/logs/node-*.log "${TRYON_VAR}/log/tryon-ai.log"; do
      [[ -f "$log" ]] && { echo "---- tail of ${log}" >&2; tail -n 30 "$log" >&2; }
    done
  fi
  exit "$rc"
}
trap teardown EXIT

# ---- up --------------------------------------------------------------------------
echo "== scripts/cluster --nodes 2 --prometheus (https port ${cluster_port}, nodes ${node_port}+)"
"${repo}/scripts/cluster" --nodes 2 --prometheus >"${work}/cluster.out" 2>"${work}/cluster.err" || {
  cat "${work}/cluster.err" >&2
  fail "scripts/cluster failed"
}
cat "${work}/cluster.out"
base="https://127.0.0.1:${cluster_port}"
ca="${TRYON_VAR}/cluster/ca.crt"
[[ -s "$ca" ]] || fail "no CA file at ${ca}"
grep -qF "$base" "${work}/cluster.out" || fail "scripts/cluster did not print ${base}"
grep -qF "$ca" "${work}/cluster.out" || fail "scripts/cluster did not print the CA file"
token="$(cat "${TRYON_VAR}/run/demo-token")"
demo_post="$(cat "${TRYON_VAR}/run/demo-post-id")"

# ---- REST and media through nginx --------------------------------------------
curl -fsS --cacert "$ca" "${base}/healthz" >/dev/null || fail "GET /healthz over https"
# Without the CA the certificate is not trusted.
if curl -fsS -o /dev/null "${base}/healthz" 2>/dev/null; then
  fail "the cluster's certificate was trusted without its CA file"
fi
code="$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code} %{content_type}' \
  "${base}/media/posts/demo-design.jpg")"
[[ "$code" == "200 image/jpeg" ]] || fail "GET /media/posts/demo-design.jpg: ${code}"
mkdir -p "${TRYON_VAR}/cluster/media/.tmp"
echo secret >"${TRYON_VAR}/cluster/media/.tmp/x.part"
code="$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' "${base}/media/.tmp/x.part")"
[[ "$code" == 404 ]] || fail "GET /media/.tmp/x.part answered ${code}, expected 404"
code="$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' \
  -H "Authorization: Token ${token}" -H 'Content-Type: application/json' \
  -d "{\"nail_post_id\": ${demo_post}}" "${base}/api/try-on/session/create/")"
[[ "$code" == 201 || "$code" == 200 ]] || fail "POST /api/try-on/session/create/: HTTP ${code}"

# tryonctl (scripts/tryonctl, the cluster's stack.env) over https: all nodes.
stats="$("${repo}/scripts/tryonctl" stats --token "$token")" || fail "scripts/tryonctl stats failed"
for n in node-1 node-2; do
  grep -q "$n" <<<"$stats" || fail "tryonctl stats does not list ${n}:"$'\n'"${stats}"
done

# A post hosted "elsewhere": https:// on another host name than the public
# URL's, so tryon-ai downloads it over TLS (net/http_get, --ca-file) instead of
# reading the shared media root.
https_post="$("${repo}/scripts/tryonctl" post add \
  "https://localhost:${cluster_port}/media/posts/demo-design.jpg" --title "https design")" ||
  fail "tryonctl post add failed"

# ---- the browser, over https and wss --------------------------------------------
spki="$(openssl x509 -in "${TRYON_VAR}/cluster/tls/server.crt" -noout -pubkey |
  openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
echo "== tests/e2e/tryon.e2e.mjs against ${base}/ (post ${https_post})"
if ! node "${repo}/tests/e2e/tryon.e2e.mjs" --url "${base}/" --token "$token" \
  --post "$https_post" --screenshot "${work}/screenshot.png" \
  --phone-screenshot "${work}/screenshot-phone.png" --chromium "$chromium" \
  --trust-spki "$spki" --timeout-ms 300000 >"${work}/e2e.log" 2>&1; then
  cat "${work}/e2e.log" >&2
  fail "the browser test failed through the cluster (log above)"
fi
tail -n 5 "${work}/e2e.log"
if grep -q "init failed.*localhost:${cluster_port}" "${TRYON_VAR}/log/tryon-ai.log"; then
  fail "tryon-ai could not fetch the https:// post: $(grep "init failed.*localhost" "${TRYON_VAR}/log/tryon-ai.log" | tail -n1)"
fi

# ---- logs --------------------------------------------------------------------------
access="${TRYON_VAR}/cluster/nginx/logs/access.log"
[[ -s "$access" ]] || fail "nginx wrote no access log"
grep -q 'GET /ws/try-on/' "$access" || fail "no WebSocket in the access log"
if grep -q 'token=' "$access"; then
  fail "the access log holds a token= value"
fi
nodes_used="$(grep -o 'upstream=127.0.0.1:[0-9]*' "$access" | sort -u | wc -l)"
((nodes_used == 2)) || fail "nginx used ${nodes_used} node(s), expected both"

# ---- Prometheus: both nodes and tryon-ai scraped, rules loaded ------------------
prom="http://127.0.0.1:${prom_port}"
grep -qF "${prom}/alerts" "${work}/cluster.out" || fail "scripts/cluster did not print Prometheus' address"
# Scrapes run every 5 s: give the first round up to 30 s.
up=""
for ((i = 0; i < 60; i++)); do
  up="$(curl -fsS --max-time 2 "${prom}/api/v1/targets" | python3 -c '
import json, sys
active = json.load(sys.stdin)["data"]["activeTargets"]
print(" ".join(sorted(t["labels"]["job"] + "@" + t["labels"]["instance"]
                      for t in active if t["health"] == "up")))' 2>/dev/null || true)"
  [[ "$up" == *"tryon@127.0.0.1:${node_port}"* &&
    "$up" == *"tryon@127.0.0.1:$((node_port + 1))"* &&
    "$up" == *"tryon-ai@127.0.0.1:${ai_port}"* ]] && break
  sleep 0.5
done
[[ "$up" == *"tryon@127.0.0.1:${node_port}"* &&
  "$up" == *"tryon@127.0.0.1:$((node_port + 1))"* &&
  "$up" == *"tryon-ai@127.0.0.1:${ai_port}"* ]] ||
  fail "Prometheus does not see both nodes and tryon-ai up (up: '${up}')"
rules="$(curl -fsS --max-time 2 "${prom}/api/v1/rules" | python3 -c '
import json, sys
groups = json.load(sys.stdin)["data"]["groups"]
print(sum(1 for g in groups for r in g["rules"] if r["type"] == "alerting"))')"
((rules > 0)) || fail "Prometheus loaded no alerting rule from deploy/prometheus/"
# Per-node figures: one build_info series per node, summed by Prometheus.
nodes_seen="$(curl -fsS --max-time 2 --data-urlencode 'query=count(tryon_build_info)' \
  "${prom}/api/v1/query" | python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else 0)')"
[[ "$nodes_seen" == 2 ]] || fail "count(tryon_build_info) is ${nodes_seen}, expected 2 (one per node)"
echo "Prometheus: targets up: ${up}; ${rules} alerting rules"

echo "PASS: cluster end to end (nginx TLS -> 2 nodes), browser over https/wss, Prometheus"
