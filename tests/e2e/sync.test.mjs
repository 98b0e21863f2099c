// A server account in the extension, against the Bitwarden-protocol test server: add the
// account, sync, fill; an edit in the popup reaches the server; an edit from another client (the
// CLI) appears after a sync; an edit made offline is sent when the server is back; an item
// edited in two places keeps both versions. Nothing readable lands in chrome.storage.local.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startScene, cli } from "./support/bw-server.mjs";

const EMAIL = "dana@example.test";
const MASTER = "dana's master password";
let server;
let sites;
let b;
let scene;

before(async () => {
  // Another client has put a "Bank" login on the account before the extension joins.
  scene = await startScene({ mode: "vaultwarden", email: EMAIL, password: MASTER, username: "dana", secret: "bank-secret-1" });
  ({ server, sites, browser: b } = scene);
});

after(async () => {
  await scene?.close(server);
});

const serverItems = () =>
  JSON.parse(cli(["sync", "--server", server.base, "--email", EMAIL], MASTER)).items;
const rowsNamed = async (name) => (await b.api("search", { query: "" })).rows.filter((r) => r.name.startsWith(name));

test("adding the account in the popup signs in, syncs, and the synced login fills", async () => {
  const unknown = await b.api("addAccount", { server: "not a server", email: EMAIL, password: MASTER });
  assert.equal(unknown.error.code, "unknown_server");
  // The popup's own form, as a user fills it in.
  const popup = await b.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(b.popupUrl);
  await popup.locator('[data-testid="account-open"]:visible').click();
  await popup.getByTestId("account-server").selectOption("custom");
  await popup.getByTestId("account-url").fill(server.base);
  await popup.getByTestId("account-email").fill(EMAIL);
  await popup.getByTestId("account-password").fill("wrong password");
  await popup.getByTestId("account-submit").click();
  await popup.getByTestId("account-error").filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
  assert.equal((await b.api("status")).state, "empty");
  await popup.getByTestId("account-password").fill(MASTER);
  await popup.getByTestId("account-submit").click();
  await popup.getByTestId("result-list").locator("li, button").first().waitFor({ timeout: 20_000 });
  await popup.close();
  const status = await b.api("status");
  assert.equal(status.state, "unlocked");
  assert.equal(status.account.email, EMAIL);
  assert.equal(status.account.pending, 0);

  const page = await b.context.newPage();
  await page.goto(sites.url("bank.test", "/login/simple.html"));
  const [row] = (await b.api("tabItems", { tabId: await b.tabIdOf(page) })).rows;
  assert.equal(row.name, "Bank");
  const out = await b.api("fill", { id: row.id, tabId: await b.tabIdOf(page) });
  assert.equal(out.status, "filled");
  assert.deepEqual(await page.evaluate(() => [window.username.value, window.password.value]), ["dana", "bank-secret-1"]);
  await page.close();
});

test("an edit in the popup reaches the server", async () => {
  const [row] = await rowsNamed("Bank");
  const { item } = await b.api("item", { id: row.id });
  item.login.password = "bank-secret-2";
  assert.ok((await b.api("saveItem", { item })).ok);
  const synced = await b.api("syncNow");
  assert.ok(synced.ok, JSON.stringify(synced));
  assert.equal(synced.account.pending, 0);
  const bank = serverItems().find((i) => i.name === "Bank");
  assert.equal(bank.login.password, "bank-secret-2");
  assert.equal(bank.passwordHistory[0].password, "bank-secret-1");
});

test("an edit from another client appears after a sync", async () => {
  cli(["add-login", "--server", server.base, "--email", EMAIL, "--name", "Mail", "--username", "dana",
    "--password-value", "mail-secret", "--uri", "https://mail.test"], MASTER);
  assert.equal((await rowsNamed("Mail")).length, 0);
  assert.ok((await b.api("syncNow")).ok);
  assert.equal((await rowsNamed("Mail")).length, 1);
});

test("an edit made offline is kept, then sent when the server is back", async () => {
  await server.stop();
  const saved = await b.api("saveItem", {
    item: { type: 1, name: "Written offline", login: { username: "dana", password: "offline-secret", uris: [] } },
  });
  assert.ok(saved.ok);
  const offline = await b.api("syncNow");
  assert.ok(offline.ok, JSON.stringify(offline));
  assert.equal(offline.account.pending, 1);
  assert.equal(offline.account.lastError.code, "server_unreachable");
  assert.equal((await rowsNamed("Written offline")).length, 1, "the offline copy keeps working");
  // The worker restarting meanwhile loses nothing.
  await b.restartWorker();
  assert.equal((await b.api("status")).account.pending, 1);

  server = await server.restart();
  const back = await b.api("syncNow");
  assert.ok(back.ok, JSON.stringify(back));
  assert.equal(back.account.pending, 0);
  assert.equal(back.account.lastError, null);
  assert.ok(serverItems().some((i) => i.name === "Written offline" && i.login.password === "offline-secret"));
});

test("an item edited in two places keeps both versions", async () => {
  const [row] = await rowsNamed("Mail");
  // Another client changes it on the server meanwhile.
  await server.control("touch-cipher", { email: EMAIL, id: row.id, seconds: 5 });
  const { item } = await b.api("item", { id: row.id });
  item.login.password = "mail-secret-mine";
  assert.ok((await b.api("saveItem", { item })).ok);
  const out = await b.api("syncNow");
  assert.ok(out.ok, JSON.stringify(out));
  assert.equal(out.account.keptBoth.length, 1);
  assert.match(out.account.keptBoth[0].name, /^Mail \(conflict /);
  const mails = serverItems().filter((i) => i.name.startsWith("Mail"));
  assert.deepEqual(mails.map((i) => i.login.password).sort(), ["mail-secret", "mail-secret-mine"]);
  assert.equal((await rowsNamed("Mail")).length, 2);
});

test("signed out by the server: edits wait, and signing in again in the popup sends them", async () => {
  // Keys or password changed elsewhere: the server ends every session of the account.
  await server.control("security-stamp", { email: EMAIL });
  const refused = await b.api("syncNow");
  assert.equal(refused.error?.code, "logged_out", JSON.stringify(refused));
  const saved = await b.api("saveItem", {
    item: { type: 1, name: "After sign-out", login: { username: "dana", password: "kept-secret", uris: [] } },
  });
  assert.ok(saved.ok);
  const status = await b.api("status");
  assert.equal(status.account.lastError.code, "logged_out");
  assert.ok(status.account.pending >= 1);

  const popup = await b.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(b.popupUrl);
  await popup.getByTestId("settings").click();
  await popup.getByTestId("sign-in-again").click();
  assert.equal(await popup.getByTestId("account-email").inputValue(), EMAIL);
  await popup.getByTestId("account-password").fill(MASTER);
  await popup.getByTestId("account-submit").click();
  await popup.getByTestId("result-list").locator("li, button").first().waitFor({ timeout: 20_000 });
  await popup.close();
  for (let i = 0; i < 100 && (await b.api("status")).account.pending > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const after = await b.api("status");
  assert.equal(after.account.pending, 0);
  assert.equal(after.account.lastError, null);
  assert.ok(serverItems().some((i) => i.name === "After sign-out" && i.login.password === "kept-secret"));
});

test("chrome.storage.local holds no readable secret of the account", async () => {
  // Everything on disk: chrome.storage.local and the IndexedDB holding the account data.
  const dump = await b.worker.evaluate(() => self.keyfillStored());
  for (const plain of [MASTER, "bank-secret-2", "mail-secret", "offline-secret", "Written offline"]) {
    assert.ok(!dump.includes(plain), `${plain} is in chrome.storage.local`);
  }
  assert.ok(!/"access_?[tT]oken"|eyJ[A-Za-z0-9_-]{10,}\./.test(dump), "a token is in chrome.storage.local");
});

test("log out removes the account and its offline copy", async () => {
  assert.ok((await b.api("logOut")).ok);
  const status = await b.api("status");
  assert.equal(status.state, "empty");
  assert.equal(status.account, null);
});

test("two-factor: the code is asked for, a wrong one refused, the right one signs in", async () => {
  await server.control("two-factor", { email: EMAIL, provider: 0 });
  const first = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.equal(first.error.code, "two_factor_required");
  assert.deepEqual(first.error.providers, [0]);
  const wrong = await b.api("addAccount", {
    server: server.base, email: EMAIL, password: MASTER, twoFactor: { provider: 0, token: "000000" },
  });
  assert.equal(wrong.error.code, "two_factor_required");
  const { code } = await (await fetch(`${server.base}/__test/totp?email=${encodeURIComponent(EMAIL)}`)).json();
  const ok = await b.api("addAccount", {
    server: server.base, email: EMAIL, password: MASTER, twoFactor: { provider: 0, token: code, remember: true },
  });
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.ok((await rowsNamed("Bank")).length === 1);
});

test("a remembered device signs in again without the code, and only with the password", async () => {
  assert.ok((await b.api("logOut")).ok);
  const again = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.ok(again.ok, JSON.stringify(again));
  const dump = await b.worker.evaluate(() => self.keyfillStored());
  assert.ok(dump.includes("account.remembered"));
  assert.ok((await b.api("logOut")).ok);
  // A wrong password opens neither the account nor the remembered token.
  const wrong = await b.api("addAccount", { server: server.base, email: EMAIL, password: "not the password" });
  assert.equal(wrong.error.code, "wrong_password");
});

test("a local vault moves into a new account: its items are uploaded", async () => {
  assert.ok((await b.api("logOut")).ok);
  const other = "erin@example.test";
  server.register(other, MASTER);
  assert.ok((await b.api("createVault", { password: "local vault password" })).ok);
  const folder = await b.api("saveFolder", { name: "Shops" });
  assert.ok((await b.api("saveItem", {
    item: { type: 1, name: "Local shop", folderId: folder.id, login: { username: "erin", password: "shop-secret", uris: [] } },
  })).ok);
  const moved = await b.api("addAccount", { server: server.base, email: other, password: MASTER });
  assert.ok(moved.ok, JSON.stringify(moved));
  assert.equal(moved.moved, 1);
  assert.equal((await b.api("status")).account.email, other);
  const items = JSON.parse(cli(["sync", "--server", server.base, "--email", other], MASTER)).items;
  assert.deepEqual(items.map((i) => [i.name, i.login.password]), [["Local shop", "shop-secret"]]);
  const folders = (await b.api("folders")).folders;
  assert.deepEqual(folders.map((f) => f.name), ["Shops"]);
  const [row] = await rowsNamed("Local shop");
  assert.equal((await b.api("item", { id: row.id })).item.folderId, folders[0].id);
});
