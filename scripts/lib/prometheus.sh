# shellcheck shell=bash
# A local Prometheus (Debian's `prometheus` package, not its system
# service) scraping the stack, with the rules of deploy/prometheus/.
# Config and data live under var/prometheus/. Sourced after common.sh.
#
#   tryon_prometheus_config FILE JOB=HOST:PORT...   writes a config
#   tryon_prometheus_start JOB=HOST:PORT...         (re)starts Prometheus
#   tryon_prometheus_stop                           stops it
#
# Jobs: `tryon` for tryon-server nodes, `tryon-ai` for AI services (the
# alerting rules name them). Several targets per job are fine (a cluster).
# TRYON_PROMETHEUS_PORT (9090) sets its listen port, on 127.0.0.1.

# Used by the scripts that source this file.
# shellcheck disable=SC2034
{
  TRYON_PROMETHEUS_DIR="${TRYON_VAR}/prometheus"
  TRYON_PROMETHEUS_PIDFILE="${TRYON_RUN_DIR}/prometheus.pid"
  TRYON_PROMETHEUS_LOG="${TRYON_LOG_DIR}/prometheus.log"
  TRYON_PROMETHEUS_RULES_DIR="${TRYON_REPO}/deploy/prometheus"
}

tryon_prometheus_port() { printf '%s\n' "${TRYON_PROMETHEUS_PORT:-9090}"; }

# tryon_prometheus_config FILE JOB=HOST:PORT...: writes a Prometheus config
# to FILE: one scrape job per distinct JOB with its targets (scraped and
# evaluated every 5 s: a local, live view), and the rule files of
# deploy/prometheus/. Dies on a malformed target.
tryon_prometheus_config() {
  local file="$1" spec job target
  shift
  (($# > 0)) || tryon_die "tryon_prometheus_config: no targets"
  local -A targets=()
  local -a order=()
  for spec in "$@"; do
    job="${spec%%=*}"
    target="${spec#*=}"
    [[ "$spec" == *=* && "$job" =~ ^[a-z][a-z0-9_-]*$ &&
      "$target" =~ ^[^[:space:]/]+:[0-9]+$ ]] ||
      tryon_die "tryon_prometheus_config: expected JOB=HOST:PORT, got '${spec}'"
    [[ -n "${targets[$job]:-}" ]] || order+=("$job")
    targets[$job]+="'${target}', "
  done
  mkdir -p "$(dirname "$file")"
  {
    echo "# Written by scripts/lib/prometheus.sh on $(date -Is); regenerated on every start."
    echo "global:"
    echo "  scrape_interval: 5s"
    echo "  evaluation_interval: 5s"
    echo "rule_files:"
    echo "  - '${TRYON_PROMETHEUS_RULES_DIR}/*.rules.yml'"
    echo "scrape_configs:"
    for job in "${order[@]}"; do
      echo "  - job_name: '${job}'"
      echo "    static_configs:"
      echo "      - targets: [${targets[$job]%, }]"
    done
  } >"${file}.tmp"
  mv -f "${file}.tmp" "$file"
}

# tryon_prometheus_start JOB=HOST:PORT...: writes var/prometheus/prometheus.yml,
# checks it with promtool, (re)starts Prometheus on 127.0.0.1 and waits
# until it is ready.
tryon_prometheus_start() {
  local bin config port i
  bin="$(command -v prometheus || true)"
  [[ -n "$bin" ]] || tryon_die "prometheus is not installed (Debian package prometheus)"
  tryon_require_cmd promtool "Debian package prometheus"
  config="${TRYON_PROMETHEUS_DIR}/prometheus.yml"
  port="$(tryon_prometheus_port)"
  tryon_prometheus_stop
  tryon_prometheus_config "$config" "$@"
  promtool check config "$config" >/dev/null ||
    tryon_die "promtool rejects ${config} (run: promtool check config ${config})"
  if tryon_port_in_use "$port"; then
    tryon_die "port ${port} (Prometheus) is in use by another process: set TRYON_PROMETHEUS_PORT"
  fi
  mkdir -p "${TRYON_PROMETHEUS_DIR}/data"
  tryon_log "starting Prometheus on 127.0.0.1:${port} (log: ${TRYON_PROMETHEUS_LOG})"
  tryon_start_bg "$TRYON_PROMETHEUS_PIDFILE" "$TRYON_PROMETHEUS_LOG" "$bin" \
    --config.file="$config" \
    --storage.tsdb.path="${TRYON_PROMETHEUS_DIR}/data" \
    --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:${port}"
  for ((i = 0; i < 120; i++)); do
    if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:${port}/-/ready" 2>/dev/null; then
      return 0
    fi
    tryon_pidfile_pid "$TRYON_PROMETHEUS_PIDFILE" "$bin" >/dev/null || break
    sleep 0.5
  done
  tryon_log_tail "$TRYON_PROMETHEUS_LOG" 40
  tryon_prometheus_stop || true
  tryon_die "Prometheus did not become ready on 127.0.0.1:${port}"
}

# tryon_prometheus_stop: stops the Prometheus tryon_prometheus_start started.
tryon_prometheus_stop() {
  local bin
  bin="$(command -v prometheus || echo /usr/bin/prometheus)"
  tryon_stop_pidfile "$TRYON_PROMETHEUS_PIDFILE" "$bin" "prometheus" 15
}
