#!/usr/bin/env bash
# Runs every test: lints and formatting (ESLint, rustfmt, clippy), the test server's self-test,
# the Rust suite (native), the core's unit tests in wasm, then the wasm build and the tests that
# run it (Node, and the extension in Chromium). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser

# The JavaScript first (quick): the extension, the browser tests and the scripts (eslint.config.js).
node_modules/.bin/eslint extension tests/e2e scripts eslint.config.js
cargo fmt --check
circles=$(python3 scripts/check-import-circles.py) || { echo "$circles" >&2; exit 1; }
python3 tests/server/selftest.py
cargo clippy --all-targets --quiet -- -D warnings
# The binding (src/wasm*) is only compiled for wasm: lint it there too (with the test build's self-test).
cargo clippy --target wasm32-unknown-unknown --lib --features selftest --quiet -- -D warnings
cargo test
# The core's unit tests again inside wasm (with SIMD, as the extension runs them).
CARGO_TARGET_WASM32_WASIP1_RUNNER="node scripts/wasi-run.mjs" \
  cargo test --release --quiet --target wasm32-wasip1 --lib

# dist/ (the shipped build) and dist-test/ (with the worker's test hooks, which the browser
# tests load); a test checks dist/ holds no hook.
bash scripts/build.sh
node --test tests/e2e/
