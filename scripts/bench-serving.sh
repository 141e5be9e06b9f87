#!/usr/bin/env bash
# Pages served near the limit: every public page and /api/v1/scores from Exemplar beside
# nginx serving the very same bytes compressed ahead of time (gzip_static), in the same run,
# on the same machine, as a browser asks (Accept-Encoding: gzip, deflate, br, zstd), 64
# connections. Also the wasm + JS each page kind loads. Called by scripts/bench.sh (make bench)
# with the release binary and a database of published data; usable alone:
#
#   scripts/bench-serving.sh DATABASE_URL TODAY
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
today=$2
bin=./target/release/exemplar
work=$(mktemp -d)
chmod 755 "$work" # nginx's workers (www-data when started as root) read the copies
server=
nginx_pid=
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  [ -z "$nginx_pid" ] || kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v nginx >/dev/null || ls /usr/sbin/nginx >/dev/null 2>&1 ||
  { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light >/dev/null; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
EXEMPLAR_TODAY=$today EXEMPLAR_LOG=warn $bin --database-url "$db" \
  serve --addr 127.0.0.1:$port --mail-dir "$work/mail" 2>"$work/server.log" &
server=$!
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf $base/readyz >/dev/null && break; sleep 0.1; done

paths=(/ /economies /economies/e0007 /regions /trusts /benefits /how-scores-work /open-data /api/v1/scores)

# nginx's copy of each response: the bytes Exemplar serves, and the same gzipped at -9.
mkdir -p "$work/www"
{
  echo "worker_processes 2; pid $work/nginx.pid; error_log $work/nginx-error.log;"
  echo "events { worker_connections 1024; }"
  echo "http { access_log off; gzip_static on; sendfile on; tcp_nopush on;"
  nginx_port=$(free_port)
  echo "  server { listen 127.0.0.1:$nginx_port; root $work/www;"
  i=0
  for p in "${paths[@]}"; do
    i=$((i + 1))
    curl -sf -H 'Accept-Encoding: identity' -D "$work/h$i" -o "$work/www/p$i" "$base$p"
    gzip -9c "$work/www/p$i" > "$work/www/p$i.gz"
    type=$(awk 'tolower($1) == "content-type:" {sub(/\r$/, ""); $1 = ""; sub(/^ /, ""); print}' "$work/h$i")
    echo "    location = $p { default_type '$type'; rewrite ^ /p$i break; }"
  done
  echo "  }"
  echo "}"
} > "$work/nginx.conf"
"$nginx" -c "$work/nginx.conf" -p "$work" -g 'daemon off;' 2>"$work/nginx.log" &
nginx_pid=$!
anchor=http://127.0.0.1:$nginx_port
for _ in $(seq 50); do curl -sf -o /dev/null "$anchor/" && break; sleep 0.1; done
curl -sf -o /dev/null "$anchor/" || { echo "bench-serving: nginx did not answer:"; cat "$work/nginx.log" "$work/nginx-error.log" "$work/nginx.conf" 2>/dev/null; exit 1; }

ae='Accept-Encoding: gzip, deflate, br, zstd'
load() { # url -> "requests/s p99_ms errors"
  curl -sf -o /dev/null -H "$ae" "$1"
  wrk -t2 -c64 -d8s --latency -H "$ae" "$1" > "$work/wrk.txt"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' "$work/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.txt" | tr '\n' ' ')
  echo "$rps $p99 ${errors:-none}"
}

echo "== pages and API beside nginx gzip_static serving the same bytes (64 connections, $ae)"
printf '%-22s %12s %9s %12s %9s %8s  %s\n' path exemplar p99_ms nginx p99_ms ratio errors
for p in "${paths[@]}"; do
  read -r rps p99 errors < <(load "$base$p")
  read -r nrps np99 _ < <(load "$anchor$p")
  printf '%-22s %12s %9s %12s %9s %7s%%  %s\n' "$p" "$rps" "$p99" "$nrps" "$np99" \
    "$(echo "100 * $rps / $nrps" | bc -l | cut -c1-5)" "$errors"
done
echo "(goal: each at least 50% of nginx, p99 under 50 ms, no errors)"

echo "== wasm + JS a page loads, as served (brotli; the NHS.UK script and its starter are on every page)"
page_weight() { # path -> bytes of script and wasm the page links, br-encoded as served
  local html total=0 url
  html=$(curl -sf "$base$1")
  for url in $(grep -oE '(src|href)="/[^"]+\.(js|wasm)"' <<<"$html" | sed -E 's/^(src|href)="//; s/"$//' | sort -u); do
    total=$((total + $(curl -sf -H 'Accept-Encoding: br' "$base$url" | wc -c)))
    # the NHS.UK starter imports the frontend script
    if [[ $url == /nhsuk-init* ]]; then
      local inner
      inner=$(curl -sf "$base$url" | grep -oE "'\./nhsuk/[^']+'" | tr -d "'" | sed 's/^\.//')
      [ -z "$inner" ] || total=$((total + $(curl -sf -H 'Accept-Encoding: br' "$base$inner" | wc -c)))
    fi
  done
  echo $total
}
nhsuk=$(page_weight /economies)
for p in /economies /how-scores-work; do
  printf '%-22s %8d bytes (of which NHS.UK frontend %d)\n' "$p" "$(page_weight $p)" "$nhsuk"
done
# The signed-in pages' bundles, from the site's precompressed files (what those pages load
# besides the NHS.UK script).
for wasm in target/site/pkg/exemplar-*.*.wasm; do
  [ -f "$wasm.br" ] || continue
  js=${wasm%.wasm}.js
  bundle=$(basename "$wasm" | cut -d. -f1)
  printf '%-22s %8d bytes brotli, %d gzip (wasm + JS of the bundle alone)\n' "$bundle" \
    "$(( $(wc -c <"$wasm.br") + $(wc -c <"$js.br") ))" "$(( $(wc -c <"$wasm.gz") + $(wc -c <"$js.gz") ))"
done
echo "(goal: pages without an island load no wasm and no Leptos JS; pages with islands at most 100 KB of wasm + JS)"
