#!/usr/bin/env bash
# The wasm/native ratio of full vault decryption (issue 2's speed goal): builds prof_unlock both
# ways, then alternates native and wasm runs so both see the same machine load, and prints each
# round's fastest runs and their ratio. Needs target/bench/ from `cargo run --release --example
# bench_core`. Usage: bash scripts/bench-ratio.sh [ROUNDS=6] [RUNS=30]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-6}
runs=${2:-30}
cargo build --release --quiet --example prof_unlock
cargo build --release --quiet --target wasm32-wasip1 --example prof_unlock
fastest() { sed -nE 's/.*full decryption of every field: min ([0-9.]+)ms.*/\1/p'; }
ratios=()
for _ in $(seq "$rounds"); do
  native=$(./target/release/examples/prof_unlock "$runs" | fastest)
  wasm=$(node scripts/bench-wasi.mjs prof_unlock "$runs" 2>/dev/null | fastest)
  ratio=$(awk -v n="$native" -v w="$wasm" 'BEGIN { printf "%.3f", w / n }')
  printf 'native %.1f ms  wasm %.1f ms  ratio %.2f\n' "$native" "$wasm" "$ratio"
  ratios+=("$ratio")
done
# The median round: one round can catch a burst of load on either side.
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END {
  m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
  printf "median ratio %.2f over %d rounds (%.2f-%.2f)\n", m, NR, r[1], r[NR] }'
