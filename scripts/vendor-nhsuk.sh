#!/usr/bin/env bash
# Copies the NHS.UK frontend from node_modules into public/, which cargo-leptos serves as
# the site's assets. The CSS loads Frutiger from assets.nhs.uk: those @font-face rules are
# stripped, so no page makes an external request (the font stack falls back to Arial).
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/nhsuk-frontend/dist/nhsuk
[ -d "$src" ] || { echo "vendor-nhsuk: $src is missing; run npm ci first" >&2; exit 1; }
mkdir -p public/nhsuk public/assets/images
# Source maps are not shipped, so their comments go too.
perl -0pe 's/\@font-face\{[^}]*\}//g; s{/\*# sourceMappingURL=[^*]*\*/}{}g' \
  "$src/nhsuk-frontend.min.css" > public/nhsuk/nhsuk-frontend.min.css
if grep -q 'assets.nhs.uk' public/nhsuk/nhsuk-frontend.min.css; then
  echo "vendor-nhsuk: the CSS still refers to assets.nhs.uk" >&2
  exit 1
fi
perl -pe 's{//# sourceMappingURL=\S*}{}g' "$src/nhsuk-frontend.min.js" > public/nhsuk/nhsuk-frontend.min.js
cp "$src"/assets/images/* public/assets/images/
cp "$src/assets/images/favicon.ico" public/favicon.ico
