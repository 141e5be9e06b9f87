#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `pg-test.sh start DIR` initialises and starts
# one in DIR on a free loopback port as an ordinary process (no system service) and prints
# its URL; `pg-test.sh start-tls DIR` does the same for a cluster that accepts TLS
# connections only, with a certificate for 127.0.0.1 and localhost from a throwaway
# certificate authority (DIR/ca.pem); `pg-test.sh stop DIR` stops either and removes DIR.
# initdb refuses to run as root, so as root the cluster runs as the `postgres` user (created
# by Debian's package) via runuser.
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?a folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg-test: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start|start-tls)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U exemplar --encoding UTF8 --locale C >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    tls_options=
    if [ "$cmd" = start-tls ]; then
      # A certificate authority of its own, and the server's certificate signed by it.
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Exemplar test CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" >"$dir/openssl.log" 2>&1
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
        -keyout "$dir/data/server.key" -out "$dir/server.csr" >>"$dir/openssl.log" 2>&1
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext"
      openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -CAcreateserial -days 2 -extfile "$dir/san.ext" -out "$dir/data/server.crt" >>"$dir/openssl.log" 2>&1
      chmod 600 "$dir/data/server.key"
      [ "$(id -u)" = 0 ] && chown postgres "$dir/data/server.key" "$dir/data/server.crt"
      # TCP connections with TLS only; without it, refused.
      printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n' \
        >"$dir/data/pg_hba.conf"
      tls_options="-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 $tls_options" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://exemplar@127.0.0.1:$port"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
