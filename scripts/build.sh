#!/usr/bin/env bash
# Builds the wasm core into extension/pkg/ and writes the loadable extension:
#   bash scripts/build.sh          dist/ and dist-test/ (what the tests need)
#   bash scripts/build.sh --prod   dist/ only: the shipped build, no test hooks (npm run build)
#   bash scripts/build.sh --test   dist-test/ only: dist/ plus the worker's test hooks, which the
#                                  browser tests and benchmarks drive (npm run build:test)
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  "") outputs=(dist dist-test) ;;
  --prod) outputs=(dist) ;;
  --test) outputs=(dist-test) ;;
  *) echo "usage: bash scripts/build.sh [--prod|--test]" >&2; exit 2 ;;
esac

# The wasm is built from web/ (its manifest says why: a lockfile of its own), into the same target
# directory as everything else. The `wasm` profile there trades speed for size only where the core
# is not hot. The name section (function names for stack traces, ~59 KB gzipped) and the producers
# section stay out.
target_dir=${CARGO_TARGET_DIR:-target}
wasm_build() {
  cargo build --manifest-path web/Cargo.toml --target-dir "$target_dir" --profile wasm \
    --target wasm32-unknown-unknown "$@"
}
# Binds the wasm just built into $1.
bind() {
  rm -rf "$1"
  wasm-bindgen --target web --out-dir "$1" --out-name keyfill --no-typescript \
    --experimental-reset-state-function --remove-name-section --remove-producers-section \
    "$target_dir/wasm32-unknown-unknown/wasm/keyfill_web.wasm"
}
wasm_build
bind extension/pkg
# The test build's wasm adds the known-answer self-test (tests/e2e/wasm_core.test.mjs); cargo keeps
# both builds, so switching between them relinks nothing that did not change.
if [[ " ${outputs[*]} " == *" dist-test "* ]]; then
  wasm_build --features selftest
  bind "$target_dir/pkg-test"
fi

# Writes one build into $1 (dist or dist-test).
stage() {
  local out=$1
  rm -rf "$out"
  mkdir -p "$out"
  cp manifest.json "$out/"
  cp -r extension "$out/extension"
  [ -d _locales ] && cp -r _locales "$out/"
  # The popup as one module: loading its ~17 modules one by one costs ~60-80 ms of the popup's
  # opening on this machine. The sources stay modules.
  node_modules/.bin/esbuild extension/popup/popup.js --bundle --format=esm --minify --log-level=warning \
    --outfile="$out/extension/popup/popup.js" --allow-overwrite
  find "$out/extension/popup" -name '*.js' ! -path "$out/extension/popup/popup.js" -delete
  rmdir "$out/extension/popup/views" 2>/dev/null || true
  sed -i '/rel="modulepreload"/d; /Fetch the whole module graph at once/d' "$out/extension/popup/popup.html"
  # The content script: its modules bundled into one classic script (MV3 content scripts are not
  # modules) at the path injection.js registers. The strict mode the modules had goes on the file.
  # The test build's copy times its scan slices for the benchmark (extension/content/slicer.js).
  # Minified (53 -> 31 KB): it is evaluated in every frame of every page; on the 2,000-input page
  # its evaluation went from about 4.5 to 3.5 ms (scripts/bench-menu.mjs).
  local timing=false
  [ "$out" = dist-test ] && timing=true
  node_modules/.bin/esbuild extension/content/content.js --bundle --format=iife --minify --log-level=warning \
    --define:globalThis.__KEYFILL_TIMING__=$timing \
    --banner:js='"use strict";' --outfile="$out/extension/content/content.js" --allow-overwrite
  find "$out/extension/content" -name '*.js' ! -path "$out/extension/content/content.js" -delete
  if [ "$out" = dist-test ]; then
    rm -rf "$out/extension/pkg"
    cp -r "$target_dir/pkg-test" "$out/extension/pkg"
    # An MV3 worker imports statically only: an entry that loads the worker, then the hooks.
    printf '%s\n' '// The test build'"'"'s worker: the shipped worker, then the hooks the tests drive.' \
      'import "./worker.js";' 'import "./test-hooks.js";' > "$out/extension/background/worker-test.js"
    node -e '
      const fs = require("fs"), f = process.argv[1], m = JSON.parse(fs.readFileSync(f, "utf8"));
      m.background.service_worker = "extension/background/worker-test.js";
      fs.writeFileSync(f, JSON.stringify(m, null, 2) + "\n");' "$out/manifest.json"
  else
    rm "$out/extension/background/test-hooks.js"
  fi
  echo "build: $out/ ready ($(du -sh "$out" | cut -f1))" >&2
}
for out in "${outputs[@]}"; do stage "$out"; done
echo "build: wasm $(wc -c < extension/pkg/keyfill_bg.wasm) bytes, gzipped $(gzip -9c extension/pkg/keyfill_bg.wasm | wc -c)" >&2
