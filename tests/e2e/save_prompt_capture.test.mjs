// docs/autofill.md "Save / update", capture: sign-ins that never submit a form nor click a
// button (Enter handled by the page, a <span> posting by XMLHttpRequest, a panel swapped out as
// the pointer goes down, a page that leaves before its handler ends), a page that rewrites the
// values behind the user's back, a generated password the page empties after Keyfill typed it,
// and a page that removes the bar: the toolbar badge and the popup then offer the same choice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, ITEMS, BANK } from "./support/scenario.mjs";

let s;
before(async () => (s = await Scenarios.start({ bank: ITEMS.bank })));
after(async () => s?.close());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The prompt's frame in the test tab, once it shows (null after `ms`). */
async function promptFrame(ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const f = s.page.frames().find((fr) => fr.url().includes("/extension/prompt/bar.html"));
    if (f) {
      const ready = await f.waitForSelector('[data-testid="prompt-save"]:not([hidden])', { timeout: 1000 }).catch(() => null);
      if (ready) return f;
    }
    if (Date.now() > deadline) return null;
    await sleep(50);
  }
}

const items = async () => (await s.api("search", { query: "", filters: {} })).rows;
const badge = () => s.b.worker.evaluate((tabId) => chrome.action.getBadgeText({ tabId }), s.tabId);

/** The prompt's revealed password. It acts once it has been on screen a moment (longer on a
 *  busy machine): click Show until it does. */
async function reveal(f) {
  for (let i = 0; i < 20; i++) {
    await sleep(300);
    await f.click('[data-testid="prompt-reveal"]');
    const text = await f.textContent('[data-testid="prompt-password"]');
    if (text !== "••••••••") return text;
  }
  return null;
}

/** Opens the prompt's reveal and reads the password, then answers Save; returns the item. */
async function saveFromPrompt(f, username) {
  const shown = await reveal(f);
  await f.click('[data-testid="prompt-save"]');
  await sleep(300);
  const row = (await items()).find((r) => r.subtitle === username);
  assert.ok(row, `saved ${username}`);
  return { shown, item: (await s.api("item", { id: row.id })).item };
}

async function type(values) {
  for (const [sel, v] of Object.entries(values)) await s.page.fill(sel, v);
}

test("Enter in a formless panel the page signs in by fetch (then empties): the prompt on the same page", async () => {
  await s.open("bank.test", "/save/fetch-enter.html");
  await type({ "#user": "enter-user", "#pw": "Enter-pw-21" });
  await s.page.press("#pw", "Enter");
  const f = await promptFrame();
  assert.ok(f, "the prompt shows");
  assert.equal(await f.textContent('[data-testid="prompt-user"]'), "enter-user");
  const { item } = await saveFromPrompt(f, "enter-user");
  assert.equal(item.login.password, "Enter-pw-21");
  assert.equal(await badge(), "", "the badge goes with the answer");
});

test("a <span> that posts by XMLHttpRequest and swaps the panel out: captured on its click", async () => {
  await s.open("bank.test", "/save/xhr-span.html");
  await type({ "#email": "xhr@bank.test", "#pw": "Xhr-pw-22" });
  await s.page.click("#go");
  await s.page.waitForSelector("#done");
  const f = await promptFrame();
  assert.ok(f, "the prompt shows");
  const { item } = await saveFromPrompt(f, "xhr@bank.test");
  assert.equal(item.login.password, "Xhr-pw-22");
  assert.match(item.login.uris[0].uri, /^https:\/\/bank\.test(:\d+)?$/);
});

test("a panel removed as the pointer goes down on a plain <div>: captured when the field leaves", async () => {
  await s.open("bank.test", "/save/pointerdown-swap.html");
  await type({ "#user": "swap-user", "#pw": "Swap-pw-23" });
  await s.page.click("#go");
  const f = await promptFrame();
  assert.ok(f, "the prompt shows");
  const { item } = await saveFromPrompt(f, "swap-user");
  assert.equal(item.login.password, "Swap-pw-23");
});

test("a page that navigates as the pointer goes down: the prompt on the next page", async () => {
  await s.open("bank.test", "/save/navigate-early.html");
  await type({ "#user": "early-user", "#pw": "Early-pw-24" });
  await s.page.click("#go", { noWaitAfter: true });
  await s.page.waitForURL(/welcome\.html/);
  await s.settle();
  const f = await promptFrame();
  assert.ok(f, "the prompt shows on the next page");
  assert.equal(await badge(), "1", "and the badge with it");
  const { item } = await saveFromPrompt(f, "early-user");
  assert.equal(item.login.password, "Early-pw-24");
});

for (const [path, user, pw, next, go] of [
  ["/multistep/username-then-password.html", "#u", "#p", "#next", "#f button:not(#next)"],
  ["/save/two-step-one-page.html", "#e", "#p", "#next", "#go"],
]) {
  test(`two steps on one page (${path}): the prompt saves the first step's username with the password`, async () => {
    const username = `steps-${path.length}@bank.test`;
    await s.open("bank.test", path);
    await s.page.fill(user, username);
    await s.page.click(next);
    await s.page.fill(pw, "Steps-pw-33");
    await s.page.click(go);
    const f = await promptFrame();
    assert.ok(f, "the prompt shows");
    assert.equal(await f.textContent('[data-testid="prompt-user"]'), username);
    const { item } = await saveFromPrompt(f, username);
    assert.equal(item.login.password, "Steps-pw-33");
  });
}

test("a password typed, then a link followed or the field taken away while typing: no prompt", async () => {
  await s.open("bank.test", "/save/navigate-early.html");
  await type({ "#user": "link-user", "#pw": "Link-pw-31" });
  await s.page.click("#forgot");
  await s.page.waitForURL(/forgot/);
  await s.settle();
  assert.equal(await promptFrame(1200), null, "a link is no submit");
  await s.open("bank.test", "/save/removes-while-typing.html");
  await s.page.fill("#user", "partial-user");
  await s.page.click("#pw");
  await s.page.keyboard.type("Par", { delay: 30 });
  assert.equal(await s.page.$("#pw"), null, "the page took the field");
  assert.equal(await promptFrame(1200), null, "typing is no submit");
  assert.equal(await badge(), "");
});

test("a submit handler that navigates before it posts: the prompt on the next page", async () => {
  await s.open("bank.test", "/save/navigate-in-submit.html");
  await type({ "#user": "in-submit", "#pw": "In-submit-pw-25" });
  await s.page.click("button");
  await s.page.waitForURL(/welcome\.html/);
  await s.settle();
  const f = await promptFrame();
  assert.ok(f, "the prompt shows on the next page");
  const { item } = await saveFromPrompt(f, "in-submit");
  assert.equal(item.login.password, "In-submit-pw-25");
});

test("a page that rewrites the typed values before submitting: what the user typed is offered", async () => {
  await s.open("bank.test", "/save/rewrites-value.html");
  await type({ "#user": "typed-user", "#pw": "Typed-pw-26" });
  await s.page.click("button");
  await s.page.waitForURL(/welcome\.html/);
  const f = await promptFrame();
  assert.ok(f, "the prompt shows");
  assert.equal(await f.textContent('[data-testid="prompt-user"]'), "typed-user");
  const { shown, item } = await saveFromPrompt(f, "typed-user");
  assert.equal(shown, "Typed-pw-26");
  assert.equal(item.login.password, "Typed-pw-26");
  assert.ok(!(await items()).some((r) => r.subtitle === "attacker"));
});

test("a generated password the page empties after Keyfill typed it is still offered, and kept in the history", async () => {
  await s.open("fresh.test", "/save/signup-clears.html");
  await s.page.fill("#email", "gen@fresh.test");
  const out = await s.api("fillGenerated", { tabId: s.tabId });
  assert.equal(out.status, "filled", JSON.stringify(out));
  assert.equal(await s.page.inputValue("#pw"), "", "the page emptied it");
  const { entries } = await s.api("generatorHistory");
  const generated = entries[0].password;
  await s.page.click("button");
  await s.page.waitForSelector("#note:has-text('account created')");
  const f = await promptFrame();
  assert.ok(f, "the prompt shows");
  const { shown, item } = await saveFromPrompt(f, "gen@fresh.test");
  assert.equal(shown, generated);
  assert.equal(item.login.password, generated);
  assert.equal((await s.api("generatorHistory")).entries[0].password, generated, "still in the history");

  // Good for that one submit: a later one in the tab whose field a script filled and emptied
  // does not get it again.
  await s.open("fresh.test", "/save/signup-clears.html");
  await s.page.fill("#email", "later@fresh.test");
  await s.page.evaluate(() => {
    const pw = document.getElementById("pw");
    pw.value = "x";
    pw.dispatchEvent(new Event("input", { bubbles: true }));
    pw.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await s.page.click("button");
  await s.page.waitForSelector("#note:has-text('account created')");
  assert.equal(await promptFrame(1200), null, "no prompt");
});

test("a page that plants and clears a password itself gets nothing offered", async () => {
  await s.open("other.test", "/save/signup-clears.html");
  await s.page.fill("#email", "planted@other.test");
  await s.page.evaluate(() => {
    const pw = document.getElementById("pw");
    pw.value = "Planted-pw-27";
    pw.dispatchEvent(new Event("input", { bubbles: true }));
    pw.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await s.page.click("button");
  await s.page.waitForSelector("#note:has-text('account created')");
  assert.equal(await promptFrame(1200), null, "no prompt");
  assert.equal(await badge(), "");
});

test("a page that removes the bar: the toolbar badge and the popup offer Save, Never and dismiss", async () => {
  await s.open("bank.test", "/save/hides-bar.html");
  await type({ "#user": "hidden-bar", "#pw": "Hidden-pw-28" });
  await s.page.click("button");
  await sleep(800);
  assert.equal(await promptFrame(500), null, "the page removed the bar");
  assert.equal(await badge(), "1", "the badge says a choice waits");
  const popup = await s.b.context.newPage();
  await popup.goto(`${s.b.popupUrl}?tabId=${s.tabId}`);
  await popup.waitForSelector('[data-testid="save-offer"]:not([hidden])');
  assert.equal(await popup.textContent('[data-testid="save-offer-user"]'), "hidden-bar");
  assert.equal(await popup.textContent('[data-testid="save-offer-save"]'), "Save");
  await popup.click('[data-testid="save-offer-save"]');
  await popup.waitForSelector('[data-testid="save-offer"][hidden]', { state: "attached" });
  const row = (await items()).find((r) => r.subtitle === "hidden-bar");
  assert.ok(row, "saved from the popup");
  assert.equal((await s.api("item", { id: row.id })).item.login.password, "Hidden-pw-28");
  assert.equal(await badge(), "");

  // An update, then Never, from the popup too.
  await s.open("bank.test", "/save/hides-bar.html");
  await type({ "#user": BANK.user, "#pw": "Popup-update-pw-29" });
  await s.page.click("button");
  await sleep(800);
  await popup.reload();
  await popup.waitForSelector('[data-testid="save-offer"]:not([hidden])');
  assert.equal(await popup.textContent('[data-testid="save-offer-save"]'), "Update");
  await popup.click('[data-testid="save-offer-never"]');
  await popup.waitForSelector('[data-testid="save-offer"][hidden]', { state: "attached" });
  assert.deepEqual((await s.api("getSettings")).settings.neverSaveSites, ["bank.test"]);
  assert.equal((await s.api("item", { id: s.ids.bank })).item.login.password, BANK.pass, "not updated");
  await s.api("setSettings", { settings: { neverSaveSites: [] } });

  // Dismissed: gone from the popup and the badge, nothing stored.
  await s.open("bank.test", "/save/hides-bar.html");
  await type({ "#user": "dismissed", "#pw": "Dismissed-pw-30" });
  await s.page.click("button");
  await sleep(800);
  await popup.reload();
  await popup.waitForSelector('[data-testid="save-offer"]:not([hidden])');
  await popup.click('[data-testid="save-offer-close"]');
  await popup.waitForSelector('[data-testid="save-offer"][hidden]', { state: "attached" });
  assert.equal(await badge(), "");
  assert.ok(!(await items()).some((r) => r.subtitle === "dismissed"));
  await popup.close();
});

test("a sign-in framed in a site the user opted out (no content script, so no bar): the badge and the popup offer it", async () => {
  assert.ok((await s.api("setSettings", { settings: { optOutSites: ["bank.test"] } })).ok);
  try {
    await s.page.goto(s.sites.url("bank.test", "/login/cross-origin-iframe.html"));
    await s.page.waitForLoadState("load");
    const inner = s.page.frames().find((fr) => fr.url().includes("/login/iframe-inner.html"));
    await inner.waitForSelector("[name=password]");
    await sleep(500); // the frame's content script
    await inner.fill("[name=username]", "framed-user");
    await inner.fill("[name=password]", "Framed-pw-32");
    await inner.click("button");
    await sleep(800);
    assert.equal(await promptFrame(500), null, "no bar in an opted-out page");
    assert.equal(await badge(), "1");
    const popup = await s.b.context.newPage();
    await popup.goto(`${s.b.popupUrl}?tabId=${s.tabId}`);
    await popup.waitForSelector('[data-testid="save-offer"]:not([hidden])');
    assert.match(await popup.textContent('[data-testid="save-offer-site"]'), /^other\.test/);
    await popup.click('[data-testid="save-offer-save"]');
    await popup.waitForSelector('[data-testid="save-offer"][hidden]', { state: "attached" });
    await popup.close();
    const row = (await items()).find((r) => r.subtitle === "framed-user");
    assert.ok(row, "saved for the frame's site");
    const { item } = await s.api("item", { id: row.id });
    assert.equal(item.login.password, "Framed-pw-32");
    assert.match(item.login.uris[0].uri, /^https:\/\/other\.test(:\d+)?$/);
  } finally {
    await s.api("setSettings", { settings: { optOutSites: [] } });
  }
});
