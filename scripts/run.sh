#!/usr/bin/env bash
# Runs Keyfill: builds the extension and opens Chromium with it on the bundled demo site, with a
# demo local vault (its master password is printed). Headless without a display: the same tour,
# with screenshots and a one-line summary.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser
bash scripts/build.sh
node scripts/demo.mjs
