# Sourced by the scripts that point a Python tool from PyPI at the demo (schemathesis.sh,
# open-data-check.sh): `pypi_tool NAME VERSION` installs NAME==VERSION into the shared venv
# when missing; `demo_server` starts the release binary on the demo data on a free port,
# stops it on exit, and sets `base` to its address and `work` to its scratch folder.
venv="${EXEMPLAR_VENV:-$HOME/.cache/exemplar/venv}"

pypi_tool() {
  if ! "$venv/bin/$1" --version 2>/dev/null | grep -q "$2"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "$1==$2"
  fi
}

demo_server() {
  work=$(mktemp -d)
  ./target/release/exemplar serve --demo --addr 127.0.0.1:0 --database-url "sqlite://$work/demo.db" 2>"$work/log" &
  server=$!
  trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
  base=
  for _ in $(seq 100); do
    base=$(grep -o 'serving on http://[0-9.:]*' "$work/log" | head -1 | cut -d' ' -f3 || true)
    [ -n "$base" ] && break
    sleep 0.2
  done
  [ -n "$base" ] || { cat "$work/log"; echo "$(basename "$0"): the server did not start"; exit 1; }
}
