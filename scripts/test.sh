#!/usr/bin/env bash
# Runs every test: formatting and lints, the test server's self-test, the Rust suite (native),
# the core's unit tests in wasm, then the wasm build and the tests that run it (Node, and the
# extension in Chromium). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser

cargo fmt --check
circles=$(python3 scripts/check-import-circles.py) || { echo "$circles" >&2; exit 1; }
python3 tests/server/selftest.py
cargo clippy --all-targets --quiet -- -D warnings
cargo test
# The core's unit tests again inside wasm (with SIMD, as the extension runs them).
CARGO_TARGET_WASM32_WASIP1_RUNNER="node scripts/wasi-run.mjs" \
  cargo test --release --quiet --target wasm32-wasip1 --lib

# dist/ (the shipped build) and dist-test/ (with the worker's test hooks, which the browser
# tests load); a test checks dist/ holds no hook.
bash scripts/build.sh
node --test tests/e2e/
