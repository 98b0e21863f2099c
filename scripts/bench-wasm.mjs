// Core speed in wasm (Node), the counterpart of `cargo run --release --example bench_core`,
// which must run first: it writes the synthetic accounts to target/bench/.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import init, { Session } from "../extension/pkg/keyfill.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const bench = (name) => readFileSync(`${root}target/bench/${name}`, "utf8");
await init({ module_or_path: readFileSync(`${root}extension/pkg/keyfill_bg.wasm`) });

const EMAIL = "bench@example.test";
const PASSWORD = "benchmark master password";

async function medianMs(runs, f) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function unlock(name, platformPbkdf2) {
  const s = new Session();
  s.usePlatformPbkdf2(platformPbkdf2);
  await s.unlock(EMAIL, PASSWORD, bench(`${name}.prelogin.json`), bench(`${name}.sync.json`));
  return s;
}

const tinyWasm = await medianMs(5, () => unlock("tiny-pbkdf2", false));
const tinySubtle = await medianMs(5, () => unlock("tiny-pbkdf2", true));
console.log(`wasm PBKDF2-SHA256 600,000 (pure Rust in wasm): ${tinyWasm.toFixed(1)} ms`);
console.log(`WebCrypto PBKDF2-SHA256 600,000 (what the core uses): ${tinySubtle.toFixed(1)} ms`);
const argon = await medianMs(3, () => unlock("tiny-argon2", true));
console.log(`wasm Argon2id 64 MiB / 3 / 4: ${argon.toFixed(1)} ms`);

// The 10,000-item vault uses PBKDF2 at 5,000 iterations; time that KDF alone on a tiny account
// with the same cost to subtract it.
const prelogin = bench("vault-10000.prelogin.json");
const sync = bench("vault-10000.sync.json");
for (const platform of [false]) {
  const whole = await medianMs(5, async () => {
    const s = new Session();
    s.usePlatformPbkdf2(platform);
    await s.unlock(EMAIL, PASSWORD, prelogin, sync);
    if (JSON.parse(s.summaries()).length !== 10000) throw new Error("wrong count");
  });
  console.log(`wasm unlock of 10,000 items incl. 5,000-iteration KDF and JSON.parse of rows: ${whole.toFixed(1)} ms`);
}
const empty = JSON.parse(sync);
empty.ciphers = [];
const emptySync = JSON.stringify(empty);
const kdfOnly = await medianMs(5, async () => {
  const s = new Session();
  s.usePlatformPbkdf2(false);
  await s.unlock(EMAIL, PASSWORD, prelogin, emptySync);
});
const unlockOnly = await medianMs(5, async () => {
  const s = new Session();
  s.usePlatformPbkdf2(false);
  await s.unlock(EMAIL, PASSWORD, prelogin, sync);
});
console.log(`wasm unlock of 10,000 items, KDF excluded: ${(unlockOnly - kdfOnly).toFixed(1)} ms (KDF ${kdfOnly.toFixed(1)} ms)`);
