#!/usr/bin/env bash
# The release build without cargo-leptos: what `cargo leptos build --release` 0.3.10 did for
# this workspace ([[workspace.metadata.leptos]] in Cargo.toml), with cargo, the wasm-bindgen
# CLI and npm's binaryen (wasm-opt) and terser:
#
#   1. the server:  cargo build --release -p exemplar --bin exemplar
#   2. the wasm:    cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
#                   (frontend turns on app/hydrate and leptos/hydrate itself), once for each islands
#                   bundle with its feature (`--features calculator`): a page loads only the
#                   islands it has (app/src/ui/mod.rs, ISLAND_PAGES and BUNDLES)
#   3. wasm-bindgen --target web --out-name exemplar-BUNDLE, then exemplar-BUNDLE_bg.wasm renamed
#      exemplar-BUNDLE.wasm
#   4. wasm-opt -Oz (npm binaryen; Debian's wasm-opt 108 corrupts release wasm), terser on the JS
#   5. style/main.css as pkg/exemplar.css, public/ copied into the site root
#
#   6. fingerprinted names, manifest.json, .gz and .br beside each file (scripts/fingerprint.mjs)
#
# Result: the site under target/site (pkg/exemplar-BUNDLE.HASH.js and .wasm for each bundle,
# pkg/exemplar.css and its fingerprinted copy, public/'s files, manifest.json) and the binary
# at target/release/exemplar. The site is built beside the old
# one and swapped in at the end, so a running server never sees half of it.
#
# LEPTOS_OUTPUT_NAME is set for both cargo builds, as cargo-leptos did: leptos reads it with
# option_env! when it is compiled, and HydrationScripts then links `exemplar.wasm` (without it,
# `exemplar_bg.wasm`). The server builds its LeptosOptions in code (server/src/web.rs), so no
# other LEPTOS_* variable matters at compile time. Server and wasm must come from the same
# checkout: server-function URLs carry a hash of the crate's path.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
name=exemplar
site=target/site
# The islands bundles: the same list as BUNDLES in app/src/ui/mod.rs (a test compares them).
bundles="calculator forms compare"
bindgen_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
export LEPTOS_OUTPUT_NAME=$name

step() { printf '\n== %s\n' "$*" >&2; }
die() { echo "build-site: $*" >&2; exit 1; }

command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $bindgen_version\$" ||
  die "wasm-bindgen $bindgen_version is needed (cargo install wasm-bindgen-cli --version $bindgen_version)"
wasm_opt=$root/node_modules/.bin/wasm-opt
terser=$root/node_modules/.bin/terser
[ -x "$wasm_opt" ] && [ -x "$terser" ] || die "npm's binaryen and terser are missing: run npm ci"
[ -f public/nhsuk/nhsuk-frontend.min.css ] || die "public/nhsuk is missing: run ./scripts/vendor-nhsuk.sh"
target_dir=$(cargo metadata --no-deps --format-version 1 | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)

# Side by side: the server's build keeps about 1.3 of the 2 cores busy on its own, and the two
# use different profiles (release, wasm-release), so neither waits for the other's lock.
step "server (cargo build --release -p exemplar) and wasm (cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release, once for each of: $bundles), side by side"
cargo build --locked --release -p exemplar --bin exemplar &
server_build=$!
new=$site.new
rm -rf "$new"
mkdir -p "$new/pkg" target/release
wasm_status=0
for bundle in $bundles; do
  cargo build --locked -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release \
    --features "$bundle" || { wasm_status=$?; break; }
  # Each build writes the same file: wasm-bindgen takes it before the next bundle's build.
  wasm-bindgen --target web --no-typescript --out-name "$name-$bundle" --out-dir "$new/pkg" \
    "$target_dir/wasm32-unknown-unknown/wasm-release/frontend.wasm"
done
server_status=0
wait $server_build || server_status=$?
[ "$server_status" = 0 ] || die "the server's build failed"
[ "$wasm_status" = 0 ] || die "the wasm build failed"

step "wasm-opt -Oz, terser"
for bundle in $bundles; do
  out=$new/pkg/$name-$bundle
  mv "${out}_bg.wasm" "$out.wasm"
  # The flags cargo-leptos 0.3.10 gives wasm-opt for a release build.
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$out.wasm" -o "$out.wasm"
  "$terser" "$out.js" --module --compress --mangle -o "$out.js.min"
  mv "$out.js.min" "$out.js"
done

step "styles and assets"
cp style/main.css "$new/pkg/$name.css"
cp -R public/. "$new/"

step "fingerprinted names, manifest.json, .gz and .br beside each file"
node scripts/fingerprint.mjs "$new"

rm -rf "$site.old"
[ ! -d "$site" ] || mv "$site" "$site.old"
mv "$new" "$site"
rm -rf "$site.old"
cp "$target_dir/release/$name" "target/release/$name.new"
mv -f "target/release/$name.new" "target/release/$name"

for f in "$site"/pkg/"$name"-*.*.wasm "$site"/pkg/"$name"-*.*.js "$site/pkg/$name.css"; do
  printf 'build-site: %-28s %9d bytes, %7d gzip\n' "$f" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)" >&2
done
printf 'build-site: %-28s %9d bytes\n' "target/release/$name" "$(wc -c <"target/release/$name")" >&2
