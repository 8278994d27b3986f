# shellcheck shell=bash
# Names and helpers of scripts/cluster, shared with scripts/stop. Sourced
# after common.sh, stack.sh and nginx.sh.

# Used by the scripts that source this file.
# shellcheck disable=SC2034
{
  TRYON_CLUSTER_DIR="${TRYON_VAR}/cluster"
  TRYON_CLUSTER_CA="${TRYON_CLUSTER_DIR}/ca.crt"
  TRYON_CLUSTER_TLS_DIR="${TRYON_CLUSTER_DIR}/tls"
  TRYON_CLUSTER_NGINX_DIR="${TRYON_CLUSTER_DIR}/nginx"
  # The build dir whose tryon-server the nodes run (to recognise their pids).
  TRYON_CLUSTER_BIN_FILE="${TRYON_CLUSTER_DIR}/bin-dir"
}

tryon_cluster_node_pidfile() { printf '%s/run/node-%s.pid\n' "$TRYON_CLUSTER_DIR" "$1"; }
tryon_cluster_node_log() { printf '%s/logs/node-%s.log\n' "$TRYON_CLUSTER_DIR" "$1"; }

# tryon_cluster_stop_front: stops nginx, then every node (SIGTERM: each
# drains its sessions; all at once). Fine if nothing runs.
tryon_cluster_stop_front() {
  local status=0 bin pidfile pid pids=()
  tryon_nginx_stop "$TRYON_CLUSTER_NGINX_DIR" || status=1
  [[ -f "$TRYON_CLUSTER_BIN_FILE" ]] || return "$status"
  bin="$(cat "$TRYON_CLUSTER_BIN_FILE")/${TRYON_SERVER_REL}"
  for pidfile in "${TRYON_CLUSTER_DIR}"/run/node-*.pid; do
    [[ -f "$pidfile" ]] || continue
    if pid="$(tryon_pidfile_pid "$pidfile" "$bin")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pidfile in "${TRYON_CLUSTER_DIR}"/run/node-*.pid; do
    [[ -f "$pidfile" ]] || continue
    tryon_stop_pidfile "$pidfile" "$bin" "tryon-server $(basename "$pidfile" .pid)" 15 || status=1
  done
  return "$status"
}

# tryon_cluster_ai_bin: the tryon-ai the cluster started (for scripts/stop).
tryon_cluster_ai_bin() {
  [[ -f "$TRYON_CLUSTER_BIN_FILE" ]] || return 1
  printf '%s/%s\n' "$(cat "$TRYON_CLUSTER_BIN_FILE")" "$TRYON_AI_REL"
}
