# shellcheck shell=bash
# Shared helpers for the scripts in scripts/. Sourced, never executed.
#
# The sourcing command must set TRYON_REPO (the repository root, found from
# the command's own path) before sourcing this file.

if [[ -z "${TRYON_REPO:-}" ]]; then
  echo "scripts/lib/common.sh: TRYON_REPO is not set" >&2
  exit 2
fi

# Used by the scripts that source this file.
# shellcheck disable=SC2034
{
  # TRYON_VAR moves every stack's state (databases, pids, logs) elsewhere,
  # e.g. so that a test can run its own cluster beside the developer's.
  TRYON_VAR="${TRYON_VAR:-${TRYON_REPO}/var}"
  TRYON_RUN_DIR="${TRYON_VAR}/run"
  TRYON_LOG_DIR="${TRYON_VAR}/log"
}

# Messages go to stderr so that stdout stays clean for results.
tryon_log() { printf '==> %s\n' "$*" >&2; }
tryon_warn() { printf 'warning: %s\n' "$*" >&2; }
tryon_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

tryon_is_root() { [[ "$(id -u)" -eq 0 ]]; }

# A short, stable hash of the repository path (used to name per-checkout
# directories outside the repository).
tryon_repo_hash() {
  printf '%s' "$TRYON_REPO" | sha256sum | cut -c1-12
}

# tryon_require_cmd CMD [HINT]: die with a clear message if CMD is missing.
tryon_require_cmd() {
  command -v "$1" >/dev/null 2>&1 ||
    tryon_die "'$1' is not installed${2:+ ($2)}"
}

# tryon_port_in_use PORT: true if something listens on TCP PORT locally.
tryon_port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :${port}" 2>/dev/null)" ]]
  else
    (: <"/dev/tcp/127.0.0.1/${port}") 2>/dev/null
  fi
}

# tryon_tcp_open HOST PORT: true if a TCP connection to HOST:PORT succeeds.
tryon_tcp_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 2 bash -c ': <"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# tryon_pid_alive PID: true if PID names a live (non-zombie) process.
tryon_pid_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/${pid}/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# tryon_pidfile_pid PIDFILE EXPECTED_ARGV0: prints the pid recorded in
# PIDFILE if that process is alive and its argv[0] is EXPECTED_ARGV0 (so a
# recycled pid is never mistaken for ours). Returns 1 otherwise.
tryon_pidfile_pid() {
  local pidfile="$1" expected="$2" pid argv0
  [[ -f "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  tryon_pid_alive "$pid" || return 1
  argv0="$(tr '\0' '\n' <"/proc/${pid}/cmdline" 2>/dev/null | head -n1 || true)"
  [[ "$argv0" == "$expected" ]] || return 1
  printf '%s\n' "$pid"
}

# tryon_stop_pid PID NAME [TIMEOUT_S]: SIGTERM, wait up to TIMEOUT_S (15)
# seconds, then SIGKILL. Fine if the process is already gone.
tryon_stop_pid() {
  local pid="$1" name="$2" timeout="${3:-15}" i
  tryon_pid_alive "$pid" || return 0
  tryon_log "stopping ${name} (pid ${pid})"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    tryon_pid_alive "$pid" || return 0
    sleep 0.1
  done
  tryon_warn "${name} (pid ${pid}) did not exit within ${timeout}s: sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    tryon_pid_alive "$pid" || return 0
    sleep 0.1
  done
  tryon_warn "${name} (pid ${pid}) is still alive after SIGKILL"
  return 1
}

# tryon_stop_pidfile PIDFILE EXPECTED_ARGV0 NAME [TIMEOUT_S]: stops the
# process recorded in PIDFILE (if it is still ours) and removes PIDFILE.
tryon_stop_pidfile() {
  local pidfile="$1" expected="$2" name="$3" timeout="${4:-15}" pid
  if pid="$(tryon_pidfile_pid "$pidfile" "$expected")"; then
    tryon_stop_pid "$pid" "$name" "$timeout" || return 1
  fi
  rm -f "$pidfile"
}

# tryon_start_bg PIDFILE LOGFILE CMD [ARGS...]: starts CMD detached from the
# terminal, stdin from /dev/null, stdout+stderr appended to LOGFILE, and
# records its pid in PIDFILE. CMD must be an absolute path (it is matched
# against argv[0] when stopping).
tryon_start_bg() {
  local pidfile="$1" logfile="$2"
  shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  # Keep one previous log once it passes 10 MiB.
  if [[ -f "$logfile" ]] && (($(stat -c %s "$logfile") > 10485760)); then
    mv -f "$logfile" "${logfile}.1"
  fi
  printf '\n===== %s: starting %s =====\n' "$(date -Is)" "$*" >>"$logfile"
  nohup "$@" </dev/null >>"$logfile" 2>&1 &
  printf '%s\n' "$!" >"$pidfile"
}

# tryon_log_tail FILE [N]: prints the last N (40) lines of FILE to stderr.
tryon_log_tail() {
  local file="$1" n="${2:-40}"
  if [[ -f "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$file" >&2
    tail -n "$n" "$file" >&2 || true
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '(no log file at %s)\n' "$file" >&2
  fi
}
