#!/usr/bin/env bash
# The Debian package of the release build (`make package`): completions and manual pages
# generated from the binary, then `cargo deb` (installed here if missing) packs the binary,
# the site, the default framework, the systemd unit and the configuration described in
# server/Cargo.toml [package.metadata.deb]. Writes target/package/exemplar_VERSION_ARCH.deb.
set -euo pipefail
cd "$(dirname "$0")/.."
version=3.8.0
cargo deb --version 2>/dev/null | grep -q "$version" || cargo install cargo-deb --locked --version "$version"
out=target/package
rm -rf "$out" && mkdir -p "$out/completions" "$out/man"
bin=target/release/exemplar
"$bin" completions bash >"$out/completions/exemplar.bash"
"$bin" completions zsh >"$out/completions/_exemplar"
"$bin" completions fish >"$out/completions/exemplar.fish"
"$bin" manual "$out/man" 2>/dev/null
gzip -9n "$out"/man/*.1
# The binary is built (and stripped) by `make build`; cargo deb only packs it.
cargo deb -p exemplar --no-build --no-strip --output "$out/"
ls "$out"/*.deb
