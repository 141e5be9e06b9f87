#!/usr/bin/env bash
# Fuzzing (`make fuzz`; briefly in `make test`): every target of fuzz/ under libFuzzer for
# FUZZ_SECONDS each (default 60), on the nightly toolchain (RUSTC_BOOTSTRAP=1 on stable when
# there is none). A crash is copied into fuzz/regressions/<target>/, which the app's tests
# replay from then on, and the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/exemplar/fuzz-target}"
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked --version 0.13.2
if rustup toolchain list | grep -q '^nightly'; then
  fuzz() { cargo +nightly fuzz "$@"; }
else
  fuzz() { RUSTC_BOOTSTRAP=1 cargo fuzz "$@"; }
fi
fuzz build
failed=0
for target in framework values economies trusts fields documents; do
  mkdir -p "fuzz/corpus/$target"
  log=$(mktemp)
  if fuzz run "$target" "fuzz/corpus/$target" "fuzz/regressions/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 >"$log" 2>&1; then
    runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | cut -d' ' -f2)
    echo "fuzz $target: ${seconds}s, ${runs:-?} inputs, no crash (corpus $(ls "fuzz/corpus/$target" | wc -l))"
  else
    failed=1
    tail -30 "$log"
    for crash in fuzz/artifacts/"$target"/*; do
      [ -f "$crash" ] || continue
      cp "$crash" "fuzz/regressions/$target/"
      echo "fuzz $target: CRASH kept as fuzz/regressions/$target/$(basename "$crash")"
    done
  fi
  rm -f "$log"
done
exit $failed
