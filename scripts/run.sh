#!/usr/bin/env bash
# Runs Keyfill: builds the extension and the CLI, then opens the demo account with both.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh
cargo build --release --quiet --bin keyfill
node scripts/demo.mjs
