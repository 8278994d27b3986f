# shellcheck shell=bash
# A local certificate authority for the cluster's TLS (scripts/cluster).
# Sourced after common.sh.
#
#   tryon_tls_certs DIR         makes DIR/ca.{crt,key} once, and a server
#                               certificate DIR/server.{crt,key} for
#                               127.0.0.1, ::1 and localhost signed by it
#                               (remade when missing or older than the CA)
#   tryon_tls_spki_hash CERT    base64 SHA-256 of CERT's public key (what
#                               Chromium's --ignore-certificate-errors-spki-list
#                               takes)
#
# The CA key stays in DIR (mode 0600): trust ca.crt on this machine only.

tryon_tls_certs() {
  local dir="$1" ext
  tryon_require_cmd openssl "Debian package openssl"
  mkdir -p "$dir"
  chmod 0700 "$dir"
  if [[ ! -s "${dir}/ca.crt" || ! -s "${dir}/ca.key" ]]; then
    tryon_log "making a local CA in ${dir}"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -nodes -keyout "${dir}/ca.key" -out "${dir}/ca.crt" -days 3650 \
      -subj "/CN=tryon local CA $(hostname) $(date +%Y%m%d%H%M%S)" \
      -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1 ||
      tryon_die "openssl could not make the CA in ${dir}"
    rm -f "${dir}/server.crt"
  fi
  if [[ ! -s "${dir}/server.crt" || ! -s "${dir}/server.key" ||
    "${dir}/ca.crt" -nt "${dir}/server.crt" ]]; then
    tryon_log "making the server certificate (127.0.0.1, ::1, localhost)"
    ext="$(mktemp)"
    printf '%s\n' \
      'basicConstraints=critical,CA:FALSE' \
      'keyUsage=critical,digitalSignature,keyEncipherment' \
      'extendedKeyUsage=serverAuth' \
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost' >"$ext"
    if ! openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -nodes -keyout "${dir}/server.key" -out "${dir}/server.csr" \
      -subj "/CN=127.0.0.1" >/dev/null 2>&1 ||
      ! openssl x509 -req -in "${dir}/server.csr" -CA "${dir}/ca.crt" \
        -CAkey "${dir}/ca.key" -CAcreateserial -out "${dir}/server.crt" \
        -days 825 -extfile "$ext" >/dev/null 2>&1; then
      rm -f "$ext"
      tryon_die "openssl could not make the server certificate in ${dir}"
    fi
    rm -f "$ext" "${dir}/server.csr"
  fi
  chmod 0600 "${dir}/ca.key" "${dir}/server.key"
  chmod 0644 "${dir}/ca.crt" "${dir}/server.crt"
}

tryon_tls_spki_hash() {
  openssl x509 -in "$1" -noout -pubkey |
    openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64
}
