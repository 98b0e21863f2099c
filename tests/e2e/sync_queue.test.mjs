// Edits the server has not stored, in the extension against the test server with injected
// faults: the popup lists each with its reason (Retry / Keep local copy / Discard), the list
// survives a worker restart, and locking while a sync or an unlock is out ends it cleanly (lock
// answers at once, the queued edit is there at the next unlock, and the next sync sends it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startScene, cli } from "./support/bw-server.mjs";
import { launch } from "./support/browser.mjs";

const EMAIL = "gil@example.test";
const MASTER = "gil's master password";
let server;
let b;
let scene;

const watchErrors = () =>
  b.worker.evaluate(() => {
    self.__errors ??= [];
    self.addEventListener("unhandledrejection", (e) => self.__errors.push(String(e.reason?.stack ?? e.reason)));
    self.addEventListener("error", (e) => self.__errors.push(String(e.message)));
  });

before(async () => {
  scene = await startScene({ mode: "vaultwarden", email: EMAIL, password: MASTER, username: "gil", secret: "bank-secret-1" });
  ({ server, browser: b } = scene);
  const added = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.ok(added.ok, JSON.stringify(added));
  // Errors the worker did not catch, kept for the last test.
  await watchErrors();
});

after(async () => {
  await scene?.close(server);
});

const serverBank = () => JSON.parse(cli(["sync", "--server", server.base, "--email", EMAIL], MASTER)).items.find((i) => i.name === "Bank");
const bankRow = async () => (await b.api("search", { query: "Bank" })).rows.find((r) => r.name === "Bank");
const account = async () => (await b.api("status")).account;
const tid = (id) => `[data-testid="${id}"]`;

async function editBank(password) {
  const { item } = await b.api("item", { id: (await bankRow()).id });
  item.login.password = password;
  const saved = await b.api("saveItem", { item });
  assert.ok(saved.ok, JSON.stringify(saved));
}

async function openPopup() {
  const popup = await b.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(b.popupUrl);
  return popup;
}

async function until(what, fn, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const got = await fn();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

test("an edit answered with a web page stays queued with its reason; Retry sends it once the way is clear", async () => {
  await server.control("fault", { method: "PUT", path: "/api/ciphers/.*", fault: "200-html", count: 50 });
  await editBank("bank-secret-2");
  const synced = await b.api("syncNow");
  assert.ok(synced.ok, JSON.stringify(synced));
  const { unsynced } = synced.account;
  assert.equal(unsynced.length, 1, JSON.stringify(synced.account));
  assert.equal(unsynced[0].name, "Bank");
  assert.equal(unsynced[0].op, "saveCipher");
  assert.equal(unsynced[0].error.code, "server");
  assert.match(unsynced[0].error.message, /web page/);
  assert.equal(synced.account.pending, 1);
  // The back-off: an alarm at the edit's retry time (30 s after the first failure).
  const alarm = await b.worker.evaluate(() => chrome.alarms.get("sync-retry"));
  assert.ok(alarm && Math.abs(alarm.scheduledTime - unsynced[0].retryAt) < 2000, JSON.stringify([alarm, unsynced[0].retryAt]));

  // The list survives the worker stopping.
  await b.restartWorker();
  await watchErrors();
  assert.equal((await account()).unsynced?.length, 1);

  const popup = await openPopup();
  const row = popup.locator(tid("unsynced-edit"));
  await row.waitFor({ timeout: 15_000 });
  assert.match(await popup.locator(tid("unsynced-title")).textContent(), /1 change not synced/);
  assert.match(await row.textContent(), /Bank/);
  assert.match(await row.textContent(), /web page/);

  await server.control("clear-faults", {});
  await row.locator(tid("unsynced-retry")).click();
  await popup.locator(tid("unsynced")).waitFor({ state: "hidden", timeout: 15_000 });
  await popup.close();
  const after = await account();
  assert.deepEqual(after.unsynced, []);
  assert.equal(after.pending, 0);
  assert.equal(serverBank().login.password, "bank-secret-2");
  assert.equal(await b.worker.evaluate(() => chrome.alarms.get("sync-retry").then((a) => a ?? null)), null);
});

test("Discard asks first, then drops the edit", async () => {
  await server.control("fault", { method: "PUT", path: "/api/ciphers/.*", fault: "400-validation", count: 50 });
  await editBank("bank-secret-3");
  await b.api("syncNow");
  assert.equal((await account()).unsynced.length, 1);

  const popup = await openPopup();
  const row = popup.locator(tid("unsynced-edit"));
  await row.waitFor({ timeout: 15_000 });
  assert.match(await row.textContent(), /The field Name is invalid/);
  // Cancel keeps it.
  await row.locator(tid("unsynced-discard")).click();
  await popup.locator("#dialog[open]").waitFor();
  await popup.keyboard.press("Escape");
  assert.equal((await account()).unsynced.length, 1);
  await row.locator(tid("unsynced-discard")).click();
  await popup.locator(tid("confirm-discard")).click();
  await popup.locator(tid("unsynced")).waitFor({ state: "hidden", timeout: 15_000 });
  await popup.close();
  await server.control("clear-faults", {});
  assert.deepEqual((await account()).unsynced, []);
  assert.equal(serverBank().login.password, "bank-secret-2");
});

// The core keeps the discarded version in the local copy until the server's revision moves (a
// quiet sync does not pull): the server's version should come back at the next sync.
test("after Discard, the next sync brings the server's version back", async () => {
  assert.ok((await b.api("syncNow")).ok);
  const { item } = await b.api("item", { id: (await bankRow()).id });
  assert.equal(item.login.password, "bank-secret-2");
});

test("Keep local copy turns a refused change into a new item; kept copies are listed until resolved", async () => {
  await server.control("fault", { method: "PUT", path: "/api/ciphers/.*", fault: "400-validation", count: 50 });
  await editBank("bank-secret-mine");
  await b.api("syncNow");
  const [edit] = (await account()).unsynced;
  assert.ok(edit);
  const kept = await b.api("keepLocalCopy", { key: edit.key });
  assert.ok(kept.ok, JSON.stringify(kept));
  await until("the copy on the server", async () => {
    const items = JSON.parse(cli(["sync", "--server", server.base, "--email", EMAIL], MASTER)).items;
    return items.some((i) => i.name === "Bank" && i.login.password === "bank-secret-mine");
  });
  await server.control("clear-faults", {});
  assert.deepEqual((await account()).unsynced, []);
  // The server's Bank is untouched; both are in the vault.
  assert.equal((await b.api("search", { query: "Bank" })).rows.filter((r) => r.name === "Bank").length, 2);

  // A revision conflict keeps both: the copy is listed (also after lock and unlock) until resolved.
  const row = await bankRow();
  await server.control("touch-cipher", { email: EMAIL, id: row.id, seconds: 5 });
  const { item } = await b.api("item", { id: row.id });
  item.login.password = "bank-secret-conflict";
  assert.ok((await b.api("saveItem", { item })).ok);
  const out = await b.api("syncNow");
  assert.equal(out.account.keptBoth.length, 1, JSON.stringify(out.account));
  assert.match(out.account.keptBoth[0].name, /^Bank/);
  assert.ok((await b.api("lock")).ok);
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  const listed = (await account()).keptBoth;
  assert.equal(listed.length, 1);

  const popup = await openPopup();
  const copy = popup.locator(tid("kept-both-copy"));
  await copy.waitFor({ timeout: 15_000 });
  assert.match(await copy.textContent(), /Bank/);
  await copy.locator(tid("kept-both-resolve")).click();
  await popup.locator(tid("kept-both")).waitFor({ state: "hidden", timeout: 15_000 });
  await popup.close();
  assert.deepEqual((await account()).keptBoth, []);
});

test("locking while a sync is out returns at once; the queued edit is there at the next unlock and is sent", async () => {
  const created = await b.api("saveItem", { item: { type: 1, name: "Lockbox", login: { username: "gil", password: "box-1", uris: [] } } });
  assert.ok(created.ok);
  assert.equal((await b.api("syncNow")).account.pending, 0);
  const id = (await b.api("search", { query: "Lockbox" })).rows[0].id;
  await server.control("fault", { method: "PUT", path: "/api/ciphers/.*", fault: "delay", ms: 8000 });
  const { item: box } = await b.api("item", { id });
  box.login.password = "box-locked";
  assert.ok((await b.api("saveItem", { item: box })).ok);
  // The save starts a sync by itself: wait until its request is out.
  await until("the request out", async () => (await (await fetch(`${server.base}/__test/faults`)).json()).faults.length === 0);
  const start = Date.now();
  const locked = await b.api("lock");
  assert.ok(locked.ok, JSON.stringify(locked));
  assert.ok(Date.now() - start < 3000, `lock took ${Date.now() - start} ms`);
  assert.equal((await b.api("status")).state, "locked");
  assert.equal((await account()).pending, 1);

  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  const [row] = (await b.api("search", { query: "Lockbox" })).rows;
  assert.equal((await b.api("item", { id: row.id })).item.login.password, "box-locked");
  await until("the edit sent", async () => (await b.api("syncNow")).account?.pending === 0);
  const items = JSON.parse(cli(["sync", "--server", server.base, "--email", EMAIL], MASTER)).items;
  assert.deepEqual(items.filter((i) => i.name === "Lockbox").map((i) => i.login.password), ["box-locked"]);
});

test("locking while an unlock is under way ends locked, and the vault unlocks again after", async () => {
  // The lock lands at different points of the unlock (reading storage, deriving the key,
  // joining the account): the unlock either ended before it, or ends locked.
  const ended = [];
  for (const ms of [0, 1, 3, 6, 10, 20, 40]) {
    assert.ok((await b.api("lock")).ok);
    const unlocking = b.api("unlock", { password: MASTER });
    await new Promise((r) => setTimeout(r, ms));
    const start = Date.now();
    const locked = await b.api("lock");
    assert.ok(locked.ok, JSON.stringify(locked));
    assert.ok(Date.now() - start < 5000, `lock took ${Date.now() - start} ms`);
    const unlocked = await unlocking;
    if (!unlocked.ok) assert.equal(unlocked.error.code, "locked", JSON.stringify(unlocked));
    ended.push(unlocked.ok ? "unlocked first" : "locked");
    assert.equal((await b.api("status")).state, "locked");
    assert.equal((await b.api("search", { query: "" })).error?.code, "locked");
  }
  assert.equal(ended[0], "locked", ended.join(", "));
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  assert.ok(await bankRow());
});

test("an edit not synced is still listed, with its reason, after the browser restarts", async () => {
  const profile = mkdtempSync(join(tmpdir(), "keyfill-profile-"));
  let other = await launch({ profile });
  try {
    assert.ok((await other.api("addAccount", { server: server.base, email: EMAIL, password: MASTER })).ok);
    await server.control("fault", { method: "PUT", path: "/api/ciphers/.*", fault: "502-html", count: 50 });
    const row = (await other.api("search", { query: "Lockbox" })).rows[0];
    const { item } = await other.api("item", { id: row.id });
    item.login.password = "box-restart";
    assert.ok((await other.api("saveItem", { item })).ok);
    // Refused, and that sync over (its state stored).
    await until("the edit refused", async () => {
      const a = (await other.api("status")).account;
      return a.unsynced?.[0]?.error && !a.syncing;
    });
    await other.close();
    other = await launch({ profile });
    const locked = await other.api("status");
    assert.equal(locked.state, "locked");
    assert.equal(locked.account.pending, 1);
    assert.ok((await other.api("unlock", { password: MASTER })).ok);
    const [edit] = (await other.api("status")).account.unsynced;
    assert.equal(edit.name, "Lockbox");
    assert.equal(edit.error.code, "server");
    assert.equal(edit.attempts >= 1, true);
    await server.control("clear-faults", {});
    const retried = await other.api("retryEdit", { key: edit.key });
    assert.ok(retried.ok, JSON.stringify(retried));
    assert.deepEqual(retried.account.unsynced, []);
    const items = JSON.parse(cli(["sync", "--server", server.base, "--email", EMAIL], MASTER)).items;
    assert.deepEqual(items.filter((i) => i.name === "Lockbox").map((i) => i.login.password), ["box-restart"]);
  } finally {
    await server.control("clear-faults", {});
    await other.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("locking while a sign-in is out ends it at once; signing in again works", async () => {
  assert.ok((await b.api("logOut")).ok);
  await server.control("fault", { method: "POST", path: "/identity/connect/token", fault: "delay", ms: 8000 });
  const signingIn = b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  await until("the request out", async () => (await (await fetch(`${server.base}/__test/faults`)).json()).faults.length === 0);
  const start = Date.now();
  assert.ok((await b.api("lock")).ok);
  assert.ok(Date.now() - start < 3000, `lock took ${Date.now() - start} ms`);
  const refused = await signingIn;
  assert.equal(refused.ok, false, JSON.stringify(refused));
  assert.equal((await b.api("status")).state, "empty");
  const again = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.ok(again.ok, JSON.stringify(again));
  assert.ok(await bankRow());
});

test("the worker threw nothing", async () => {
  const errors = await b.worker.evaluate(() => self.__errors ?? []);
  assert.deepEqual(errors, []);
});
