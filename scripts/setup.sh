#!/usr/bin/env bash
# Installs what Keyfill's build and tests need, only what is missing: quick when all is there.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# wasm32-wasip1 runs the core's unit tests and benchmarks in wasm under Node's WASI.
for target in wasm32-unknown-unknown wasm32-wasip1; do
  if ! rustup target list --installed | grep -qx "$target"; then
    say "adding the $target target"
    rustup target add "$target"
  fi
done

# wasm-bindgen-cli must be exactly the version the crate pins with '='.
want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (takes several minutes once)"
  cargo install wasm-bindgen-cli --version "$want"
fi

# The independent implementation used by the interoperability tests.
if ! python3 -c 'import cryptography, argon2' 2>/dev/null; then
  say "installing Python cryptography and argon2-cffi"
  python3 -m pip install --quiet cryptography argon2-cffi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
fi
