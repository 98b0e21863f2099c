#!/usr/bin/env bash
# Builds the wasm core into extension/pkg/ and writes dist/, the loadable extension.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --lib --release --target wasm32-unknown-unknown
rm -rf extension/pkg
wasm-bindgen --target web --out-dir extension/pkg --no-typescript --experimental-reset-state-function \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/keyfill.wasm"

rm -rf dist
mkdir -p dist
cp manifest.json dist/
cp -r extension dist/extension
[ -d _locales ] && cp -r _locales dist/
echo "build: dist/ ready ($(du -sh dist | cut -f1)); wasm $(wc -c < extension/pkg/keyfill_bg.wasm) bytes, gzipped $(gzip -9c extension/pkg/keyfill_bg.wasm | wc -c)" >&2
