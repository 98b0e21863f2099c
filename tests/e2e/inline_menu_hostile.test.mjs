// docs/autofill.md rule 9 and 10 against the inline menu, one hostile page per attack
// (tests/e2e/pages/menu-hostile/): the page turns itself, the form or an ancestor transparent
// when the user moves into the menu; lays its own element over the menu in the top layer; moves
// the field under the pointer; keeps restyling Keyfill's elements; clicks, focuses and types for
// the user with synthetic events; posts messages shaped like the extension's to the menu; and
// navigates the frame between the menu's opening and the click. Each asserts that nothing was
// filled and nothing reached the site. Last, the page's DOM, events and messages say nothing of
// the vault: the same whether it is locked, has a match or has none.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, ITEMS, BANK, MASTER } from "./support/scenario.mjs";
import { menuFrame, openMenu, entries, note, sleep } from "./support/inline-menu.mjs";

let s;
before(async () => (s = await Scenarios.start({ bank: ITEMS.bank })));
after(async () => s?.close());

/** A real click (forced: the page may lay a click-through element over it) on the menu's first
 *  entry. */
async function clickFirst(f) {
  await f.click("#list button", { force: true, timeout: 3000 });
  await sleep(500);
}

async function expectNothing(what) {
  await s.expectFilled({}, `${what}: nothing may be filled`);
  assert.deepEqual(s.sites.submissions, [], `${what}: nothing may reach the site`);
}

for (const [page, why] of [
  ["transparent-body.html", /hidden or transparent/],
  ["transparent-form.html", /hidden or transparent/],
  ["ancestor-opacity.html", /hidden or transparent/],
  ["moves-field.html", /moved/],
  ["tampers.html", /tampering/],
  ["top-layer-overlay.html", /hidden or covered|tampering/],
]) {
  test(`hostile ${page}: the menu refuses and says why`, async () => {
    await s.open("bank.test", `/menu-hostile/${page}`);
    const f = await openMenu(s, "#username");
    assert.ok(f, "the menu opened on the user's click");
    assert.deepEqual(await entries(f), [`Bank of Tests ${BANK.user}`]);
    await clickFirst(f);
    await expectNothing(page);
    assert.match(await note(f), why);
  });
}

test("the page's synthetic clicks, focus and keys open nothing and fill nothing", async () => {
  await s.open("bank.test", "/menu-hostile/synthetic-clicks.html");
  await sleep(1500);
  assert.ok((await s.page.evaluate(() => window.__attacks)) > 10);
  assert.equal(await menuFrame(s, 300), null, "no menu from synthetic events");
  await expectNothing("synthetic events, no user");
  // With the menu opened by the user, the page's events still do nothing.
  const f = await openMenu(s, "#username");
  assert.ok(f);
  await sleep(1000);
  await expectNothing("synthetic events on an open menu");
});

test("messages the page posts to the menu's frame do nothing", async () => {
  await s.open("bank.test", "/menu-hostile/postmessage.html");
  const f = await openMenu(s, "#username");
  assert.ok(f);
  await sleep(1200);
  assert.ok((await s.page.evaluate(() => window.__posted)) > 20, "the page posted");
  // The menu's frame sits in a closed shadow root: not even in the page's window.frames.
  assert.equal(await s.page.evaluate(() => window.__reached), 0, "the page cannot reach the menu's window");
  await expectNothing("postMessage");
  assert.equal(await note(f), "");
});

test("the frame navigated to another site between the menu's opening and the click: nothing is filled there", async () => {
  await s.open("bank.test", "/menu-hostile/navigates-outer.html");
  const inner = s.page.frames().find((fr) => fr.url().includes("navigates-inner"));
  const f = await openMenu(s, "#username", { frame: inner });
  assert.ok(f);
  const menuUrl = f.url();
  // The worker holds its check of the click until the frame has navigated.
  await s.b.worker.evaluate(() => {
    const original = chrome.tabs.sendMessage;
    const hold = (self.__kfHold = { seen: false, release: null, original });
    chrome.tabs.sendMessage = function (tabId, msg, opts) {
      if (msg && msg.type === "menuCheck") {
        hold.seen = true;
        return new Promise((r) => (hold.release = r)).then(() => original.call(chrome.tabs, tabId, msg, opts));
      }
      return original.call(chrome.tabs, tabId, msg, opts);
    };
  });
  try {
    const clicked = f.click("#list button", { force: true, noWaitAfter: true }).catch(() => {});
    const deadline = Date.now() + 4000;
    while (!(await s.b.worker.evaluate(() => self.__kfHold.seen))) {
      assert.ok(Date.now() < deadline, "the worker never checked the click");
      await sleep(20);
    }
    const catcher = s.sites.url("evil.test", "/menu-hostile/catcher.html");
    await s.page.evaluate((u) => (document.querySelector("#inner").src = u), catcher);
    await s.page.waitForFunction(() => true);
    for (let i = 0; i < 50 && !s.page.frames().some((fr) => fr.url().includes("catcher")); i++) await sleep(50);
    await sleep(300);
    await s.b.worker.evaluate(() => self.__kfHold.release());
    await clicked;
    await sleep(500);
    // The new site frames the old menu's page itself (it is web-accessible): its token is dead.
    const evil = s.page.frames().find((fr) => fr.url().includes("catcher"));
    await evil.evaluate((u) => {
      const fr = document.createElement("iframe");
      fr.src = u;
      document.body.append(fr);
    }, menuUrl);
    const again = await menuFrame(s, 3000);
    assert.ok(again, "the re-framed menu page loaded");
    assert.deepEqual(await entries(again), [], "it lists nothing");
    await expectNothing("navigated frame");
  } finally {
    await s.b.worker.evaluate(() => (chrome.tabs.sendMessage = self.__kfHold.original));
  }
});

// Page world: everything the page can observe while the user opens the menu.
function record() {
  const log = (window.__kfLog = []);
  for (const t of ["focus", "focusin", "focusout", "blur", "click", "keydown", "input", "change", "message", "toggle", "beforetoggle"]) {
    window.addEventListener(t, (e) => log.push(`${t}:${e.target?.localName ?? "window"}`), true);
  }
  new MutationObserver((ms) => {
    for (const m of ms) {
      const added = [...m.addedNodes].map((n) => (n.localName?.startsWith("kf-") ? "kf" : n.localName ?? "#text"));
      log.push(`mutation:${m.type}:${m.attributeName ?? ""}:${added.join(",")}`);
    }
  }).observe(document.documentElement, { attributes: true, childList: true, subtree: true, characterData: true });
}

async function observe(host) {
  await s.open(host, "/login/simple.html");
  await s.page.evaluate(record);
  const f = await openMenu(s, "#username");
  assert.ok(f, `${host}: the menu opened`);
  await sleep(300);
  return s.page.evaluate(() => {
    const hosts = [...document.querySelectorAll("*")].filter((e) => e.localName.startsWith("kf-"));
    return {
      // As a multiset: where the host's events fall between the click's own (mousedown, focus,
      // mouseup, click) depends on how fast the worker answers under load, not on the vault.
      log: window.__kfLog
        .map((e) => e.replace(/kf-[a-z0-9]+/g, "kf"))
        .sort()
        .join(" "),
      boxes: hosts.map((h) => {
        const r = h.getBoundingClientRect();
        return [Math.round(r.width), Math.round(r.height)];
      }),
      html: document.documentElement.outerHTML.replace(/kf-[a-z0-9]+/g, "kf"),
      frames: window.frames.length,
    };
  });
}

test("the page learns nothing of the vault: the same DOM, events, sizes and frames when locked, with a match and with none", async () => {
  const matched = await observe("bank.test");
  const none = await observe("nothing.test");
  await s.api("lock");
  let locked;
  try {
    locked = await observe("bank.test");
  } finally {
    assert.ok((await s.api("unlock", { password: MASTER })).ok);
  }
  for (const seen of [matched, none, locked]) {
    assert.ok(!seen.html.includes("Bank of Tests") && !seen.html.includes(BANK.user), "no item name or username in the page");
  }
  assert.deepEqual(none, { ...matched, html: none.html.replaceAll("nothing.test", "bank.test") }, "no match vs a match");
  assert.deepEqual(locked, matched, "locked vs unlocked");
});


