// The extension in Chromium: a local vault created, locked, unlocked; the worker killed while
// unlocked; auto-lock; storage holding only ciphertext; the wasm memory wiped on lock.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, seedVault, login } from "./support/browser.mjs";
import { startSites } from "./support/site-server.mjs";

const MASTER = "Tr0ub4dor&3-master-e2e";
const SECRET = "bank-password-e2e-41773";
let sites;
let b;
let ids;

before(async () => {
  sites = await startSites();
  b = await launch();
  ids = await seedVault(b, MASTER, {
    bank: login("Bank of Tests", "alice@bank.test", SECRET, ["https://bank.test"]),
  });
});

after(async () => {
  await b?.close();
  await sites?.close();
});

async function fillSimple() {
  const page = await b.context.newPage();
  await page.goto(sites.url("bank.test", "/login/simple.html"));
  const out = await b.api("fill", { id: ids.bank, tabId: await b.tabIdOf(page) });
  const values = await page.evaluate(() => [window.username.value, window.password.value]);
  await page.close();
  return { out, values };
}

test("status, lock and unlock; a wrong password is refused with its code", async () => {
  assert.equal((await b.api("status")).state, "unlocked");
  assert.ok((await b.api("lock")).ok);
  assert.equal((await b.api("status")).state, "locked");
  const locked = await b.api("search", { query: "" });
  assert.equal(locked.error.code, "locked");
  const wrong = await b.api("unlock", { password: "not the password" });
  assert.equal(wrong.error.code, "wrong_password");
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  assert.equal((await b.api("search", { query: "bank" })).rows[0].id, ids.bank);
});

test("a second vault cannot overwrite the first", async () => {
  const again = await b.api("createVault", { password: "another password" });
  assert.equal(again.error.code, "vault_exists");
});

test("nothing stored on disk holds plaintext (chrome.storage.local, IndexedDB)", async () => {
  // Everything on disk: chrome.storage.local and the IndexedDB holding the account data.
  const dump = await b.worker.evaluate(() => self.keyfillStored());
  for (const plain of [MASTER, SECRET, "alice@bank.test", "Bank of Tests", "bank.test"]) {
    assert.ok(!dump.includes(plain), `${plain} is in chrome.storage.local`);
  }
  assert.ok(dump.includes("vault.kdf") && dump.includes("ciphers"), "the vault is stored");
});

test("a killed service worker comes back unlocked and fills", async () => {
  await b.restartWorker();
  assert.equal((await b.api("status")).state, "unlocked");
  const { out, values } = await fillSimple();
  assert.equal(out.status, "filled", JSON.stringify(out));
  assert.deepEqual(values, ["alice@bank.test", SECRET]);
});

test("strict mode: a killed worker means a locked vault", async () => {
  assert.ok((await b.api("setSettings", { settings: { strict: true } })).ok);
  const session = await b.worker.evaluate(async () => Object.keys(await chrome.storage.session.get(null)));
  assert.ok(!session.includes("session.resume"));
  await b.restartWorker();
  assert.equal((await b.api("status")).state, "locked");
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  assert.ok((await b.api("setSettings", { settings: { strict: false } })).ok);
});

test("lock wipes the wasm memory: no key or password left in it", async () => {
  const item = await b.api("item", { id: ids.bank });
  assert.equal(item.item.login.password, SECRET);
  const hits = async (which) =>
    b.worker.evaluate(
      ([needles, w]) => {
        const text = new TextDecoder("latin1").decode(new Uint8Array(self.keyfillMemory()[w]));
        return needles.filter((n) => text.includes(n));
      },
      [[SECRET, "alice@bank.test"], which],
    );
  assert.ok((await hits("live")).length > 0, "the unlocked vault should be in memory");
  assert.ok((await b.api("lock")).ok);
  assert.deepEqual(await hits("wiped"), [], "the old instance's memory");
  assert.deepEqual(await hits("live"), [], "the fresh instance's memory");
  const session = await b.worker.evaluate(async () => Object.keys(await chrome.storage.session.get(null)));
  assert.ok(!session.includes("session.resume"));
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
});

test("auto-lock fires after the idle time, even across a worker restart", async () => {
  assert.ok((await b.api("setSettings", { settings: { autoLockMinutes: 0.05 } })).ok);
  await b.restartWorker();
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal((await b.api("status")).state, "locked");
  const { out, values } = await fillSimple().catch((e) => ({ out: { error: String(e) }, values: [] }));
  assert.notEqual(out.status, "filled");
  assert.deepEqual(values, ["", ""]);
  assert.ok((await b.api("setSettings", { settings: { autoLockMinutes: 15 } })).ok);
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
});

test("fill on page load: off by default; when on, HTTPS top frames only", async () => {
  // A fill is waited for (up to 10 s on a busy machine); its absence is checked after 1.5 s.
  const open = async (http, { filled = false } = {}) => {
    const page = await b.context.newPage();
    await page.goto(sites.url("bank.test", "/login/simple.html", { http }));
    if (filled) await page.waitForFunction(() => window.password.value !== "", null, { timeout: 10_000 });
    else await page.waitForTimeout(1500);
    const values = await page.evaluate(() => [window.username.value, window.password.value]);
    await page.close();
    return values;
  };
  assert.equal((await b.api("getSettings")).settings.fillOnPageLoad, false);
  assert.deepEqual(await open(false), ["", ""]);
  assert.ok((await b.api("setSettings", { settings: { fillOnPageLoad: true } })).ok);
  try {
    assert.deepEqual(await open(false, { filled: true }), ["alice@bank.test", SECRET]);
    assert.deepEqual(await open(true), ["", ""], "never on page load over http");
  } finally {
    assert.ok((await b.api("setSettings", { settings: { fillOnPageLoad: false } })).ok);
  }
});

test("a site on the opt-out list gets no content script at all", async () => {
  const reachable = async () => {
    const page = await b.context.newPage();
    await page.goto(sites.url("www.bank.test", "/login/simple.html"));
    const tabId = await b.tabIdOf(page);
    const answer = await b.worker.evaluate(
      (id) => chrome.tabs.sendMessage(id, { type: "collect", token: "probe" }).then(() => true, () => false),
      tabId,
    );
    await page.close();
    return answer;
  };
  assert.equal(await reachable(), true);
  for (const bad of ["http://[::1]/", "not a host!", "ftp://bank.test"]) {
    const out = await b.api("setSettings", { settings: { optOutSites: [bad] } });
    assert.equal(out.error?.code, "bad_request", bad);
  }
  assert.ok((await b.api("setSettings", { settings: { optOutSites: ["https://Bank.test/"] } })).ok);
  try {
    assert.deepEqual((await b.api("getSettings")).settings.optOutSites, ["bank.test"]);
    assert.equal(await reachable(), false, "injected into an opted-out site");
  } finally {
    assert.ok((await b.api("setSettings", { settings: { optOutSites: [] } })).ok);
  }
  assert.equal(await reachable(), true);
});

test("unknown messages get an explicit error; pages cannot reach the router", async () => {
  const out = await b.api("noSuchThing");
  assert.equal(out.error.code, "unknown_message");
  const page = await b.context.newPage();
  await page.goto(sites.url("bank.test", "/login/simple.html"));
  const reachable = await page.evaluate(() => typeof globalThis.chrome?.runtime?.sendMessage);
  assert.notEqual(reachable, "function");
  await page.close();
});
