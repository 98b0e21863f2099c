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

// Each run frees its session: the extension holds one, and unfreed sessions keep wasm memory.
async function unlock(name, platformPbkdf2) {
  const s = new Session();
  s.usePlatformPbkdf2(platformPbkdf2);
  await s.unlock(EMAIL, PASSWORD, bench(`${name}.prelogin.json`), bench(`${name}.sync.json`));
  s.free();
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
    s.free();
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
  s.free();
});
const unlockOnly = await medianMs(5, async () => {
  const s = new Session();
  s.usePlatformPbkdf2(false);
  await s.unlock(EMAIL, PASSWORD, prelogin, sync);
  s.free();
});
console.log(`wasm unlock of 10,000 items, KDF excluded: ${(unlockOnly - kdfOnly).toFixed(1)} ms (KDF ${kdfOnly.toFixed(1)} ms)`);
// The indexes are built on first use: time those first calls, then steady-state calls.
const first = { match: [], search: [], rows: [] };
for (let i = 0; i < 5; i++) {
  const s = new Session();
  s.usePlatformPbkdf2(false);
  await s.unlock(EMAIL, PASSWORD, prelogin, sync);
  let t = performance.now();
  JSON.parse(s.candidatesFor("https://login.site17.co.uk/"));
  first.match.push(performance.now() - t);
  t = performance.now();
  JSON.parse(s.search("", ""));
  first.search.push(performance.now() - t);
  if (i === 4) {
    const urls = Array.from({ length: 200 }, (_, k) => "https://login.site" + k * 13 + ".com/x");
    t = performance.now();
    for (const u of urls) s.candidatesFor(u);
    first.steady = (performance.now() - t) / urls.length;
    const word = "account 12";
    t = performance.now();
    for (let k = 1; k <= word.length; k++) s.search(word.slice(0, k), "");
    first.keystroke = (performance.now() - t) / word.length;
  }
  s.free();
}
const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`wasm first candidatesFor (builds the match index): ${med(first.match).toFixed(1)} ms`);
console.log(`wasm first search, empty query (builds the search index, lists all): ${med(first.search).toFixed(1)} ms`);
console.log(`wasm candidatesFor through the binding (rows as JSON), mean of 200 pages: ${(first.steady * 1000).toFixed(0)} µs`);
console.log(`wasm search keystroke through the binding (rows as JSON), mean of 10: ${first.keystroke.toFixed(2)} ms`);
