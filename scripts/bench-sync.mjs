// Sync speed in the extension (Chromium, headless) against the test server seeded by
// `cargo run --release --example bench_sync` (target/bench/sync-10000.sqlite): adding the
// 10,000-item account (prelogin, KDF, login, first sync, decrypt, store), with the KDF timed on
// its own to subtract it; then a no-change sync and the requests it made.
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, ROOT } from "../tests/e2e/support/browser.mjs";
import { startServer } from "../tests/e2e/support/bw-server.mjs";

const EMAIL = "bench@example.test";
const PASSWORD = "benchmark master password";
const dir = mkdtempSync(join(tmpdir(), "keyfill-bench-sync-"));
copyFileSync(join(ROOT, "target/bench/sync-10000.sqlite"), join(dir, "db.sqlite"));
const server = await startServer({ dir });
const b = await launch();
try {
  // The KDF alone, as the worker runs it (PBKDF2 through SubtleCrypto, the account's 100,000).
  const kdf = await b.worker.evaluate(async ([pw, salt]) => {
    const enc = new TextEncoder();
    const t = performance.now();
    const k = await crypto.subtle.importKey("raw", enc.encode(pw), "PBKDF2", false, ["deriveBits"]);
    await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode(salt), iterations: 100000 }, k, 256);
    return performance.now() - t;
  }, [PASSWORD, EMAIL]);
  const t = performance.now();
  const added = await b.api("addAccount", { server: server.base, email: EMAIL, password: PASSWORD });
  const whole = performance.now() - t;
  if (!added.ok) throw new Error(JSON.stringify(added.error));
  const rows = (await b.api("search", { query: "", filters: { limit: 100000 } })).rows.length;
  await fetch(`${server.base}/__test/reset-log`, { method: "POST" });
  const t2 = performance.now();
  const again = await b.api("syncNow");
  const quiet = performance.now() - t2;
  const log = await (await fetch(`${server.base}/__test/requests`)).json();
  console.log(`Extension: adding a ${rows}-item account took ${whole.toFixed(0)} ms; the KDF alone ${kdf.toFixed(0)} ms; so first sync and decrypt after the KDF ${(whole - kdf).toFixed(0)} ms (login, the server's answer, storing the copy included)`);
  console.log(`Extension: no-change sync ${quiet.toFixed(0)} ms (${again.ok ? "ok" : again.error.code}), requests: ${JSON.stringify(log.requests ?? log)}`);
} finally {
  await b.close();
  await server.cleanup();
}
