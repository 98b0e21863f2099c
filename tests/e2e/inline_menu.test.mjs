// docs/autofill.md "Inline menu" through the whole extension in Chromium: the icon and the menu
// on the fields Keyfill recognises (a login form, a sign-up form, open and closed shadow roots,
// a same-origin iframe, a <dialog> and a popover, a field that appears later), a fill from a
// click and from the keyboard, Generate on a sign-up form, Unlock when locked, Add a login when
// nothing matches, cards handed to the popup, and none of it on negatives, on opted-out sites or
// with the setting off. The hostile pages are in inline_menu_hostile.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, ITEMS, BANK, MASTER } from "./support/scenario.mjs";
import { menuFrame, openMenu, entries, clickEntry, note, hostCount, clickInside, countPopups, sleep } from "./support/inline-menu.mjs";

const CARD = {
  type: 3,
  name: "Everyday Visa",
  card: { cardholderName: "Alice Tester", brand: "Visa", number: "4111111111111111", expMonth: "7", expYear: "2031", code: "123" },
};

let s;
before(async () => (s = await Scenarios.start({ bank: ITEMS.bank, example: ITEMS.example, card: CARD })));
after(async () => s?.close());

test("a sign-in form: a click in the username field opens the menu; a click on the login fills the form", async () => {
  await s.open("bank.test", "/login/simple.html");
  const f = await openMenu(s, "#username");
  assert.ok(f, "the menu opened");
  assert.deepEqual(await entries(f), [`Bank of Tests ${BANK.user}`], await note(f));
  await clickEntry(f, 0);
  await s.expectFilled({ username: BANK.user, password: BANK.pass });
  assert.equal(await menuFrame(s, 500), null, "the menu closed after the fill");
});

test("the keyboard: ArrowDown opens and selects, Enter fills; Escape closes", async () => {
  await s.open("bank.test", "/login/simple.html");
  await s.page.click("#password");
  await sleep(600);
  await s.page.keyboard.press("ArrowDown");
  const f = await menuFrame(s);
  assert.ok(f, "ArrowDown opened the menu");
  await sleep(500);
  await s.page.keyboard.press("Escape");
  assert.equal(await menuFrame(s, 400), null, "Escape closed it");
  await s.page.keyboard.press("ArrowDown");
  const g = await menuFrame(s);
  await sleep(500);
  await s.page.keyboard.press("ArrowDown");
  await sleep(100);
  assert.equal(await g.getAttribute("#list button", "aria-selected"), "true");
  await s.page.keyboard.press("Enter");
  await sleep(600);
  await s.expectFilled({ username: BANK.user, password: BANK.pass });
  assert.equal(s.sites.submissions.length, 0, "Enter picked the login instead of submitting the form");
});

test("a sign-up form: Generate a password fills the new and confirm fields and keeps it in the history", async () => {
  await s.open("bank.test", "/login/signup-new-password.html");
  const f = await openMenu(s, 'input[name="password"]');
  assert.ok(f);
  const list = await entries(f);
  assert.ok(list[0].startsWith("Generate a password"), list.join(" | "));
  await clickEntry(f, "Generate a password");
  const filled = await s.filled();
  assert.deepEqual(Object.keys(filled).sort(), ["confirm", "password"]);
  assert.equal(filled.password, filled.confirm);
  assert.ok(filled.password.length >= 14, "a strong password");
  const { entries: history } = await s.api("generatorHistory");
  assert.equal(history[0].password, filled.password, "stored before it was typed");
});

test("a change-password form: the current field lists the login, the new field generates into new and confirm only", async () => {
  await s.open("bank.test", "/login/change-password.html");
  const f = await openMenu(s, 'input[name="current"]');
  assert.deepEqual(await entries(f), [`Bank of Tests ${BANK.user}`]);
  await clickEntry(f, 0);
  await s.expectFilled({ current: BANK.pass }, "the current password only");
  const g = await openMenu(s, 'input[name="new"]');
  assert.ok((await entries(g))[0].startsWith("Generate a password"));
  await clickEntry(g, "Generate a password");
  const filled = await s.filled();
  assert.deepEqual(Object.keys(filled).sort(), ["confirm", "current", "new"]);
  assert.equal(filled.current, BANK.pass, "the current password stays");
  assert.equal(filled.new, filled.confirm);
  assert.notEqual(filled.new, BANK.pass);
});

test("fields in open and closed shadow roots, a same-origin iframe, a dialog, a popover, and a form revealed later", async () => {
  const cases = [
    ["/login/open-shadow.html", { shadow: "open" }],
    ["/login/closed-shadow.html", { shadow: "closed" }],
    ["/login/same-origin-iframe.html", { frame: /iframe-inner/ }],
    ["/login/dialog.html", { selector: 'input[name="email"]' }],
    ["/login/popover.html", { selector: 'input[name="username"]' }],
    ["/login/revealed-later.html", { reveal: "#reveal", selector: 'input[name="email"]' }],
  ];
  for (const [path, how] of cases) {
    await s.open("bank.test", path);
    if (how.reveal) {
      await s.page.click(how.reveal);
      await sleep(200);
    }
    let f;
    if (how.shadow) {
      await clickInside(s, how.shadow);
      f = await menuFrame(s);
      await sleep(500);
    } else if (how.frame) {
      const frame = s.page.frames().find((fr) => how.frame.test(fr.url()));
      f = await openMenu(s, 'input[name="username"]', { frame });
    } else {
      f = await openMenu(s, how.selector);
    }
    assert.ok(f, `${path}: the menu opened`);
    assert.deepEqual(await entries(f), [`Bank of Tests ${BANK.user}`], `${path}: ${await note(f)}`);
    await clickEntry(f, 0);
    const values = Object.values(await s.filled());
    assert.deepEqual(values.sort(), [BANK.pass, BANK.user].sort(), `${path} filled`);
  }
});

test("a field read-only until it gets the focus still gets the menu", async () => {
  await s.open("bank.test", "/login/readonly-until-focus.html");
  const f = await openMenu(s, "#username");
  assert.ok(f, "the menu opened");
  await clickEntry(f, 0);
  await s.expectFilled({ username: BANK.user, password: BANK.pass }, "the password field, read-only until focused, too");
});

test("the menu follows its field when the page scrolls, and goes away with the field", async () => {
  await s.open("bank.test", "/login/simple.html");
  await s.page.evaluate(() => (document.body.style.height = "3000px"));
  const f = await openMenu(s, "#username");
  assert.ok(f);
  const at = () => s.page.evaluate(() => {
    const host = [...document.body.children].filter((e) => e.localName.startsWith("kf-")).pop();
    return [host.getBoundingClientRect().top, document.querySelector("#username").getBoundingClientRect().bottom];
  });
  const [top1, bottom1] = await at();
  assert.ok(Math.abs(top1 - bottom1) < 10, "under the field");
  await s.page.evaluate(() => scrollBy(0, 40));
  await sleep(150);
  const [top2, bottom2] = await at();
  assert.ok(Math.abs(top2 - bottom2) < 10 && Math.abs(top2 - top1) > 30, `followed: ${top1} → ${top2}`);
  await s.page.evaluate(() => document.querySelector("form").remove());
  await sleep(200);
  assert.equal(await hostCount(s), 0, "no icon or menu left once the field is gone");
});

test("locked: the menu offers Unlock, which opens Keyfill; nothing matches: Add a login", async () => {
  await s.api("lock");
  try {
    await s.open("bank.test", "/login/simple.html");
    const f = await openMenu(s, "#username");
    assert.deepEqual(await entries(f), ["Unlock Keyfill Opens Keyfill to unlock your vault"]);
    const popups = await countPopups(s);
    const before = await popups();
    await clickEntry(f, 0);
    assert.equal(await popups(), before + 1, "the popup opened");
  } finally {
    assert.ok((await s.api("unlock", { password: MASTER })).ok);
  }
  await s.open("nothing.test", "/login/simple.html");
  await countPopups(s);
  const g = await openMenu(s, "#username");
  assert.deepEqual(await entries(g), ["Add a login No login saved for this site: opens Keyfill"]);
  await clickEntry(g, 0);
  // The popup that opens shows the new-login form with the page's address.
  const popup = await s.b.context.newPage();
  await popup.goto(`${s.b.popupUrl}?tabId=${s.tabId}`);
  const uri = popup.getByTestId("edit-uri").first();
  await uri.waitFor({ timeout: 5000 });
  assert.match(await uri.inputValue(), /^https:\/\/nothing\.test:\d+$/);
  await popup.close();
});

test("a card field lists the cards, and a card goes through the popup, never straight into the page", async () => {
  await s.open("bank.test", "/checkout/card.html");
  const f = await openMenu(s, 'input[autocomplete="cc-number"]');
  assert.ok(f, "the menu opened on the card number");
  const list = await entries(f);
  assert.equal(list.length, 1);
  assert.match(list[0], /^Everyday Visa .*confirm in Keyfill/);
  const popups = await countPopups(s);
  const before = await popups();
  await clickEntry(f, 0);
  assert.equal(await popups(), before + 1, "the popup opened to confirm");
  await s.expectFilled({}, "nothing filled from the page's menu");
  // The popup asks, outside the page; the card goes in on the user's yes.
  const popup = await s.b.context.newPage();
  await popup.goto(`${s.b.popupUrl}?tabId=${s.tabId}`);
  await popup.getByTestId("confirm-menu-fill").click({ timeout: 5000 });
  await sleep(500);
  const filled = await s.filled();
  assert.equal(filled.cardnumber, "4111111111111111");
  await popup.close();
});

test("no icon or menu on negatives, on opted-out sites, or with the setting off; no icon with the icon off", async () => {
  for (const [path, sel] of [
    ["/negative/search.html", "input"],
    ["/negative/newsletter.html", 'input[type="email"]'],
  ]) {
    await s.open("bank.test", path);
    assert.equal(await openMenu(s, sel, { ms: 1200 }), null, path);
    assert.equal(await hostCount(s), 0, `${path}: no icon`);
  }
  await s.api("setSettings", { settings: { inlineMenu: "off" } });
  await s.open("bank.test", "/login/simple.html");
  assert.equal(await openMenu(s, "#username", { ms: 1200 }), null, "setting off");
  await s.api("setSettings", { settings: { inlineMenu: "click", inlineIcon: false } });
  await s.open("bank.test", "/login/simple.html");
  assert.ok(await openMenu(s, "#username"), "the menu still opens on a click");
  assert.equal(await hostCount(s), 1, "the menu without the icon");
  await s.api("setSettings", { settings: { inlineIcon: true, optOutSites: ["bank.test"] } });
  try {
    await s.open("bank.test", "/login/simple.html", { script: false });
    assert.equal(await openMenu(s, "#username", { ms: 1200 }), null, "opted out");
  } finally {
    await s.api("setSettings", { settings: { optOutSites: [] } });
  }
});

test("the focus setting opens the menu when the field gets the focus", async () => {
  await s.api("setSettings", { settings: { inlineMenu: "focus" } });
  try {
    await s.open("example.com", "/login/simple.html");
    await s.page.focus("#username");
    const f = await menuFrame(s);
    assert.ok(f);
    assert.deepEqual(await entries(f), [`Example ${ITEMS.example.login.username}`]);
  } finally {
    await s.api("setSettings", { settings: { inlineMenu: "click" } });
  }
});

test("a menu whose worker stopped while it waited (Chrome stops an idle worker) opens anew on the next click", async () => {
  await s.open("bank.test", "/login/simple.html");
  const f = await openMenu(s, "#username");
  assert.deepEqual(await entries(f), [`Bank of Tests ${BANK.user}`]);
  await s.page.keyboard.press("Escape");
  assert.equal(await menuFrame(s, 400), null, "Escape closed it");
  await s.b.restartWorker(); // its sessions go with it; the vault stays unlocked
  await s.page.click("#username");
  await sleep(1000); // the stale menu is replaced by a new one
  const g = await menuFrame(s);
  assert.ok(g, "the menu opened");
  await sleep(500);
  assert.deepEqual(await entries(g), [`Bank of Tests ${BANK.user}`], "it lists the login, not 'closed'");
  await clickEntry(g, 0);
  await s.expectFilled({ username: BANK.user, password: BANK.pass });
});
