#!/usr/bin/env bash
# Runs every test: formatting and lints, the test server's self-test, the Rust suite (native),
# then the wasm build and the tests that run it (Node, and the extension in Chromium). Installs
# what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser
if [ ! -d ../shared ] && [ -z "${KEYFILL_SHARED:-}" ]; then
  echo "test: ../shared (vectors and fixtures) must sit beside the checkout" >&2
  exit 1
fi

cargo fmt --check
python3 tests/server/selftest.py
cargo clippy --all-targets --quiet -- -D warnings
cargo test

bash scripts/build.sh
node --test tests/e2e/
