# shellcheck shell=bash
# A local redis-server on 127.0.0.1, no persistence. Sourced after common.sh.
#
#   tryon_redis_start run|test   start (or reuse) it
#   tryon_redis_stop run|test    stop it (fine if it is not running)
#   tryon_redis_url run|test     the REDIS_URL of the stack
#
# Stacks:
#   run   var/redis        port ${TRYON_REDIS_PORT:-56379}
#   test  var/test/redis   port ${TRYON_TEST_REDIS_PORT:-56380} (fresh each start)

tryon_redis_port() {
  case "$1" in
  run) printf '%s\n' "${TRYON_REDIS_PORT:-56379}" ;;
  test) printf '%s\n' "${TRYON_TEST_REDIS_PORT:-56380}" ;;
  *) tryon_die "unknown stack '$1' (expected run or test)" ;;
  esac
}

tryon_redis_dir() {
  case "$1" in
  run) printf '%s/redis\n' "$TRYON_VAR" ;;
  test) printf '%s/test/redis\n' "$TRYON_VAR" ;;
  *) tryon_die "unknown stack '$1' (expected run or test)" ;;
  esac
}

tryon_redis_url() { printf 'redis://127.0.0.1:%s\n' "$(tryon_redis_port "$1")"; }

# Prints the pid of the stack's redis-server if it runs (per its pidfile).
_tryon_redis_pid() {
  local dir pid comm
  dir="$(tryon_redis_dir "$1")"
  [[ -f "${dir}/redis.pid" ]] || return 1
  pid="$(tr -dc '0-9' <"${dir}/redis.pid")"
  tryon_pid_alive "$pid" || return 1
  comm="$(cat "/proc/${pid}/comm" 2>/dev/null || true)"
  [[ "$comm" == redis-server* ]] || return 1
  printf '%s\n' "$pid"
}

_tryon_redis_ping() {
  [[ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]
}

tryon_redis_start() {
  local stack="$1" port dir pid i
  tryon_require_cmd redis-server "install redis-server"
  tryon_require_cmd redis-cli "install redis-server"
  port="$(tryon_redis_port "$stack")"
  dir="$(tryon_redis_dir "$stack")"

  if [[ "$stack" == test ]]; then
    tryon_redis_stop test
    rm -rf "$dir"
  fi
  mkdir -p "$dir"

  if pid="$(_tryon_redis_pid "$stack")"; then
    if tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q ":${port}\b" &&
      _tryon_redis_ping "$port"; then
      tryon_log "Redis (${stack}) already running on 127.0.0.1:${port}: reusing it"
      return 0
    fi
    tryon_log "Redis (${stack}) runs but not on port ${port}: restarting"
    tryon_redis_stop "$stack"
  fi

  if tryon_port_in_use "$port"; then
    tryon_die "port ${port} is already in use by another process: free it or pick another port ($([[ $stack == run ]] && echo TRYON_REDIS_PORT || echo TRYON_TEST_REDIS_PORT)=...)"
  fi

  tryon_log "starting Redis (${stack}) on 127.0.0.1:${port} (log: ${dir}/redis.log)"
  rm -f "${dir}/redis.pid"
  (cd "$dir" && redis-server --bind 127.0.0.1 --port "$port" --save '' \
    --appendonly no --daemonize yes --dir "$dir" \
    --pidfile "${dir}/redis.pid" --logfile "${dir}/redis.log") ||
    {
      tryon_log_tail "${dir}/redis.log"
      tryon_die "redis-server (${stack}) failed to start"
    }

  for ((i = 0; i < 300; i++)); do
    _tryon_redis_ping "$port" && break
    sleep 0.1
  done
  if ((i == 300)); then
    tryon_log_tail "${dir}/redis.log"
    tryon_die "Redis (${stack}) does not answer PING on 127.0.0.1:${port}"
  fi
  tryon_log "Redis (${stack}) ready: $(tryon_redis_url "$stack")"
}

tryon_redis_stop() {
  local stack="$1" pid dir
  dir="$(tryon_redis_dir "$stack")"
  if pid="$(_tryon_redis_pid "$stack")"; then
    tryon_stop_pid "$pid" "Redis (${stack})" 15 || true
  fi
  rm -f "${dir}/redis.pid"
}
