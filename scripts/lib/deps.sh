# shellcheck shell=bash
# tryon_install_deps: installs every Debian package the project uses that is
# not installed yet. Sourced after common.sh.
#
# Set TRYON_SKIP_DEPS=1 to skip the check (e.g. on a machine that is not
# Debian and was provisioned by hand).

# Every Debian package the project needs, to build, test and run. Add new
# ones here (one list, so the check and the install never drift apart).
TRYON_DEB_PACKAGES=(
  build-essential
  cmake
  ninja-build
  ccache
  pkg-config
  libcaf-dev
  libboost-dev
  libcli11-dev
  prometheus-cpp-dev
  libspdlog-dev
  libfmt-dev
  libhiredis-dev
  libpqxx-dev
  libpq-dev
  libturbojpeg0-dev
  libwebp-dev
  libpng-dev
  # SHA-256 of API tokens (persistence/digest.cpp).
  libssl-dev
  nlohmann-json3-dev
  redis-server
  postgresql-15
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  curl
  clang-format
  # scripts/fuzz and the fuzz smoke tests: libFuzzer targets built by clang
  # with ASan + UBSan (fuzz/, docs/SECURITY.md "Fuzzing").
  clang-14
  libfuzzer-14-dev
  libclang-rt-14-dev
  ca-certificates
  procps
  iproute2
  # bench/uplink/run.sh: its network namespace reaches the server on
  # 127.0.0.1 through a DNAT rule in a table of its own (nft).
  nftables
  # scripts/package and package_install_test: dpkg-shlibdeps for the
  # packages' Depends, systemd-analyze to verify the units.
  dpkg-dev
  systemd
  # scripts/cluster: nginx terminating TLS with a certificate from a local
  # CA made by openssl.
  nginx-light
  openssl
  # The one URL parser (config/url.cpp): RFC 3986, IPv6 literals, user info.
  liburiparser-dev
  # https/wss clients (net/http_get: tryon-ai's https:// references,
  # `tryonctl stats`; tryon-bench; the tests) use Asio's SSL layer (OpenSSL).
  libssl-dev
  # scripts/ws-client, the manual phone-like client (Debian's python3).
  python3-websockets
  # Prometheus and promtool: scripts/run --prometheus, and the tests that
  # check /metrics and the alerting rules (deploy/prometheus/).
  prometheus
  # The browser test (tests/e2e, docs/web.md): Debian's Chromium, driven by
  # playwright-core from npm. nodejs/npm only count as missing when the
  # `node`/`npm` commands are (see TRYON_DEB_PACKAGE_COMMANDS).
  chromium
  nodejs
  npm
)

# Packages that are satisfied by a command on PATH, whichever package
# provides it: a Node.js installed outside Debian's packages (e.g. with npm
# bundled) must not be replaced by, or conflict with, Debian's nodejs/npm.
declare -A TRYON_DEB_PACKAGE_COMMANDS=(
  [nodejs]=node
  [npm]=npm
)

# Prints the packages of TRYON_DEB_PACKAGES that are not installed.
tryon_missing_deps() {
  local installed pkg
  # dpkg-query exits 1 when some package is unknown to dpkg: that is just
  # "not installed" here.
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' \
    "${TRYON_DEB_PACKAGES[@]}" 2>/dev/null || true)"
  for pkg in "${TRYON_DEB_PACKAGES[@]}"; do
    if [[ -n "${TRYON_DEB_PACKAGE_COMMANDS[$pkg]:-}" ]] &&
      command -v "${TRYON_DEB_PACKAGE_COMMANDS[$pkg]}" >/dev/null 2>&1; then
      continue
    fi
    if ! grep -qxF "${pkg} installed" <<<"$installed"; then
      printf '%s\n' "$pkg"
    fi
  done
}

tryon_install_deps() {
  if [[ "${TRYON_SKIP_DEPS:-0}" == 1 ]]; then
    tryon_log "TRYON_SKIP_DEPS=1: not checking Debian packages"
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    tryon_die "dpkg-query not found: this is not a Debian system. Install the packages listed in scripts/lib/deps.sh by hand and set TRYON_SKIP_DEPS=1"
  fi

  local missing=()
  mapfile -t missing < <(tryon_missing_deps)
  if ((${#missing[@]} == 0)); then
    tryon_log "all ${#TRYON_DEB_PACKAGES[@]} Debian packages are installed"
    return 0
  fi

  local sudo=()
  if ! tryon_is_root; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      tryon_die "missing Debian packages (${missing[*]}), not root and no sudo: install them as root"
    fi
  fi

  tryon_log "installing missing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"

  mapfile -t missing < <(tryon_missing_deps)
  if ((${#missing[@]} > 0)); then
    tryon_die "still missing after apt-get install: ${missing[*]}"
  fi
}

# tryon_e2e_node_modules: installs the browser test's npm packages
# (tests/e2e/package-lock.json, playwright-core; no browser download) with
# `npm ci` when tests/e2e/node_modules is missing or was installed from
# another package-lock.json. Needs node >= 20 (playwright-core's minimum).
# A problem here is a warning, not the end of the run: the other tests still
# run, and browser_e2e_test then fails (under CI) or skips, naming what is
# missing.
tryon_e2e_node_modules() {
  local dir="${TRYON_REPO}/tests/e2e"
  local stamp="${dir}/node_modules/.tryon-package-lock.sha256"
  [[ -f "${dir}/package-lock.json" ]] || return 0
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    tryon_warn "node/npm not found: not installing tests/e2e/node_modules (the browser test needs them)"
    return 0
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if ! [[ "$major" =~ ^[0-9]+$ ]] || ((major < 20)); then
    tryon_warn "node $(node --version) is too old for tests/e2e (playwright-core needs node >= 20): not installing tests/e2e/node_modules"
    return 0
  fi
  local want
  want="$(sha256sum "${dir}/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    tryon_log "tests/e2e/node_modules is up to date"
    return 0
  fi
  tryon_log "npm ci in tests/e2e (playwright-core, no browser download)"
  if ! (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts); then
    tryon_warn "'npm ci' in tests/e2e failed: the browser test cannot run"
    return 0
  fi
  printf '%s\n' "$want" >"$stamp"
}

# tryon_api_node_modules: installs tests/api's npm packages (Redocly CLI,
# @asyncapi/parser, ajv: the checks of docs/api/) with `npm ci` when
# tests/api/node_modules is missing or was installed from another
# package-lock.json. Needs node >= 20.19 (Redocly CLI's minimum). A problem
# is a warning here: api_lint_test and rest_api_test then fail, naming it.
tryon_api_node_modules() {
  local dir="${TRYON_REPO}/tests/api"
  local stamp="${dir}/node_modules/.tryon-package-lock.sha256"
  [[ -f "${dir}/package-lock.json" ]] || return 0
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    tryon_warn "node/npm not found: not installing tests/api/node_modules"
    return 0
  fi
  local want
  want="$(sha256sum "${dir}/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    tryon_log "tests/api/node_modules is up to date"
    return 0
  fi
  tryon_log "npm ci in tests/api (Redocly CLI, @asyncapi/parser, ajv)"
  if ! (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts); then
    tryon_warn "'npm ci' in tests/api failed: the API checks cannot run"
    return 0
  fi
  printf '%s\n' "$want" >"$stamp"
}
