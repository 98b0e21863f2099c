// Equivalent domains sent by the server (the sync's `domains`) widen matching only after the
// user turns on useServerEquivalentDomains: with the setting off (the default), a server that
// declares bank.test and evil.test one site does not bring the Bank login to evil.test.
// Against the Bitwarden-protocol test server; the group is written into its database, as a
// hostile server (or an edit in the web vault) would hold it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, cli } from "./support/bw-server.mjs";
import { startSites } from "./support/site-server.mjs";
import { launch } from "./support/browser.mjs";

const EMAIL = "gus@example.test";
const MASTER = "gus's master password";
let dir;
let server;
let sites;
let b;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "keyfill-domains-"));
  server = await startServer({ mode: "vaultwarden", dir });
  server.register(EMAIL, MASTER);
  cli(["add-login", "--server", server.base, "--email", EMAIL, "--name", "Bank", "--username", "gus",
    "--password-value", "bank-secret", "--uri", "https://bank.test"], MASTER);
  execFileSync("python3", ["-c", `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE users SET equivalent_domains = ? WHERE email = ?", ('[["bank.test", "evil.test"]]', sys.argv[2]))
db.commit()`, join(dir, "db.sqlite"), EMAIL]);
  sites = await startSites();
  b = await launch();
});

after(async () => {
  await b?.close();
  await sites?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function namesOn(host) {
  const page = await b.context.newPage();
  await page.goto(sites.url(host, "/login/simple.html"));
  const { rows } = await b.api("tabItems", { tabId: await b.tabIdOf(page) });
  await page.close();
  return rows.map((r) => r.name);
}

test("a server's equivalent domains are used only once the user allows them", async () => {
  const signedIn = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.ok(signedIn.ok, JSON.stringify(signedIn));
  assert.equal((await b.api("status")).settings.useServerEquivalentDomains, false);
  assert.deepEqual(await namesOn("bank.test"), ["Bank"]);
  assert.deepEqual(await namesOn("evil.test"), []);
  // A popup fill of the Bank login on evil.test is an unmatched one: it asks first.
  const page = await b.context.newPage();
  await page.goto(sites.url("evil.test", "/login/simple.html"));
  const [bank] = (await b.api("search", { query: "Bank" })).rows;
  const fill = await b.api("fill", { id: bank.id, tabId: await b.tabIdOf(page) });
  assert.equal(fill.status, "confirm");
  assert.equal(fill.reason, "unmatched");
  await page.close();

  const on = await b.api("setSettings", { settings: { useServerEquivalentDomains: true } });
  assert.equal(on.settings.useServerEquivalentDomains, true);
  assert.deepEqual(await namesOn("evil.test"), ["Bank"]);
  // The setting survives a lock (it is applied again at unlock).
  assert.ok((await b.api("lock")).ok);
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  assert.deepEqual(await namesOn("evil.test"), ["Bank"]);
  assert.ok((await b.api("setSettings", { settings: { useServerEquivalentDomains: false } })).ok);
  assert.deepEqual(await namesOn("evil.test"), []);
});
