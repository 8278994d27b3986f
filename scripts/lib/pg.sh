# shellcheck shell=bash
# A local PostgreSQL 15 development cluster on 127.0.0.1. Sourced after
# common.sh.
#
#   tryon_pg_start run|test   start (or reuse) the cluster, create role
#                             "tryon" (SUPERUSER) and the stack's database
#   tryon_pg_stop run|test    stop it (fine if it is not running)
#   tryon_pg_url run|test     the DATABASE_URL of the stack
#
# Stacks:
#   run   var/pg        port ${TRYON_PG_PORT:-55432}       database tryon
#   test  var/test/pg   port ${TRYON_TEST_PG_PORT:-55433}  database tryon_test
#         (recreated from scratch on every start, fsync=off)
#
# This is a LOCAL DEVELOPMENT cluster: it listens on 127.0.0.1 only and
# trusts every connection from 127.0.0.1 (no password). Never expose it.
#
# PostgreSQL refuses to run as root. When run as root, initdb and pg_ctl run
# as the "postgres" system user (runuser) on a data dir owned by it. If that
# user cannot reach the repository's var/ (e.g. the checkout is under /root,
# mode 0700), the cluster lives in /var/tmp/tryon-<hash of repo path>/
# instead. When not root, everything runs as the current user.

TRYON_PG_BIN="${TRYON_PG_BIN:-/usr/lib/postgresql/15/bin}"
TRYON_PG_OS_USER="postgres"

tryon_pg_port() {
  case "$1" in
  run) printf '%s\n' "${TRYON_PG_PORT:-55432}" ;;
  test) printf '%s\n' "${TRYON_TEST_PG_PORT:-55433}" ;;
  *) tryon_die "unknown stack '$1' (expected run or test)" ;;
  esac
}

tryon_pg_dbname() {
  case "$1" in
  run) printf 'tryon\n' ;;
  test) printf 'tryon_test\n' ;;
  *) tryon_die "unknown stack '$1' (expected run or test)" ;;
  esac
}

tryon_pg_url() {
  printf 'postgresql://tryon@127.0.0.1:%s/%s\n' \
    "$(tryon_pg_port "$1")" "$(tryon_pg_dbname "$1")"
}

# Relative location of a stack's cluster below var/ (or the fallback dir).
_tryon_pg_rel() {
  case "$1" in
  run) printf 'pg\n' ;;
  test) printf 'test/pg\n' ;;
  *) tryon_die "unknown stack '$1' (expected run or test)" ;;
  esac
}

# Named after TRYON_VAR (not only the checkout): two state dirs of one
# checkout must not share a cluster.
_tryon_pg_fallback_root() {
  if [[ "$TRYON_VAR" == "${TRYON_REPO}/var" ]]; then
    printf '/var/tmp/tryon-%s\n' "$(tryon_repo_hash)"
  else
    printf '/var/tmp/tryon-%s\n' "$(printf '%s' "$TRYON_VAR" | sha256sum | cut -c1-12)"
  fi
}

# Every place a stack's cluster may live (for stop).
_tryon_pg_base_candidates() {
  local rel
  rel="$(_tryon_pg_rel "$1")"
  printf '%s\n' "${TRYON_VAR}/${rel}" "$(_tryon_pg_fallback_root)/${rel}"
}

# Runs a command from / (the caller's cwd may be unreadable for postgres).
# As root, runs it as the owner of the given directory via runuser.
_tryon_pg_as_owner() {
  local dir="$1" owner
  shift
  if tryon_is_root; then
    owner="$(stat -c %U "$dir")"
    if [[ "$owner" == root ]]; then
      tryon_die "${dir} is owned by root; PostgreSQL cannot run as root"
    fi
    (cd / && runuser -u "$owner" -- "$@")
  else
    (cd / && "$@")
  fi
}

# Picks (and creates) the base dir of a stack's cluster; prints it.
_tryon_pg_choose_base() {
  local stack="$1" rel base parent
  rel="$(_tryon_pg_rel "$stack")"
  base="${TRYON_VAR}/${rel}"
  parent="$(dirname "$base")"
  mkdir -p "$parent"
  if tryon_is_root; then
    id "$TRYON_PG_OS_USER" >/dev/null 2>&1 ||
      tryon_die "user '${TRYON_PG_OS_USER}' does not exist (is postgresql-15 installed?)"
    if ! (cd / && runuser -u "$TRYON_PG_OS_USER" -- test -x "$parent") 2>/dev/null; then
      base="$(_tryon_pg_fallback_root)/${rel}"
      parent="$(dirname "$base")"
      tryon_log "user ${TRYON_PG_OS_USER} cannot reach ${TRYON_VAR}: putting the ${stack} cluster in ${base}"
      mkdir -p "$parent"
      chmod 0755 "$(_tryon_pg_fallback_root)" "$parent"
      (cd / && runuser -u "$TRYON_PG_OS_USER" -- test -x "$parent") 2>/dev/null ||
        tryon_die "user ${TRYON_PG_OS_USER} cannot reach ${parent} either"
    fi
    mkdir -p "$base"
    chown "$TRYON_PG_OS_USER:" "$base"
  else
    mkdir -p "$base"
  fi
  chmod 0700 "$base"
  printf '%s\n' "$base"
}

# _tryon_pg_running DATA: true if a postmaster runs on DATA.
_tryon_pg_running() {
  local data="$1"
  [[ -f "${data}/PG_VERSION" ]] || return 1
  _tryon_pg_as_owner "$data" "${TRYON_PG_BIN}/pg_ctl" status -D "$data" >/dev/null 2>&1
}

# Quotes a value for postgresql.conf.
_tryon_pg_conf_quote() {
  local v="$1"
  printf "'%s'" "${v//\'/\'\'}"
}

# Writes the settings the scripts own (tryon.conf, pg_hba.conf) into DATA.
_tryon_pg_write_conf() {
  local stack="$1" data="$2" port="$3" sockdir owner
  owner="$(stat -c %U:%G "$data")"
  sockdir="$data"
  # A Unix socket path must fit in 107 bytes ("/.s.PGSQL.NNNNN.lock" adds 20).
  if ((${#sockdir} > 85)); then
    tryon_log "data dir path too long for a Unix socket: TCP 127.0.0.1 only"
    sockdir=""
  fi
  {
    echo "# Written by scripts/lib/pg.sh on every start: edit the script, not this."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = ${port}"
    echo "unix_socket_directories = $(_tryon_pg_conf_quote "$sockdir")"
    echo "max_connections = 200"
    if [[ "$stack" == test ]]; then
      echo "# Throwaway test cluster: durability off for speed."
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"${data}/tryon.conf"
  cat >"${data}/pg_hba.conf" <<'EOF'
# LOCAL DEVELOPMENT CLUSTER written by scripts/lib/pg.sh: NOT for production.
# Every connection from 127.0.0.1 is trusted (no password), as any role.
# The server listens on 127.0.0.1 only; Unix-socket connections are refused.
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  trust
EOF
  chown "$owner" "${data}/tryon.conf" "${data}/pg_hba.conf"
  if ! grep -q "^include_if_exists = 'tryon.conf'" "${data}/postgresql.conf"; then
    echo "include_if_exists = 'tryon.conf'" >>"${data}/postgresql.conf"
  fi
}

# _tryon_pg_psql PORT DB SQL...: runs SQL as the bootstrap superuser.
_tryon_pg_psql() {
  local port="$1" db="$2"
  shift 2
  PGCONNECT_TIMEOUT=5 "${TRYON_PG_BIN}/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
    "postgresql://postgres@127.0.0.1:${port}/${db}?sslmode=disable" "$@"
}

tryon_pg_start() {
  local stack="$1" port dbname base data log running_port i
  [[ -x "${TRYON_PG_BIN}/pg_ctl" ]] ||
    tryon_die "PostgreSQL 15 is not installed (${TRYON_PG_BIN}/pg_ctl missing): install postgresql-15"
  port="$(tryon_pg_port "$stack")"
  dbname="$(tryon_pg_dbname "$stack")"

  if [[ "$stack" == test ]]; then
    # Throwaway: always start from an empty cluster.
    tryon_pg_stop test
  fi
  base="$(_tryon_pg_choose_base "$stack")"
  data="${base}/data"
  log="${base}/postgres.log"

  # A cluster of this stack left running in the other candidate place (the
  # choice depends on permissions) would hold the port: stop it.
  local other
  while read -r other; do
    [[ "$other" == "$base" ]] && continue
    if _tryon_pg_running "${other}/data"; then
      tryon_log "stopping the ${stack} cluster left in ${other}"
      _tryon_pg_as_owner "${other}/data" "${TRYON_PG_BIN}/pg_ctl" stop -D "${other}/data" -m fast -w -t 30 >/dev/null
    fi
  done < <(_tryon_pg_base_candidates "$stack")

  if [[ "$stack" == test ]]; then
    find "$base" -mindepth 1 -delete
  fi

  if _tryon_pg_running "$data"; then
    running_port="$(sed -n 4p "${data}/postmaster.pid" 2>/dev/null || true)"
    if [[ "$running_port" == "$port" ]]; then
      tryon_log "PostgreSQL (${stack}) already running on 127.0.0.1:${port}: reusing it"
    else
      tryon_log "PostgreSQL (${stack}) runs on port ${running_port}, wanted ${port}: restarting"
      _tryon_pg_as_owner "$data" "${TRYON_PG_BIN}/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null
    fi
  fi

  if ! _tryon_pg_running "$data"; then
    if tryon_port_in_use "$port"; then
      tryon_die "port ${port} is already in use by another process: free it or pick another port ($([[ $stack == run ]] && echo TRYON_PG_PORT || echo TRYON_TEST_PG_PORT)=...)"
    fi
    if [[ ! -f "${data}/PG_VERSION" ]]; then
      tryon_log "creating PostgreSQL (${stack}) cluster in ${data}"
      local initdb_flags=(-D "$data" -U postgres -E UTF8 --locale=C --auth=reject)
      [[ "$stack" == test ]] && initdb_flags+=(--no-sync)
      if ! _tryon_pg_as_owner "$base" "${TRYON_PG_BIN}/initdb" "${initdb_flags[@]}" >"${base}/initdb.log" 2>&1; then
        tryon_log_tail "${base}/initdb.log"
        tryon_die "initdb failed for ${data}"
      fi
    fi
    _tryon_pg_write_conf "$stack" "$data" "$port"
    tryon_log "starting PostgreSQL (${stack}) on 127.0.0.1:${port} (log: ${log})"
    if ! _tryon_pg_as_owner "$data" "${TRYON_PG_BIN}/pg_ctl" start -D "$data" -l "$log" -w -t 60 >/dev/null; then
      tryon_log_tail "$log"
      tryon_die "PostgreSQL (${stack}) did not start"
    fi
  fi

  for ((i = 0; i < 300; i++)); do
    if "${TRYON_PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then
      break
    fi
    sleep 0.1
  done
  if ((i == 300)); then
    tryon_log_tail "$log"
    tryon_die "PostgreSQL (${stack}) does not answer pg_isready on 127.0.0.1:${port}"
  fi

  # Role "tryon" (SUPERUSER so tests may CREATE DATABASE) and the database.
  _tryon_pg_psql "$port" postgres -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tryon') THEN
        CREATE ROLE tryon LOGIN SUPERUSER;
      END IF;
    END \$\$;" ||
    tryon_die "could not create role tryon in PostgreSQL (${stack})"
  if [[ "$(_tryon_pg_psql "$port" postgres -c "SELECT 1 FROM pg_database WHERE datname = '${dbname}'")" != 1 ]]; then
    _tryon_pg_psql "$port" postgres -c "CREATE DATABASE ${dbname} OWNER tryon" ||
      tryon_die "could not create database ${dbname} in PostgreSQL (${stack})"
  fi
  tryon_log "PostgreSQL (${stack}) ready: $(tryon_pg_url "$stack")"
}

tryon_pg_stop() {
  local stack="$1" base data
  [[ -x "${TRYON_PG_BIN}/pg_ctl" ]] || return 0
  while read -r base; do
    data="${base}/data"
    [[ -f "${data}/postmaster.pid" ]] || continue
    if _tryon_pg_running "$data"; then
      tryon_log "stopping PostgreSQL (${stack}) in ${data}"
      if ! _tryon_pg_as_owner "$data" "${TRYON_PG_BIN}/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null; then
        tryon_warn "fast shutdown failed: forcing an immediate shutdown"
        _tryon_pg_as_owner "$data" "${TRYON_PG_BIN}/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null || true
      fi
    fi
  done < <(_tryon_pg_base_candidates "$stack")
}
