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
  nlohmann-json3-dev
  redis-server
  postgresql-15
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  curl
  clang-format
  ca-certificates
  procps
  iproute2
)

# Prints the packages of TRYON_DEB_PACKAGES that are not installed.
tryon_missing_deps() {
  local installed pkg
  # dpkg-query exits 1 when some package is unknown to dpkg: that is just
  # "not installed" here.
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' \
    "${TRYON_DEB_PACKAGES[@]}" 2>/dev/null || true)"
  for pkg in "${TRYON_DEB_PACKAGES[@]}"; do
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
