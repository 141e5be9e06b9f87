#!/usr/bin/env bash
# The open data as its users' tools read it (`make test`): the Frictionless Data Package at
# /open-data/datapackage.json, validated with `frictionless` from PyPI against the release
# binary serving the demo data: every file's rows against its fields' types and constraints,
# primary keys unique, licence and sources present. Exit 1 with the validator's report.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${EXEMPLAR_VENV:-$HOME/.cache/exemplar/venv}"
version=5.18.1
if ! "$venv/bin/frictionless" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "frictionless==$version"
fi
work=$(mktemp -d)
./target/release/exemplar serve --demo --addr 127.0.0.1:0 --database-url "sqlite://$work/open.db" 2>"$work/log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
base=
for _ in $(seq 100); do
  base=$(grep -o 'serving on http://[0-9.:]*' "$work/log" | head -1 | cut -d' ' -f3 || true)
  [ -n "$base" ] && break
  sleep 0.2
done
[ -n "$base" ] || { cat "$work/log"; echo "open-data-check: the server did not start"; exit 1; }
# Run from the scratch directory: frictionless writes nothing, but keep the clone clean.
cd "$work"
"$venv/bin/frictionless" validate "$base/open-data/datapackage.json"
