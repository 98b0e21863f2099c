// Confirmations bind to what the user saw, and "ask for the master password again" holds on
// every path. A fill the user confirms in the popup goes to the tab, frame, navigation and
// origin the confirmation was issued for, once, or nowhere; an item with `reprompt` fills only
// after the popup has had the master password checked, and its secrets are read only then.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, MASTER, BANK } from "./support/scenario.mjs";
import { login } from "./support/browser.mjs";

let s;
const GUARDED = { user: "guarded@locked.test", pass: "Guarded-pw-e2e-9090" };
const TOTP = "JBSWY3DPEHPK3PXP";

before(async () => {
  s = await Scenarios.start();
  const out = await s.api("saveItem", {
    item: login("Guarded", GUARDED.user, GUARDED.pass, ["https://locked.test"], {
      item: { reprompt: 1 },
      login: { totp: TOTP },
    }),
  });
  assert.ok(out.ok, JSON.stringify(out));
  s.ids.guarded = out.id;
});
after(async () => s?.close());

const U = BANK.user;
const P = BANK.pass;

/** The http: copy of the bank: the popup is asked to confirm; returns the confirmation id. */
async function confirmation() {
  await s.open("bank.test", "/login/simple.html", { http: true });
  const out = await s.fill(s.ids.bank);
  await s.expectNothing(out, "confirm", "insecure", "asked");
  assert.match(out.confirmation ?? "", /^[0-9a-f-]{36}$/, JSON.stringify(out));
  return out.confirmation;
}

test("confirmed: the page it was given for fills, once", async () => {
  const id = await confirmation();
  const ok = await s.fill(s.ids.bank, { confirmation: id });
  assert.equal(ok.status, "filled", JSON.stringify(ok));
  await s.expectFilled({ username: U, password: P });
  // Spent: the same id again fills nothing, even on the same page.
  await s.settle();
  await s.expectNothing(await s.fill(s.ids.bank, { confirmation: id }), "refused", "confirmation_expired", "used twice");
});

test("confirmed, then the tab went to another site: nothing filled, refused", async () => {
  const id = await confirmation();
  await s.open("evil.test", "/login/simple.html", { http: true });
  await s.watch();
  await s.expectNothing(await s.fill(s.ids.bank, { confirmation: id }), "refused", "origin_changed", "other origin");
  assert.deepEqual(await s.seen(), {}, "the new page noticed nothing");
});

test("confirmed, then the page navigated (same origin): nothing filled, refused", async () => {
  const id = await confirmation();
  await s.open("bank.test", "/login/simple.html?again", { http: true });
  await s.expectNothing(await s.fill(s.ids.bank, { confirmation: id }), "refused", "frame_changed", "new document");
});

test("a confirmation for one tab does not fill another", async () => {
  const id = await confirmation();
  const other = await s.b.context.newPage();
  try {
    await other.goto(s.sites.url("bank.test", "/login/simple.html?tab-b", { http: true }));
    const otherTab = await s.b.tabIdOf(other);
    assert.notEqual(otherTab, s.tabId);
    await new Promise((r) => setTimeout(r, 300)); // its content script
    const out = await s.api("fill", { id: s.ids.bank, tabId: otherTab, confirmation: id });
    assert.equal(out.status, "refused", JSON.stringify(out));
    assert.equal(out.reason, "confirmation_expired");
    assert.deepEqual(await other.evaluate(() => [...document.querySelectorAll("input")].map((i) => i.value)), ["", ""]);
    await s.expectFilled({}, "nor the tab it was given for");
  } finally {
    await other.close();
  }
  // And it was spent by that try: the right tab does not take it any more.
  await s.expectNothing(await s.fill(s.ids.bank, { confirmation: id }), "refused", "confirmation_expired", "spent");
});

test("a made-up confirmation id, or a reason list, fills nothing", async () => {
  await s.open("bank.test", "/login/simple.html", { http: true });
  await s.expectNothing(await s.fill(s.ids.bank, { confirmation: crypto.randomUUID() }), "refused", "confirmation_expired", "forged");
  const named = await s.api("fill", { id: s.ids.bank, tabId: s.tabId, confirm: ["insecure"] });
  assert.equal(named.error?.code, "bad_request", JSON.stringify(named));
  await s.expectFilled({}, "nothing filled");
});

test("a confirmation survives the worker stopping while the user reads the dialog", async () => {
  const id = await confirmation();
  await s.b.restartWorker();
  const ok = await s.fill(s.ids.bank, { confirmation: id });
  assert.equal(ok.status, "filled", JSON.stringify(ok));
  await s.expectFilled({ username: U, password: P });
});

// ---- "Ask for the master password again" ----

test("reprompt: the shortcut and the context menu refuse the item (they cannot ask)", async () => {
  await s.open("locked.test", "/login/simple.html");
  await s.watch();
  await s.expectNothing(await s.gesture(), "refused", "reprompt", "shortcut");
  await s.expectNothing(await s.gesture("contextMenu"), "refused", "reprompt", "context menu");
  const badge = await s.b.worker.evaluate((tabId) => chrome.action.getBadgeText({ tabId }), s.tabId);
  assert.equal(badge, "!");
  assert.deepEqual(await s.seen(), {}, "the page noticed nothing");
});

test("reprompt: a popup fill needs the master password, checked, once", async () => {
  await s.open("locked.test", "/login/simple.html");
  await s.expectNothing(await s.fill(s.ids.guarded), "refused", "reprompt_required", "no grant");
  const wrong = await s.api("reprompt", { id: s.ids.guarded, password: `${MASTER}x`, purpose: "fill" });
  assert.equal(wrong.error?.code, "wrong_password", JSON.stringify(wrong));
  await s.expectNothing(await s.fill(s.ids.guarded, { grant: crypto.randomUUID() }), "refused", "reprompt_required", "made-up grant");
  // A grant for another item, or for viewing, does not fill this one.
  const forBank = await s.api("reprompt", { id: s.ids.bank, password: MASTER, purpose: "fill" });
  await s.expectNothing(await s.fill(s.ids.guarded, { grant: forBank.grant }), "refused", "reprompt_required", "other item");
  const view = await s.api("reprompt", { id: s.ids.guarded, password: MASTER, purpose: "view" });
  await s.expectNothing(await s.fill(s.ids.guarded, { grant: view.grant }), "refused", "reprompt_required", "view grant");

  const right = await s.api("reprompt", { id: s.ids.guarded, password: MASTER, purpose: "fill" });
  assert.ok(right.ok && right.grant, JSON.stringify(right));
  const ok = await s.fill(s.ids.guarded, { grant: right.grant });
  assert.equal(ok.status, "filled", JSON.stringify(ok));
  await s.expectFilled({ username: GUARDED.user, password: GUARDED.pass });
  await s.settle();
  await s.open("locked.test", "/login/simple.html");
  await s.expectNothing(await s.fill(s.ids.guarded, { grant: right.grant }), "refused", "reprompt_required", "grant spent");
});

test("reprompt then confirm: the confirmation carries the checked password, for that item only", async () => {
  await s.open("locked.test", "/login/simple.html", { http: true });
  const { grant } = await s.api("reprompt", { id: s.ids.guarded, password: MASTER, purpose: "fill" });
  const asked = await s.fill(s.ids.guarded, { grant });
  await s.expectNothing(asked, "confirm", "insecure", "http page");
  const ok = await s.fill(s.ids.guarded, { confirmation: asked.confirmation });
  assert.equal(ok.status, "filled", JSON.stringify(ok));
  await s.expectFilled({ username: GUARDED.user, password: GUARDED.pass });
  // Without the password, the page's question is never reached.
  await s.open("locked.test", "/login/simple.html", { http: true });
  await s.expectNothing(await s.fill(s.ids.guarded), "refused", "reprompt_required", "no grant");
});

test("reprompt: the item's secrets and its code are read only with a view grant", async () => {
  for (const type of ["item", "totp"]) {
    const out = await s.api(type, { id: s.ids.guarded });
    assert.equal(out.error?.code, "reprompt_required", `${type}: ${JSON.stringify(out)}`);
    assert.ok(!JSON.stringify(out).includes(GUARDED.pass));
  }
  const fill = await s.api("reprompt", { id: s.ids.guarded, password: MASTER, purpose: "fill" });
  assert.equal((await s.api("item", { id: s.ids.guarded, grant: fill.grant })).error?.code, "reprompt_required");
  const { grant } = await s.api("reprompt", { id: s.ids.guarded, password: MASTER, purpose: "view" });
  const item = await s.api("item", { id: s.ids.guarded, grant });
  assert.equal(item.item?.login?.password, GUARDED.pass);
  assert.match((await s.api("totp", { id: s.ids.guarded, grant })).code ?? "", /^\d{6}$/);
  // Rows never carry a secret, with or without the setting.
  const rows = await s.api("search", { query: "Guarded", filters: {} });
  assert.equal(rows.rows.length, 1);
  assert.ok(!JSON.stringify(rows).includes(GUARDED.pass));
  // Other items are read as before.
  assert.equal((await s.api("item", { id: s.ids.bank })).item?.login?.password, P);
});

test("reprompt: the popup asks before showing or copying the item, and before filling it", async () => {
  const page = await s.b.context.newPage();
  const tid = (id) => `[data-testid="${id}"]`;
  try {
    await s.open("locked.test", "/login/simple.html");
    await page.goto(`${s.b.popupUrl}?tabId=${s.tabId}`);
    await page.bringToFront();
    await page.waitForSelector(`#result-list .row[data-id="${s.ids.guarded}"]`);
    await page.click(`#result-list .row[data-id="${s.ids.guarded}"]`);
    await page.waitForSelector(`${tid("reprompt-dialog")}[open]`);
    assert.equal(await page.$(`${tid("item-view")} ${tid("copy")}`), null, "nothing to copy before the password");
    assert.ok(!(await page.content()).includes(GUARDED.pass));
    await page.fill(tid("reprompt-password"), `${MASTER}x`);
    await page.click(tid("reprompt-ok"));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.length > 0, tid("reprompt-error"));
    assert.equal(await page.$(`${tid("item-view")} ${tid("copy")}`), null, "still nothing after a wrong password");
    await page.fill(tid("reprompt-password"), MASTER);
    await page.click(tid("reprompt-ok"));
    await page.waitForSelector(tid("item-password"));
    await page.waitForSelector(`${tid("item-view")} ${tid("copy")}`);
    await page.keyboard.press("Escape");
    await page.waitForSelector(`#tab-list ${tid("fill")}[data-id="${s.ids.guarded}"]`);
    // Fill from the popup: asked again (a view grant does not fill), then filled.
    await page.click(`#tab-list ${tid("fill")}[data-id="${s.ids.guarded}"]`);
    await page.waitForSelector(`${tid("reprompt-dialog")}[open]`);
    await s.expectFilled({}, "nothing before the password");
    await page.fill(tid("reprompt-password"), MASTER);
    await page.click(tid("reprompt-ok"));
    const deadline = Date.now() + 5000;
    while (Object.keys(await s.filled()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await s.expectFilled({ username: GUARDED.user, password: GUARDED.pass });
  } finally {
    await page.close();
  }
});
