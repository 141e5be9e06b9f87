#!/usr/bin/env bash
# Property-based testing of the API (`make test`, `make fuzz`): schemathesis, from PyPI,
# generates requests from /api/v1/openapi.json against the release binary serving the demo
# data, and fails on any 5xx or any response that breaks the schema.
# SCHEMATHESIS_SECONDS bounds the run (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/demo-tool.sh
pypi_tool schemathesis 4.32.5
demo_server
"$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --max-time "${SCHEMATHESIS_SECONDS:-60}" --workers 2 --suppress-health-check all \
  --phases examples,coverage,fuzzing
