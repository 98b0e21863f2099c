// The shipped wasm's size, as scripts/build.sh writes it to extension/pkg/ and reports it
// (`gzip -9`, the figure issue 19 counts in). Before the size work it was 2,879,718 bytes, 933,016
// gzipped; the goal is under 600,000 gzipped. The ceiling is the figure reached, so the wasm
// cannot grow back unnoticed: lower it as the size comes down, never raise it without saying why.
// Raised from 685,000 to 722,000 when cards and identities (their fields, formats, countries and
// the multi-frame plan: +41 KB raw of code) and the save prompt (its capture reader and offers,
// +9 KB raw, plus their JSON: +30 KB raw) came in: 677,409 → 719,048 gzipped. Lowered to
// 716,000 once the accepted offer stopped travelling back through JSON (714,334). Lowered to
// 683,000 (682,627): no serde flatten where it buffered every field, the Public Suffix List packed
// by shared suffixes, fewer sort instances, the self-test in the test build only. Lowered to
// 591,000 (590,224): the browser build (web/) without Unicode tables and without the rsa crate
// (the browser's URL, String.prototype.normalize and WebCrypto do that work), and without LTO,
// which at the levels that made it smaller slowed Argon2id by a fifth (web/Cargo.toml).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CEILING_GZIPPED = 591_000;

test(`the wasm stays under ${CEILING_GZIPPED} bytes gzipped`, () => {
  const file = fileURLToPath(new URL("../../extension/pkg/keyfill_bg.wasm", import.meta.url));
  const gzipped = execFileSync("gzip", ["-9c", file], { maxBuffer: 1 << 26 }).length;
  console.log(`wasm: ${statSync(file).size} bytes, ${gzipped} gzipped (ceiling ${CEILING_GZIPPED})`);
  assert.ok(gzipped <= CEILING_GZIPPED, `the wasm is ${gzipped} bytes gzipped, over ${CEILING_GZIPPED}`);
});
