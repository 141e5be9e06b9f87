#!/usr/bin/env bash
# Property-based testing of the API (`make test`, `make fuzz`): schemathesis, from PyPI,
# generates requests from /api/v1/openapi.json against the release binary serving the demo
# data, and fails on any 5xx or any response that breaks the schema.
# SCHEMATHESIS_SECONDS bounds the run (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${EXEMPLAR_VENV:-$HOME/.cache/exemplar/venv}"
version=4.32.5
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$version"
fi
work=$(mktemp -d)
./target/release/exemplar serve --demo --addr 127.0.0.1:0 --database-url "sqlite://$work/api.db" 2>"$work/log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
base=
for _ in $(seq 100); do
  base=$(grep -o 'serving on http://[0-9.:]*' "$work/log" | head -1 | cut -d' ' -f3 || true)
  [ -n "$base" ] && break
  sleep 0.2
done
[ -n "$base" ] || { cat "$work/log"; echo "schemathesis: the server did not start"; exit 1; }
"$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --max-time "${SCHEMATHESIS_SECONDS:-60}" --workers 2 --suppress-health-check all \
  --phases examples,coverage,fuzzing
