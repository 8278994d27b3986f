#!/usr/bin/env bash
# The issue-14 measurement (docs/RELIABILITY.md): 12 REST requests right
# after `pg_ctl restart -m fast` of the scripts/run PostgreSQL cluster.
# Needs a running stack (scripts/run, or the same PostgreSQL with a
# tryon-server on $B), a token $T of a user, and a post id $POST.
# Prints each request's status and time.
set -euo pipefail
T="${T:?token}"
B="${B:-http://127.0.0.1:8000}"
POST="${POST:-1}"
DATA="${DATA:-$(cd "$(dirname "$0")/../.." && pwd)/var/pg/data}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
req() {
  if (($1 % 2 == 0)); then
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
      -H "Authorization: Token $T" -H 'Content-Type: application/json' \
      -d "{\"nail_post_id\": $POST}" "$B/api/try-on/session/create/"
  else
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
      -H "Authorization: Token $T" "$B/api/try-on/results/"
  fi
}
# Open every pooled connection first: each will be dead after the restart.
for i in 1 2 3 4 5 6 7 8; do req "$i" >/dev/null & done
wait
if [[ "$(id -u)" == 0 ]]; then
  runuser -u "$(stat -c %U "$DATA")" -- "$PG_BIN/pg_ctl" -D "$DATA" restart -m fast -w >/dev/null
else
  "$PG_BIN/pg_ctl" -D "$DATA" restart -m fast -w >/dev/null
fi
for i in $(seq 0 11); do req "$i"; done
