# shellcheck shell=bash
# tryon_build release|asan: configures (Ninja) and builds the project.
# Sourced after common.sh.
#
#   release -> build/release  Release, everything except the GoogleTest suite
#   asan    -> build/asan     Debug + AddressSanitizer/UBSan, with tests
#   fuzz    -> build/fuzz     clang + libFuzzer/ASan/UBSan, only the fuzz
#                             targets (fuzz/, scripts/fuzz)
#   tsan    -> build/tsan     RelWithDebInfo + ThreadSanitizer, with tests
#                             (scripts/test --tsan)
#
# tryon_build KIND [TARGET...] builds only the given targets when named.
# TRYON_JOBS overrides the parallelism (default: nproc).

tryon_build_dir() {
  case "$1" in
  release | asan | fuzz | tsan) printf '%s/build/%s\n' "$TRYON_REPO" "$1" ;;
  *) tryon_die "unknown build kind '$1' (expected release, asan, fuzz or tsan)" ;;
  esac
}

tryon_build() {
  local kind="${1:-}" dir flags=() jobs targets=()
  (($# > 1)) && targets=(--target "${@:2}")
  case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release -DTRYON_BUILD_TESTS=OFF) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DTRYON_SANITIZE=ON -DTRYON_BUILD_TESTS=ON) ;;
  # Optimised: ThreadSanitizer slows code 5-15 times.
  tsan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRYON_TSAN=ON -DTRYON_BUILD_TESTS=ON
    -DTRYON_BUILD_BENCH=OFF) ;;
  fuzz)
    # -O1: libFuzzer's usual trade of speed against sanitizer precision.
    tryon_require_cmd clang++-14 "Debian packages clang-14 libfuzzer-14-dev libclang-rt-14-dev"
    flags=(-DTRYON_BUILD_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g"
      -DCMAKE_CXX_COMPILER=clang++-14)
    ;;
  *) tryon_die "tryon_build: unknown build kind '${kind}' (expected release, asan, fuzz or tsan)" ;;
  esac
  tryon_require_cmd cmake "run scripts/lib/deps.sh's tryon_install_deps"
  tryon_require_cmd ninja "Debian package ninja-build"
  dir="$(tryon_build_dir "$kind")"
  jobs="${TRYON_JOBS:-$(nproc)}"
  # ccache (installed by tryon_install_deps) keeps rebuilds of an unchanged
  # translation unit cheap across build dirs and clones: the ASan build of a
  # CAF+Beast unit costs minutes. The base dir makes paths relative so two
  # checkouts at the same depth share entries.
  if command -v ccache >/dev/null 2>&1; then
    flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$TRYON_REPO")}"
    export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
    export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-file_macro,time_macros,include_file_mtime,include_file_ctime}"
    export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"
  fi

  # A build dir configured with another generator cannot be reused.
  if [[ -f "${dir}/CMakeCache.txt" ]] &&
    ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "${dir}/CMakeCache.txt"; then
    tryon_warn "${dir} was configured with another generator: removing it"
    rm -rf "$dir"
  fi

  tryon_log "configuring ${kind} build in ${dir#"${TRYON_REPO}"/}"
  if ! cmake -S "$TRYON_REPO" -B "$dir" -G Ninja "${flags[@]}"; then
    tryon_die "CMake configuration of the ${kind} build failed (see above)"
  fi
  tryon_log "building ${kind} (-j${jobs})"
  if ! cmake --build "$dir" -j "$jobs" "${targets[@]}"; then
    tryon_die "the ${kind} build failed (see the compiler output above)"
  fi
  tryon_log "${kind} build is up to date"
}

# tryon_require_binary KIND RELPATH: prints the absolute path of a built
# binary (RELPATH below build/KIND), or dies with a clear message.
tryon_require_binary() {
  local kind="$1" rel="$2" path
  path="$(tryon_build_dir "$kind")/${rel}"
  if [[ ! -x "$path" ]]; then
    tryon_die "${path#"${TRYON_REPO}"/} was not built: the ${kind} build produced no '${rel}' (is its CMake target defined yet?)"
  fi
  printf '%s\n' "$path"
}
