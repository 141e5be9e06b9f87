#!/usr/bin/env bash
# The open data as its users' tools read it (`make test`): the Frictionless Data Package at
# /open-data/datapackage.json, validated with `frictionless` from PyPI against the release
# binary serving the demo data: every file's rows against its fields' types and constraints,
# primary keys unique, licence and sources present. Exit 1 with the validator's report.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/demo-tool.sh
pypi_tool frictionless 5.18.1
demo_server
# Run from the scratch directory: frictionless writes nothing, but keep the clone clean.
cd "$work"
"$venv/bin/frictionless" validate "$base/open-data/datapackage.json"
