#!/usr/bin/env bash
# Benchmarks (`make bench`). Prints each figure with what it is measured against.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./target/release/exemplar
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=

for tool in sqlite3 wrk; do
  command -v $tool >/dev/null || { apt-get update && apt-get install -y sqlite3 wrk; }
done

seconds() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

echo "== release binary: $(wc -c <$bin) bytes (goal: at most 64 MB; symbols stripped)"
echo "== warm build: make build with nothing changed"
t_build=$(seconds make --no-print-directory build >/dev/null 2>&1)
echo "make build (warm, no change): ${t_build}s"
echo "(cold figures are measured on a fresh machine state, not here: see the README)"

echo "== data: 1,000 economies x 40 criteria x 16 quarters"
python3 scripts/bench-data.py "$work/data"
wc -l "$work/data/values.csv"
db="sqlite://$work/bench.db"
$bin --database-url "$db" framework load "$work/data/framework.toml"
$bin --database-url "$db" import economies "$work/data/economies.csv"

echo "== import: exemplar import values vs sqlite3 .import into a bare table"
t_sqlite=$(seconds sqlite3 "$work/bare.db" -cmd ".mode csv" ".import $work/data/values.csv bare")
/usr/bin/time -f "%M" -o "$work/rss" true
t_import=$( { /usr/bin/time -f "%e %M" $bin --database-url "$db" import values "$work/data/values.csv" 2>&1 >/dev/null; } | tail -1)
t_exemplar=${t_import% *}
rss=${t_import#* }
echo "sqlite3 .import: ${t_sqlite}s; exemplar import values: ${t_exemplar}s; peak RSS ${rss} KB"
echo "ratio import/sqlite3: $(echo "$t_exemplar / $t_sqlite" | bc -l | cut -c1-5) (target at most 3)"

echo "== scores: exemplar scores (latest quarter, trajectories) vs sqlite3 printing the rows"
t_print=$(seconds sh -c "sqlite3 '$work/bare.db' 'SELECT * FROM bare' > /dev/null")
t_scores=$(seconds sh -c "$bin --database-url '$db' scores > /dev/null")
echo "sqlite3 print: ${t_print}s; exemplar scores: ${t_scores}s"
echo "ratio scores/sqlite3: $(echo "$t_scores / $t_print" | bc -l | cut -c1-5) (target at most 5)"

echo "== GET /api/v1/scores, warm, one connection"
EXEMPLAR_TODAY=2016-06-01 $bin --database-url "$db" publish --through 2015-Q4
$bin --database-url "$db" serve --addr 127.0.0.1:38517 2>"$work/server.log" &
server=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:38517/readyz >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:38517/api/v1/scores >/dev/null
wrk -t1 -c1 -d10s --latency http://127.0.0.1:38517/api/v1/scores | sed -n '/Latency Distribution/,/99%/p'
echo "(target: median under 10 ms)"
kill $server 2>/dev/null || true; wait $server 2>/dev/null || true

echo "== public pages: 200 economies x 12 published quarters"
python3 scripts/bench-data.py "$work/public" 200 12
pdb="sqlite://$work/public.db"
$bin --database-url "$pdb" framework load "$work/public/framework.toml"
$bin --database-url "$pdb" import economies "$work/public/economies.csv"
$bin --database-url "$pdb" import values "$work/public/values.csv"
EXEMPLAR_TODAY=2015-04-20 $bin --database-url "$pdb" publish --through 2014-Q4
./scripts/bench-serving.sh "$pdb" 2015-04-20

echo "== overload: 200 connections for 20 s mixing pages, API calls, sign-ins and form posts"
EXEMPLAR_TODAY=2015-04-20 $bin --database-url "$pdb" serve --addr 127.0.0.1:38519 2>"$work/overload.log" &
server=$!
base=http://127.0.0.1:38519
for _ in $(seq 50); do curl -sf $base/readyz >/dev/null && break; sleep 0.2; done
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
wrk -t2 -c200 -d20s --timeout 10s --latency -s scripts/overload.lua "$base" > "$work/overload.txt"
sed -n '/Latency Distribution/,/99%/p;/Requests\/sec/p;/statuses:/p;/Retry-After/p;/socket errors/p' "$work/overload.txt"
rss_peak=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
rss_after=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
echo "server RSS: ${rss_before} KB before, peak ${rss_peak} KB, ${rss_after} KB after"
recovery=$(curl -s -o /dev/null -w '%{http_code} in %{time_total}s' $base/economies)
echo "first request after the load: /economies $recovery"
fivexx=$(grep -o ' 5[0-9][0-9]=[0-9]*' "$work/overload.txt" | tr '\n' ' ' || true)
echo "5xx answers: ${fivexx:-none}"
echo "(targets: no 5xx and no socket errors, 429 only with Retry-After, memory bounded, at once ready after)"
kill $server 2>/dev/null || true; wait $server 2>/dev/null || true

echo "== public pages on PostgreSQL: one instance vs two on one database (64 connections in all)"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "SKIPPED: PostgreSQL is not installed (apt-get install postgresql)"
  exit 0
fi
pgdir=$(mktemp -d /tmp/exemplar-pg.XXXXXX)
trap 'kill $server $server2 2>/dev/null || true; ./scripts/pg-test.sh stop "$pgdir"; rm -rf "$work"' EXIT
pg=$(./scripts/pg-test.sh start "$pgdir")
psql -q "$pg/postgres" -c "CREATE DATABASE bench"
pgdb="$pg/bench"
$bin --database-url "$pgdb" framework load "$work/public/framework.toml"
$bin --database-url "$pgdb" import economies "$work/public/economies.csv"
$bin --database-url "$pgdb" import values "$work/public/values.csv"
EXEMPLAR_TODAY=2015-04-20 $bin --database-url "$pgdb" publish --through 2014-Q4
EXEMPLAR_TODAY=2015-04-20 $bin --database-url "$pgdb" serve --addr 127.0.0.1:38521 2>"$work/pg1.log" &
server=$!
EXEMPLAR_TODAY=2015-04-20 $bin --database-url "$pgdb" serve --addr 127.0.0.1:38522 2>"$work/pg2.log" &
server2=$!
for port in 38521 38522; do
  for _ in $(seq 50); do curl -sf http://127.0.0.1:$port/readyz >/dev/null && break; sleep 0.2; done
done
for p in /economies /economies/e0007 /api/v1/scores; do
  curl -sf -o /dev/null "http://127.0.0.1:38521$p"; curl -sf -o /dev/null "http://127.0.0.1:38522$p"
  one=$(wrk -t2 -c64 -d8s "http://127.0.0.1:38521$p" | awk '/Requests\/sec/ {print $2}')
  wrk -t1 -c32 -d8s "http://127.0.0.1:38521$p" > "$work/a.txt" &
  first=$!
  wrk -t1 -c32 -d8s "http://127.0.0.1:38522$p" > "$work/b.txt"
  wait $first
  two=$(cat "$work/a.txt" "$work/b.txt" | awk '/Requests\/sec/ {s += $2} END {print s}')
  printf '%-20s one instance %10s req/s   two instances %10s req/s   (%s x)\n' "$p" "$one" "$two" \
    "$(echo "$two / $one" | bc -l | cut -c1-4)"
done
echo "(target: two instances not slower than one; on this 2-core machine both share the same cores with PostgreSQL and wrk)"
