// The extension beside the official Bitwarden CLI on one account, over HTTPS (the test server
// with its test CA; Chromium runs with --ignore-certificate-errors like every browser test, the
// official CLI trusts the CA through NODE_EXTRA_CA_CERTS). What bw wrote (with per-item keys)
// is listed and filled after a sign-in in the popup's own form; what the extension writes (a new
// item, an edit of bw's item) is read back by bw field for field.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./support/browser.mjs";
import { startSites } from "./support/site-server.mjs";
import { startHttpsServer, officialCli, requireOfficialCli, comparable } from "./support/official-cli.mjs";

const EMAIL = "both@example.test";
const MASTER = "one account, «two» clients ✓";
let server;
let sites;
let b;
let bw;
const made = {};

before(async () => {
  requireOfficialCli();
  server = await startHttpsServer({ mode: "vaultwarden" });
  await server.register(EMAIL, MASTER, "5000");
  bw = officialCli(server);
  await bw.login(EMAIL, MASTER);
  made.bank = await bw.create("item", {
    type: 1,
    name: "Bank «bw»",
    login: { username: "zoë", password: 'bw "secret" ✓', uris: [{ uri: "https://bank.test", match: null }] },
    fields: [{ name: "PIN", value: "0042", type: 1 }],
  });
  made.card = await bw.create("item", {
    type: 3,
    name: "Card",
    card: { cardholderName: "Zoë", brand: "Visa", number: "4111111111111111", expMonth: "7", expYear: "2031", code: "123" },
  });
  sites = await startSites();
  b = await launch();
});

after(async () => {
  await b?.close();
  await sites?.close();
  bw?.cleanup();
  await server?.stop();
});

/** An item as both clients show it, without the official CLI's bookkeeping. */
const content = (item) => comparable(item, ["object", "key", "attachments", "collectionIds", "errors"]);

test("signing in from the popup over HTTPS lists and fills what the official CLI wrote", async () => {
  assert.match(made.bank.key ?? "", /^2\./, "bw wrote a per-item key");
  const popup = await b.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(b.popupUrl);
  await popup.locator('[data-testid="account-open"]:visible').click();
  await popup.getByTestId("account-server").selectOption("custom");
  await popup.getByTestId("account-url").fill(server.base);
  await popup.getByTestId("account-email").fill(EMAIL);
  await popup.getByTestId("account-password").fill(MASTER);
  await popup.getByTestId("account-submit").click();
  await popup.getByTestId("result-list").locator("li, button").first().waitFor({ timeout: 30_000 });
  await popup.close();
  assert.equal((await b.api("status")).state, "unlocked");

  const page = await b.context.newPage();
  await page.goto(sites.url("bank.test", "/login/simple.html"));
  const tabId = await b.tabIdOf(page);
  const [row] = (await b.api("tabItems", { tabId })).rows;
  assert.equal(row.id, made.bank.id);
  assert.equal((await b.api("fill", { id: row.id, tabId })).status, "filled");
  assert.deepEqual(await page.evaluate(() => [window.username.value, window.password.value]), ["zoë", 'bw "secret" ✓']);
  await page.close();

  for (const mine of [made.bank, made.card]) {
    const { item } = await b.api("item", { id: mine.id });
    assert.deepEqual(content(item), content(await bw.bw("get", "item", mine.id)));
  }
});

test("what the extension writes, the official CLI reads field for field", async () => {
  const added = await b.api("saveItem", {
    item: {
      type: 1,
      name: 'From the extension «é» "q"',
      notes: "line 1\nline 2 ✓",
      login: { username: "ext", password: "ext\npass ✓", uris: [{ uri: "https://ext.test", match: 3 }] },
      fields: [
        { name: "Flag", value: "true", type: 2 },
        { name: "Linked", value: null, type: 3, linkedId: 100 },
      ],
    },
  });
  assert.ok(added.ok, JSON.stringify(added));
  const { item: bank } = await b.api("item", { id: made.bank.id });
  bank.login.password = "changed in the extension";
  assert.ok((await b.api("saveItem", { item: bank })).ok);
  const synced = await b.api("syncNow");
  assert.equal(synced.account.pending, 0, JSON.stringify(synced));

  await bw.bw("sync");
  const theirs = (await bw.bw("list", "items")).data;
  assert.equal(theirs.length, 3);
  for (const row of (await b.api("search", { query: "" })).rows) {
    const { item } = await b.api("item", { id: row.id });
    const official = theirs.find((i) => i.id === row.id);
    assert.ok(official, `bw lists ${item.name}`);
    assert.deepEqual(content(item), content(official));
  }
  const official = theirs.find((i) => i.id === made.bank.id);
  assert.equal(official.login.password, "changed in the extension");
  assert.equal(official.passwordHistory[0].password, 'bw "secret" ✓');
});

test(
  "after the sync that sends an edit, the extension's copy carries the server's revisionDate",
  async () => {
    // Two saves in a row, as in the test above: the first starts a background sync.
    assert.ok((await b.api("saveItem", { item: { type: 2, name: "Another", notes: "n", secureNote: { type: 0 } } })).ok);
    const { item } = await b.api("item", { id: made.card.id });
    item.card.code = "456";
    assert.ok((await b.api("saveItem", { item })).ok);
    assert.equal((await b.api("syncNow")).account.pending, 0);
    const ours = (await b.api("item", { id: made.card.id })).item;
    await bw.bw("sync");
    const theirs = await bw.bw("get", "item", made.card.id);
    assert.equal(ours.card.code, "456");
    assert.equal(new Date(ours.revisionDate).getTime(), new Date(theirs.revisionDate).getTime());
  },
);
