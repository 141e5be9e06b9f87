#!/usr/bin/env bash
# Keeps the shared cargo target directory ($CARGO_TARGET_DIR, outside the clone) from filling
# the disk. Every clone at a new path builds its own copy of the workspace crates (the path is
# part of their hash), about 4 GB a clone in debug, and incremental state grows beside it; CI
# clones afresh each run. When less than EXEMPLAR_MIN_FREE_GB (default 25) is free, this
# removes the incremental state and the workspace crates' build outputs (rebuilt in minutes);
# the dependencies' outputs, the slow part of a cold build, stay.
set -euo pipefail
target=${CARGO_TARGET_DIR:?CARGO_TARGET_DIR is not set}
min_gb=${EXEMPLAR_MIN_FREE_GB:-25}
[ -d "$target" ] || exit 0
free_gb=$(( $(df -Pk "$target" | awk 'NR==2 {print $4}') / 1024 / 1024 ))
[ "$free_gb" -lt "$min_gb" ] || exit 0
echo "prune-target: ${free_gb} GB free (under ${min_gb} GB): removing incremental state and the workspace crates' outputs from $target"
for profile in "$target"/debug "$target"/release; do
  [ -d "$profile" ] || continue
  rm -rf "$profile/incremental"
  find "$profile/deps" "$profile/.fingerprint" -maxdepth 1 \
    \( -name 'app-*' -o -name 'libapp-*' -o -name 'exemplar-*' -o -name 'libexemplar-*' \
       -o -name 'it-*' -o -name 'fuzz_regressions-*' -o -name 'frontend-*' -o -name 'libfrontend-*' \) \
    -exec rm -rf {} + 2>/dev/null || true
done
echo "prune-target: $(( $(df -Pk "$target" | awk 'NR==2 {print $4}') / 1024 / 1024 )) GB free now"
