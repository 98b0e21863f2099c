// The demo tour, in Node: unlock the bundled demo account with the wasm core (as the extension's
// worker does), list it, lock it; then export it with the CLI.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import init, { Session } from "../extension/pkg/keyfill.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const demo = (name) => readFileSync(`${root}tests/fixtures/demo-account/${name}`, "utf8");
const email = demo("email").trim();
const password = demo("password");

await init({ module_or_path: readFileSync(`${root}extension/pkg/keyfill_bg.wasm`) });
console.log(`Demo account ${email}, master password: ${password}`);
const session = new Session();
let t = performance.now();
await session.unlock(email, password, demo("prelogin.json"), demo("sync.json"));
console.log(`Unlocked in ${(performance.now() - t).toFixed(0)} ms (PBKDF2 600,000 via WebCrypto).`);
for (const row of JSON.parse(session.summaries())) {
  console.log(`  ${row.name.padEnd(20)} ${row.subtitle}`);
}
session.lock();
console.log(`Locked: ${!session.isUnlocked()}`);
const exported = execFileSync(
  `${root}target/release/keyfill`,
  ["export", "--email", email, "--prelogin", `${root}tests/fixtures/demo-account/prelogin.json`,
    "--sync", `${root}tests/fixtures/demo-account/sync.json`],
  { env: { ...process.env, KEYFILL_PASSWORD: password } },
);
console.log(`keyfill export: ${JSON.parse(exported).items.length} items as Bitwarden JSON.`);
