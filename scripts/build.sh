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
# The popup as one module: loading its ~17 modules one by one costs ~60-80 ms of the popup's
# opening on this machine. The sources stay modules (the repository root loads them as they are).
node_modules/.bin/esbuild extension/popup/popup.js --bundle --format=esm --minify --log-level=warning \
  --outfile=dist/extension/popup/popup.js --allow-overwrite
find dist/extension/popup -name '*.js' ! -path dist/extension/popup/popup.js -delete
rmdir dist/extension/popup/views 2>/dev/null || true
sed -i '/rel="modulepreload"/d; /Fetch the whole module graph at once/d' dist/extension/popup/popup.html
echo "build: dist/ ready ($(du -sh dist | cut -f1)); wasm $(wc -c < extension/pkg/keyfill_bg.wasm) bytes, gzipped $(gzip -9c extension/pkg/keyfill_bg.wasm | wc -c)" >&2
