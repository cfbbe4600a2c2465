#!/usr/bin/env bash
# Runs the fuzz targets for a bounded time each (not part of CI, which only
# replays the corpus through tests/fuzz_corpus.rs).
#
#   scripts/fuzz.sh [SECONDS]      # default 60 seconds per target
#
# Needs cargo-fuzz (installed here when missing). The stable toolchain is
# allowed nightly flags with RUSTC_BOOTSTRAP=1, which cargo-fuzz needs for
# the sanitizer. The fuzzer grows a working corpus under fuzz/target
# (seeded from fuzz/corpus); a crash is saved in fuzz/artifacts:
# add it to fuzz/corpus/<target> with the fix, so CI replays it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
# The targets are the ones fuzz/Cargo.toml declares.
for target in $(cargo fuzz list); do
    echo "==> fuzzing $target for ${seconds}s" >&2
    work="fuzz/target/corpus/$target"
    mkdir -p "$work"
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" \
        "$work" "fuzz/corpus/$target" -- -max_total_time="$seconds" -max_len=4096
done
