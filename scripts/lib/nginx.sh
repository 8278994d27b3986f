# shellcheck shell=bash
# nginx in front of the cluster's nodes (scripts/cluster): its own config,
# pid, logs and temp paths under one directory, in the foreground of a
# process we own (daemon off): nothing system-wide is read or written but
# /etc/nginx/mime.types. Sourced after common.sh.
#
#   tryon_nginx_write_conf DIR PORT TLS_DIR MEDIA_ROOT MAX_UPLOAD NODE_PORT...
#   tryon_nginx_start DIR      checks the config (nginx -t), starts nginx
#   tryon_nginx_stop DIR       stops it (fine if it does not run)

TRYON_NGINX_BIN="${TRYON_NGINX_BIN:-/usr/sbin/nginx}"

# The WebSocket proxy timeouts: longer than the server's idle bound (60 s,
# net/ws_session.cpp), so nginx never cuts a quiet but live socket first.
TRYON_NGINX_WS_TIMEOUT_S=300

# Room for the multipart envelope around an upload of TRYON_MAX_UPLOAD_SIZE
# bytes: nginx must not refuse what the server would accept.
TRYON_NGINX_UPLOAD_SLACK=65536

tryon_nginx_write_conf() {
  local dir="$1" port="$2" tls="$3" media="$4" max_upload="$5"
  shift 5
  local node_port servers="" user_line=""
  for node_port in "$@"; do
    # A node that refuses connections is skipped for 2 s, so a killed node
    # costs its phones one failed attempt each, not one per request.
    servers+="    server 127.0.0.1:${node_port} max_fails=1 fail_timeout=2s;"$'\n'
  done
  # As root the workers would become "nobody", who may not read the media
  # root or write the temp paths below: they keep our user instead.
  if tryon_is_root; then
    user_line="user $(id -un) $(id -gn);"
  fi
  mkdir -p "${dir}/logs" "${dir}/tmp"
  cat >"${dir}/nginx.conf" <<CONF
# Written by scripts/lib/nginx.sh on every scripts/cluster: edit the script.
${user_line}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;

events {
    worker_connections 8192;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_tokens off;
    sendfile on;

    # The access log names the path only (\$uri, never \$request or
    # \$args): WebSocket URLs carry ?token=, browsers' Referer too.
    log_format tryon '\$remote_addr [\$time_iso8601] "\$request_method \$uri" '
                     '\$status \$body_bytes_sent \$request_time '
                     'upstream=\$upstream_addr/\$upstream_status';
    access_log ${dir}/logs/access.log tryon;
    # nginx's own errors quote the request line (token included) from
    # level "error" down; "crit" keeps them out. Failed upstreams show in
    # the access log's upstream= field.
    error_log ${dir}/logs/error.log crit;

    client_body_temp_path ${dir}/tmp/client_body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;

    map \$http_upgrade \$tryon_connection {
        default upgrade;
        ''      '';
    }

    upstream tryon_nodes {
        # Phones hold their sockets for minutes: count them, not requests.
        least_conn;
${servers}        keepalive 32;
    }

    server {
        # IPv4 loopback only: containers often have no ::1.
        listen 127.0.0.1:${port} ssl;
        ssl_certificate ${tls}/server.crt;
        ssl_certificate_key ${tls}/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:tryon_tls:1m;

        client_max_body_size $((max_upload + TRYON_NGINX_UPLOAD_SLACK));

        # Media straight from the shared media root; never its dot-names
        # (.tmp holds uploads in progress), as the server refuses them too.
        location ^~ /media/ {
            alias ${media}/;
            location ~ /\. {
                return 404;
            }
            expires 1h;
        }

        location / {
            proxy_pass http://tryon_nodes;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$tryon_connection;
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout ${TRYON_NGINX_WS_TIMEOUT_S}s;
            proxy_send_timeout ${TRYON_NGINX_WS_TIMEOUT_S}s;
            proxy_connect_timeout 2s;
            proxy_buffering off;
        }
    }
}
CONF
}

# Prints the pid of DIR's nginx master if it runs (per DIR/nginx.pid).
_tryon_nginx_pid() {
  local dir="$1" pid cmd
  [[ -f "${dir}/nginx.pid" ]] || return 1
  pid="$(tr -dc '0-9' <"${dir}/nginx.pid")"
  tryon_pid_alive "$pid" || return 1
  # nginx rewrites its command line: "nginx: master process <argv...>".
  cmd="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == "nginx: master process"*"${dir}/nginx.conf"* ]] || return 1
  printf '%s\n' "$pid"
}

tryon_nginx_start() {
  local dir="$1" log="${1}/logs/nginx.out" i
  [[ -x "$TRYON_NGINX_BIN" ]] ||
    tryon_die "nginx is not installed (${TRYON_NGINX_BIN} missing): install nginx-light"
  tryon_nginx_stop "$dir"
  # -e: the error log before the config is read (the default is system-wide).
  if ! "$TRYON_NGINX_BIN" -t -q -p "$dir" -c "${dir}/nginx.conf" \
    -e "${dir}/logs/error.log" 2>"${dir}/logs/config-test.log"; then
    tryon_log_tail "${dir}/logs/config-test.log" 20
    tryon_die "nginx refused ${dir}/nginx.conf (see above)"
  fi
  tryon_log "starting nginx (config ${dir}/nginx.conf)"
  tryon_start_bg "${dir}/nginx.start.pid" "$log" \
    "$TRYON_NGINX_BIN" -p "$dir" -c "${dir}/nginx.conf" -e "${dir}/logs/error.log"
  for ((i = 0; i < 100; i++)); do
    _tryon_nginx_pid "$dir" >/dev/null && return 0
    if ! tryon_pid_alive "$(cat "${dir}/nginx.start.pid")"; then
      break
    fi
    sleep 0.1
  done
  tryon_log_tail "$log" 20
  tryon_log_tail "${dir}/logs/error.log" 20
  tryon_die "nginx did not start"
}

tryon_nginx_stop() {
  local dir="$1" pid
  if pid="$(_tryon_nginx_pid "$dir")"; then
    # SIGTERM is nginx's fast shutdown: a graceful one (SIGQUIT) would wait
    # for every proxied WebSocket to end.
    tryon_stop_pid "$pid" nginx 10 || return 1
  fi
  rm -f "${dir}/nginx.pid" "${dir}/nginx.start.pid"
}
