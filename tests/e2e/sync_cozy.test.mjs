// The same account flow against the test server in Cozy's mode (paths under /bitwarden, prelogin
// only under /api, PascalCase answers, no /api/config so no per-item keys): add, sync, fill, edit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startScene, cli } from "./support/bw-server.mjs";

const EMAIL = "frank@cozy.test";
const MASTER = "frank's cozy password";
let server;
let sites;
let b;
let scene;

before(async () => {
  // Another client has put a "Bank" login on the account before the extension joins.
  scene = await startScene({ mode: "cozy", email: EMAIL, password: MASTER, username: "frank", secret: "cozy-bank-1" });
  ({ server, sites, browser: b } = scene);
});

after(async () => {
  await scene?.close(server);
});

test("a Cozy account: add, sync, fill, and an edit reaches the server", async () => {
  const added = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.ok(added.ok, JSON.stringify(added));
  const page = await b.context.newPage();
  await page.goto(sites.url("bank.test", "/login/simple.html"));
  const tabId = await b.tabIdOf(page);
  const [row] = (await b.api("tabItems", { tabId })).rows;
  assert.equal((await b.api("fill", { id: row.id, tabId })).status, "filled");
  assert.deepEqual(await page.evaluate(() => [window.username.value, window.password.value]), ["frank", "cozy-bank-1"]);

  const { item } = await b.api("item", { id: row.id });
  item.login.password = "cozy-bank-2";
  item.favorite = true;
  assert.ok((await b.api("saveItem", { item })).ok);
  const synced = await b.api("syncNow");
  assert.equal(synced.account.pending, 0, JSON.stringify(synced));
  const [bank] = JSON.parse(cli(["sync", "--server", server.base, "--email", EMAIL], MASTER)).items;
  assert.equal(bank.login.password, "cozy-bank-2");
  assert.equal(bank.favorite, true);

  // Cozy's sync carries no salt: the offline copy unlocks with the account's e-mail.
  assert.ok((await b.api("lock")).ok);
  assert.equal((await b.api("unlock", { password: "not it" })).error.code, "wrong_password");
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  const again = await b.api("item", { id: row.id });
  assert.equal(again.item.login.password, "cozy-bank-2");
  assert.equal((await b.api("syncNow")).account.pending, 0);
});
