#!/usr/bin/env bash
# package_install_test: builds the Debian packages from BUILD_DIR with CPack
# (the same rules as scripts/package), extracts them with `dpkg-deb -x` into
# a temporary root, checks the layout, verifies the systemd units, then runs
# the extracted tryon-ai and tryon-server (from / as working directory, so
# only the installed web root can be found) against the test PostgreSQL and
# Redis until /healthz, /readyz and the browser page answer, and stops them
# with SIGTERM (exit 0 expected). Any missing part is a failure, named.
#
# Usage: package_test.sh BUILD_DIR   (ctest passes build/asan; scripts/test
# sets TRYON_TEST_DATABASE_URL and TRYON_TEST_REDIS_URL)
set -uo pipefail

build_dir="${1:?usage: package_test.sh BUILD_DIR}"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

missing=()
for cmd in cpack dpkg-deb dpkg-shlibdeps curl systemd-analyze; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("command $cmd")
done
[[ -n "${TRYON_TEST_DATABASE_URL:-}" ]] || missing+=("TRYON_TEST_DATABASE_URL (run through scripts/test)")
[[ -n "${TRYON_TEST_REDIS_URL:-}" ]] || missing+=("TRYON_TEST_REDIS_URL (run through scripts/test)")
[[ -f "${build_dir}/CPackConfig.cmake" ]] || missing+=("${build_dir}/CPackConfig.cmake")
if ((${#missing[@]} > 0)); then
  # As tests/support/real_parts.hpp: a missing part fails, unless skipping
  # was asked for locally (exit 77, ctest's SKIP_RETURN_CODE).
  if [[ "${TRYON_TEST_ALLOW_SKIP:-}" == 1 ]]; then
    echo "SKIP: missing real part: ${missing[*]}" >&2
    exit 77
  fi
  fail "missing real part: ${missing[*]} (scripts/test must bring it up; TRYON_TEST_ALLOW_SKIP=1 skips locally)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tryon-package-test.XXXXXX")"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Package. cpack -D overrides the config file: zstd packs the large ASan
# binaries faster than the default gzip.
echo "== cpack (${build_dir})"
cpack --config "${build_dir}/CPackConfig.cmake" -B "${work}/out" \
  -D CPACK_DEBIAN_COMPRESSION_TYPE=zstd >"${work}/cpack.log" 2>&1 ||
  { cat "${work}/cpack.log" >&2; fail "cpack failed"; }
shopt -s nullglob
server_deb=("${work}"/out/tryon-server_*.deb)
ai_deb=("${work}"/out/tryon-ai_*.deb)
((${#server_deb[@]} == 1)) || fail "cpack made no tryon-server_*.deb: $(ls "${work}/out")"
((${#ai_deb[@]} == 1)) || fail "cpack made no tryon-ai_*.deb: $(ls "${work}/out")"

# 2. Package metadata: dependencies from dpkg-shlibdeps, conffiles,
# maintainer scripts.
for deb in "${server_deb[0]}" "${ai_deb[0]}"; do
  info="$(dpkg-deb -I "$deb")" || fail "dpkg-deb -I $deb"
  grep -q '^ Depends:.*libc6' <<<"$info" || fail "$(basename "$deb"): no shared-library Depends"
  dpkg-deb -e "$deb" "${work}/control-$(basename "$deb")" || fail "dpkg-deb -e $deb"
  ctl="${work}/control-$(basename "$deb")"
  [[ -x "${ctl}/postinst" ]] || fail "$(basename "$deb"): no executable postinst"
  grep -q '^/etc/tryon-server/' "${ctl}/conffiles" 2>/dev/null ||
    fail "$(basename "$deb"): its /etc/tryon-server file is not a conffile"
done
grep -q '^ Depends:.*adduser' <<<"$(dpkg-deb -I "${server_deb[0]}")" ||
  fail "tryon-server does not depend on adduser (its postinst uses it)"
grep -q 'adduser --system' "${work}/control-$(basename "${server_deb[0]}")/postinst" ||
  fail "tryon-server postinst does not create the service user"

# 3. Extract and check the layout.
root="${work}/root"
dpkg-deb -x "${server_deb[0]}" "$root" || fail "dpkg-deb -x tryon-server"
dpkg-deb -x "${ai_deb[0]}" "$root" || fail "dpkg-deb -x tryon-ai"
for f in usr/bin/tryon-server usr/bin/tryonctl usr/bin/tryon-ai; do
  [[ -x "${root}/${f}" ]] || fail "package has no executable /${f}"
done
for f in usr/share/tryon-server/web/index.html \
  usr/share/doc/tryon-server/README.md \
  usr/share/doc/tryon-server/docs/OPERATIONS.md \
  usr/share/doc/tryon-server/docs/protocol.md \
  lib/systemd/system/tryon-server.service lib/systemd/system/tryon-ai.service \
  etc/tryon-server/tryon-server.env etc/tryon-server/tryon-ai.env; do
  [[ -f "${root}/${f}" ]] || fail "package has no /${f}"
done

# 4. The units, as systemd reads them (ExecStart binaries from the root).
echo "== systemd-analyze verify"
# Verifying under --root resolves everything inside the root: it needs the
# system's own units (sysinit.target...) there too.
[[ -f /usr/lib/systemd/system/sysinit.target ]] ||
  fail "missing: /usr/lib/systemd/system/sysinit.target (Debian package systemd)"
mkdir -p "${root}/usr/lib/systemd"
cp -a /usr/lib/systemd/system "${root}/usr/lib/systemd/" || fail "cannot copy the system's units"
verify_out="$(systemd-analyze verify --root="$root" \
  "${root}/lib/systemd/system/tryon-server.service" \
  "${root}/lib/systemd/system/tryon-ai.service" 2>&1)"
verify_rc=$?
# Only complaints about our two units count (unknown keys and bad values are
# printed, not failed, by verify).
ours="$(grep -E 'tryon-(server|ai)\.service' <<<"$verify_out" || true)"
if ((verify_rc != 0)) || [[ -n "$ours" ]]; then
  printf '%s\n' "$verify_out" >&2
  fail "systemd-analyze verify rejected the units"
fi
grep -q '^EnvironmentFile=/etc/tryon-server/tryon-server.env$' "${root}/lib/systemd/system/tryon-server.service" ||
  fail "tryon-server.service does not read /etc/tryon-server/tryon-server.env"

# 5. Run the extracted binaries. Working directory /: a ./web there cannot
# stand in for the installed web root.
wait_for_line() { # FILE REGEX PID -> prints the first match
  local i line
  for ((i = 0; i < 300; i++)); do
    line="$(grep -m1 -oE "$2" "$1" 2>/dev/null)" && { printf '%s\n' "$line"; return 0; }
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
echo "== run the extracted tryon-ai and tryon-server"
(cd / && exec "${root}/usr/bin/tryon-ai" --listen 127.0.0.1 --port 0 --threads 1) \
  >"${work}/ai.log" 2>&1 &
ai_pid=$!
pids+=("$ai_pid")
ai_url="$(wait_for_line "${work}/ai.log" 'ws://127\.0\.0\.1:[0-9]+/ws/tryon' "$ai_pid")" ||
  { cat "${work}/ai.log" >&2; fail "the extracted tryon-ai did not start"; }

(cd / && unset TRYON_WEB_ROOT && exec env DATABASE_URL="$TRYON_TEST_DATABASE_URL" \
  REDIS_URL="$TRYON_TEST_REDIS_URL" TRYON_AI_SERVICE_URL="$ai_url" \
  TRYON_MEDIA_ROOT="${work}/media" TRYON_LISTEN_ADDRESS=127.0.0.1 TRYON_PORT=0 \
  TRYON_PUBLIC_URL=http://127.0.0.1:8000 TRYON_NODE_ID="package-test-$$" \
  "${root}/usr/bin/tryon-server") >"${work}/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
port="$(wait_for_line "${work}/server.log" 'listening on 127\.0\.0\.1:[0-9]+' "$server_pid")" ||
  { cat "${work}/server.log" >&2; fail "the extracted tryon-server did not start"; }
base="http://127.0.0.1:${port##*:}"

health="$(curl -sf "${base}/healthz")" || fail "GET /healthz failed"
[[ "$health" == '{"status":"ok"}' ]] || fail "/healthz answered '$health'"
ready=""
for ((i = 0; i < 100; i++)); do
  ready="$(curl -s -o /dev/null -w '%{http_code}' "${base}/readyz")"
  [[ "$ready" == 200 ]] && break
  sleep 0.1
done
[[ "$ready" == 200 ]] || { curl -s "${base}/readyz" >&2; fail "/readyz never answered 200"; }
page="$(curl -sf "${base}/")" || fail "GET / (the installed web root) failed"
[[ "$page" == "$(cat "${root}/usr/share/tryon-server/web/index.html")" ]] ||
  fail "GET / did not serve the installed index.html"
"${root}/usr/bin/tryonctl" --help >/dev/null || fail "the extracted tryonctl --help failed"

# The web root is read-only when installed (ProtectSystem=strict): the
# server must not have written into it.
[[ ! -e "${root}/usr/share/tryon-server/web/.tmp" ]] ||
  fail "the server wrote into its installed web root"

kill -TERM "$server_pid" "$ai_pid"
wait "$server_pid"
server_rc=$?
wait "$ai_pid"
ai_rc=$?
pids=()
((server_rc == 0)) || { tail -n 20 "${work}/server.log" >&2; fail "tryon-server exited ${server_rc} on SIGTERM"; }
((ai_rc == 0)) || { tail -n 20 "${work}/ai.log" >&2; fail "tryon-ai exited ${ai_rc} on SIGTERM"; }
echo "PASS: packages $(basename "${server_deb[0]}") $(basename "${ai_deb[0]}") install and run (${base}/healthz ok)"
