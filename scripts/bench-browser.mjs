// Core speed inside Debian's Chromium (headless): PBKDF2 through the core (which hands it to
// WebCrypto) against WebCrypto called directly, in the same run; the pure-wasm PBKDF2 for
// comparison; and the unlock of a 10,000-item vault with the KDF excluded.
// Needs `cargo run --release --example bench_core` (writes target/bench/) and scripts/build.sh.
import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../", import.meta.url));
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };
const page = `<!doctype html><script type="module">
import init, { Session } from "/extension/pkg/keyfill.js";
await init({ module_or_path: "/extension/pkg/keyfill_bg.wasm" });
const get = (n) => fetch("/target/bench/" + n).then((r) => r.text());
const EMAIL = "bench@example.test", PASSWORD = "benchmark master password";
async function median(runs, f) {
  const t = [];
  for (let i = 0; i < runs; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}
async function pairedMedians(runs, f, g) {
  const [a, b] = [[], []];
  for (let i = 0; i < runs; i++) {
    let s = performance.now(); await f(); a.push(performance.now() - s);
    s = performance.now(); await g(); b.push(performance.now() - s);
  }
  return [a, b].map((t) => t.sort((x, y) => x - y)[Math.floor(runs / 2)]);
}
// Runs free their session (the extension holds one; unfreed sessions keep wasm memory).
async function unlock(prelogin, sync, platform, keep) {
  const s = new Session(); s.usePlatformPbkdf2(platform);
  await s.unlock(EMAIL, PASSWORD, prelogin, sync);
  if (keep) return s;
  s.free();
}
const [tp, ts, vp, vs] = await Promise.all(["tiny-pbkdf2.prelogin.json", "tiny-pbkdf2.sync.json",
  "vault-10000.prelogin.json", "vault-10000.sync.json"].map(get));
const enc = new TextEncoder();
const direct = async () => {
  const k = await crypto.subtle.importKey("raw", enc.encode(PASSWORD), "PBKDF2", false, ["deriveBits"]);
  await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode(EMAIL), iterations: 600000 }, k, 256);
};
// The two sides of the ratio take turns, so a change in machine load hits both alike.
const [webcrypto, core] = await pairedMedians(7, direct, () => unlock(tp, ts, true));
const wasm = await median(3, () => unlock(tp, ts, false));
const empty = JSON.parse(vs); empty.ciphers = []; const emptySync = JSON.stringify(empty);
const kdf = await median(5, () => unlock(vp, emptySync, false));
const whole = await median(5, () => unlock(vp, vs, false));
const s = await unlock(vp, vs, false, true);
let t = performance.now(); s.candidatesFor("https://login.site17.co.uk/"); const firstMatch = performance.now() - t;
t = performance.now(); s.search("", ""); const firstSearch = performance.now() - t;
const urls = Array.from({ length: 200 }, (_, k) => "https://login.site" + k * 13 + ".com/x");
t = performance.now(); for (const u of urls) s.candidatesFor(u); const nextMatch = (performance.now() - t) / urls.length;
window.result = { webcrypto, core, wasm, kdf, whole, firstMatch, firstSearch, nextMatch };
</script>`;

const server = http.createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path === "/") return res.end(page);
  try {
    const body = readFileSync(root + path.slice(1));
    res.writeHead(200, { "content-type": types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});
const tab = await browser.newPage();
await tab.goto(`http://127.0.0.1:${server.address().port}/`);
const r = await tab.waitForFunction(() => window.result, null, { timeout: 120000 }).then((h) => h.jsonValue());
await browser.close();
server.close();
const f = (x) => `${x.toFixed(1)} ms`;
console.log(`Chromium WebCrypto PBKDF2-SHA256 600,000 directly: ${f(r.webcrypto)}`);
console.log(`Chromium unlock through the core (PBKDF2 via WebCrypto, tiny vault): ${f(r.core)} = ${(r.core / r.webcrypto).toFixed(2)}x WebCrypto`);
console.log(`Chromium unlock with PBKDF2 in wasm (tiny vault): ${f(r.wasm)} = ${(r.wasm / r.webcrypto).toFixed(2)}x WebCrypto`);
console.log(`Chromium unlock of 10,000 items, KDF excluded: ${f(r.whole - r.kdf)} (with KDF ${f(r.whole)})`);
console.log(`Chromium first candidatesFor (builds the match index): ${f(r.firstMatch)}; then ${(r.nextMatch * 1000).toFixed(0)} µs a page (rows as JSON, mean of 200)`);
console.log(`Chromium first search (builds the search index, lists all 10,000): ${f(r.firstSearch)}`);
