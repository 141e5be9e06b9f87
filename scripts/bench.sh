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

echo "== page weight: gzip bytes of the wasm + JS every page loads"
for f in target/site/pkg/exemplar.wasm target/site/pkg/exemplar.js public/nhsuk/nhsuk-frontend.min.js public/nhsuk-init.js; do
  printf '%-45s %8d bytes gzip\n' "$f" "$(gzip -9c "$f" | wc -c)"
done
total=$(cat target/site/pkg/exemplar.wasm | gzip -9c | wc -c)
total=$((total + $(gzip -9c target/site/pkg/exemplar.js | wc -c) + $(gzip -9c public/nhsuk/nhsuk-frontend.min.js | wc -c) + $(gzip -9c public/nhsuk-init.js | wc -c)))
echo "every page kind (one wasm bundle for all islands): $total bytes gzip (budget 256000)"

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
