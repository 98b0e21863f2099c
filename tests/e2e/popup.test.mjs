// The real popup, driven like a user (keyboard and clicks only) as a 360×600 page pointed at a
// tab with popup.html?tabId=N: first run, adding, searching, editing, trashing and filling a
// login, the http warning, folders, settings, lock/unlock, French; and on every screen visited,
// no horizontal scrolling and an accessible name on every Tab stop. `api()` only inspects.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, ROOT } from "./support/browser.mjs";
import { startSites } from "./support/site-server.mjs";

const MASTER = "correct horse battery staple 42";
const NEW_PASSWORD = "n3w-Bank-Passw0rd-e2e";
const MASK = "••••••••";
const WIDTH = 360;
const LOCALES = Object.fromEntries(
  ["en", "fr"].map((l) => [l, JSON.parse(readFileSync(join(ROOT, `_locales/${l}/messages.json`), "utf8"))]),
);

/** A message as chrome.i18n renders it: named placeholders, then $1…, then $$. */
function msg(key, subs = [], lang = "en") {
  const entry = LOCALES[lang][key];
  const named = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
  return entry.message
    .replace(/\$([A-Za-z0-9_]+)\$/g, (_, n) => named[n.toLowerCase()] ?? "")
    .replace(/\$(\d)/g, (_, d) => subs[d - 1] ?? "")
    .replace(/\$\$/g, "$");
}

const tid = (id) => `[data-testid="${id}"]`;
let sites, b, p, bank, bankTab, generated; // p: the popup page; bank: https://bank.test/login/simple.html
const errors = [];
const screens = new Set();

before(async () => {
  sites = await startSites();
  b = await launch();
  bank = await b.context.newPage();
  await bank.goto(sites.url("bank.test", "/login/simple.html"));
  bankTab = await b.tabIdOf(bank);
  await b.context.grantPermissions(["clipboard-read"], { origin: new URL(bank.url()).origin });
  p = await openPopup(b, bankTab);
});

after(async () => {
  await b?.close();
  await sites?.close();
});

/** Points the launch's popup page at a tab (first call: also records its errors). */
async function openPopup(browser, tabId) {
  const page = browser.popup;
  if (!page.listenerCount?.("pageerror")) {
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  }
  await page.setViewportSize({ width: WIDTH, height: 600 });
  await page.goto(tabId == null ? browser.popupUrl : `${browser.popupUrl}?tabId=${tabId}`);
  await page.bringToFront(); // a background tab gets no animation frames: every click would stall
  return page;
}

// ---- driving and waiting ----

/** Clicks into a field and replaces its text by typing; then Enter if `enter`, and waits for view `to`. */
async function typeInto(sel, value, { enter = false, to, page = p } = {}) {
  await page.click(sel);
  await page.keyboard.press("Control+A");
  await (value ? page.keyboard.type(value) : page.keyboard.press("Backspace"));
  if (enter || to) await page.keyboard.press("Enter");
  if (to) await waitView(to, page, 60_000);
}

const press = async (...keys) => {
  for (const k of keys) await p.keyboard.press(k);
};
const clickTo = async (sel, view, timeout) => (await p.click(sel), waitView(view, p, timeout));
const keyTo = async (key, view) => (await press(key), waitView(view));

/** Chooses an option of a <select> as a user does: open it, arrow to the option, Enter. */
async function pick(sel, match) {
  const [from, to] = await p.$eval(sel, (s, m) => [s.selectedIndex, [...s.options].findIndex((o) => o.value === m || o.text === m)], match);
  assert.ok(to >= 0, `${sel} has no option ${match}`);
  await p.click(sel);
  for (let i = 0; i < Math.abs(to - from); i++) await p.keyboard.press(to > from ? "ArrowDown" : "ArrowUp");
  await p.keyboard.press("Enter");
  await p.waitForFunction(([s, i]) => document.querySelector(s).selectedIndex === i, [sel, to]);
}

const currentView = (page = p) => page.evaluate(() => document.querySelector("[data-view]:not([hidden])")?.dataset.view);
const focused = () => p.evaluate(() => document.activeElement.dataset.testid || document.activeElement.id);
const text = async (sel, page = p) => (await page.textContent(sel))?.trim();
const fields = (page) => page.evaluate(() => [window.username.value, window.password.value]);

async function waitView(name, page = p, timeout = 15_000) {
  await page.waitForFunction((n) => document.querySelector("[data-view]:not([hidden])")?.dataset.view === n, name, { timeout });
}

async function waitText(sel, want, page = p, timeout = 10_000) {
  await page
    .waitForFunction(([s, t]) => document.querySelector(s)?.textContent.trim() === t, [sel, want], { timeout })
    .catch(async () => assert.equal(await text(sel, page), want, sel));
}

/** Waits for a list's row names (a short timeout means "at once"); a miss fails with a diff. */
async function waitRows(list, expected, timeout = 5_000) {
  const names = () => p.$$eval(`${list} .row-name`, (els) => els.map((e) => e.textContent));
  const want = JSON.stringify(expected);
  await p
    .waitForFunction(([l, w]) => JSON.stringify([...document.querySelectorAll(`${l} .row-name`)].map((e) => e.textContent)) === w, [list, want], { timeout })
    .catch(async () => assert.deepEqual(await names(), expected, list));
}

/** Polls getSettings (inspection only) until `check` holds. */
async function settingsWhere(check) {
  for (let i = 0; i < 50; i++, await p.waitForTimeout(100)) if (check((await b.api("getSettings")).settings)) return;
  assert.fail(`settings: ${JSON.stringify((await b.api("getSettings")).settings)}`);
}

/** Types a query in the search box, then Enter opens the first result. */
async function openBySearch(query) {
  await typeInto(tid("search"), query);
  await p.waitForFunction((q) => document.querySelector("#result-list .row-name")?.textContent.toLowerCase().includes(q), query);
  await keyTo("Enter", "item");
  await p.waitForSelector("#item-title:not(:empty)");
}

// ---- layout and names ----

/**
 * No horizontal scrolling; every Tab stop is rendered and has an accessible name (computed by
 * Chromium's accessibility tree) from a label, aria-label or its text, not only a tooltip or
 * placeholder. Tab moves the focus: call it between actions.
 */
async function checkScreen(name, page = p) {
  screens.add(name);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= WIDTH, `${name}: scrollWidth ${width} > ${WIDTH}`);
  const cdp = await page.context().newCDPSession(page);
  const problems = [];
  let stops = 0;
  try {
    await page.evaluate(() => (window.__kfSeen = new Set()));
    for (let i = 0, outside = 0; i < 80 && outside < 3; i++) {
      await page.keyboard.press("Tab");
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return { outside: true };
        if (window.__kfSeen.has(el)) return { repeat: true };
        window.__kfSeen.add(el);
        const r = el.getBoundingClientRect();
        const desc = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + (el.dataset.testid ? `[${el.dataset.testid}]` : "");
        return { desc, rendered: r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true }) };
      });
      if (info.repeat) break;
      if (info.outside && ++outside) continue;
      stops++;
      const { result } = await cdp.send("Runtime.evaluate", { expression: "document.activeElement", objectGroup: "kf" });
      const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { objectId: result.objectId, fetchRelatives: false });
      const ax = nodes.find((n) => !n.ignored) ?? nodes[0];
      const source = (ax?.name?.sources ?? []).find((x) => (x.value || x.attributeValue) && !x.superseded);
      const weak = source?.type === "placeholder" || ["title", "placeholder"].includes(source?.attribute);
      if (!info.rendered) problems.push(`${info.desc} is focusable but not visible`);
      if (!String(ax?.name?.value ?? "").trim()) problems.push(`${info.desc} (${ax?.role?.value}) has no accessible name`);
      else if (weak) problems.push(`${info.desc} is named only by its ${source.attribute ?? source.type}`);
    }
    await cdp.send("Runtime.releaseObjectGroup", { objectGroup: "kf" });
  } finally {
    await cdp.detach().catch(() => {});
  }
  assert.ok(stops > 0, `${name}: nothing reachable with Tab`);
  assert.deepEqual(problems, [], `${name}: Tab stops`);
}

// ---- the tests run in order: each starts where the previous one left the popup ----

test("first run: strength meter, mismatch refused, create with PBKDF2", async () => {
  await waitView("create");
  assert.equal(await text("#create-title"), msg("createTitle"));
  await checkScreen("create");
  for (const [pw, ok] of [["password1", (s) => s <= 1], [MASTER, (s) => s >= 3]]) {
    const { score } = await b.api("strength", { password: pw });
    assert.ok(ok(score), `${pw} scored ${score}`);
    await typeInto(tid("create-password"), pw);
    await p.waitForFunction((s) => document.querySelector('[data-testid="strength"]').dataset.score === String(s), score);
    assert.equal(await text("#strength-text"), msg(`strength${score}`));
    assert.equal(await p.$eval("#strength-meter", (m) => m.value), score);
  }
  await typeInto(tid("create-confirm"), MASTER + "x", { enter: true });
  await waitText(tid("create-error"), msg("createMismatch"));
  assert.equal(await currentView(), "create");
  assert.equal(await focused(), "create-confirm");
  assert.equal((await b.api("status")).state, "empty");

  await typeInto(tid("create-confirm"), MASTER);
  await p.click(tid("kdf-pbkdf2"));
  await clickTo(tid("create-submit"), "vault", 90_000);
  const status = await b.api("status");
  assert.deepEqual([status.state, status.kdf], ["unlocked", "pbkdf2"]);
  await checkScreen("vault");
});

test("add a login with a generated password; it is listed and fills the page", async () => {
  await clickTo(tid("add"), "edit");
  assert.equal(await text("#edit-title"), msg("newItem"));
  await checkScreen("edit");
  await typeInto(tid("edit-name"), "Bank of Tests");
  await typeInto(tid("edit-username"), "alice@bank.test");
  await clickTo(tid("edit-generate"), "generator");
  await p.waitForSelector(`${tid("gen-output")}:not(:empty)`);
  await checkScreen("generator");
  generated = await text(tid("gen-output"));
  assert.equal(generated.length, 20);
  await clickTo(tid("gen-use"), "edit");
  assert.equal(await p.inputValue(tid("edit-password")), generated);
  await typeInto(tid("edit-uri"), "https://bank.test");
  await clickTo(tid("edit-save"), "item");
  await waitText("#item-title", "Bank of Tests");
  await press("Escape");

  // A second login, so that search has something to narrow.
  await clickTo(tid("add"), "edit");
  await typeInto(tid("edit-name"), "Mail Box");
  await typeInto(tid("edit-username"), "bob@mail.test");
  await typeInto(tid("edit-uri"), "https://mail.test", { to: "item" });
  await keyTo("Escape", "vault");

  await waitRows("#result-list", ["Bank of Tests", "Mail Box"]);
  await waitRows("#tab-list", ["Bank of Tests"]);
  assert.equal(await text("#tab-heading"), msg("tabHeading", ["bank.test"]));
  const { item } = await b.api("item", { id: (await b.api("search", { query: "bank", filters: {} })).rows[0].id });
  assert.equal(item.login.password, generated);
  assert.deepEqual(item.login.uris.map((u) => u.uri), ["https://bank.test"]);

  await p.click(`#tab-list ${tid("fill")}`);
  await waitText(tid("toast"), msg("filled"));
  await bank.waitForFunction(() => window.password.value !== "", null, { polling: 100 }); // background tab: no rAF
  assert.deepEqual(await fields(bank), ["alice@bank.test", generated]);
});

test("search narrows as you type; arrows and Enter open an item; Escape goes back", async () => {
  // Each keystroke narrows the list at once (1.5 s: a generous budget for a busy machine).
  await p.click(tid("search"));
  const both = ["Bank of Tests", "Mail Box"];
  for (const [keys, rows] of [["b", both], ["a", ["Bank of Tests"]], ["Backspace", both], ["ox", ["Mail Box"]], ["zzz", []]]) {
    await (keys === "Backspace" ? press(keys) : p.keyboard.type(keys));
    await waitRows("#result-list", rows, 1_500);
  }
  assert.equal(await p.isVisible("#result-empty"), true);
  await typeInto(tid("search"), "");
  await waitRows("#result-list", ["Bank of Tests", "Mail Box"]);

  const row = () => p.evaluate(() => document.activeElement.querySelector(".row-name")?.textContent);
  for (const [key, name] of [["ArrowDown", "Bank of Tests"], ["ArrowDown", "Mail Box"], ["ArrowUp", "Bank of Tests"]]) {
    await press(key);
    assert.equal(await row(), name);
  }
  await keyTo("Enter", "item");
  await waitText("#item-title", "Bank of Tests");
  assert.equal(await text(tid("item-username")), "alice@bank.test");
  assert.equal(await text(tid("item-password")), MASK);
  assert.equal((await p.$$(`${tid("item-view")} ${tid("copy")}`)).length, 3, "copy username, password, website");
  const reveal = `${tid("item-view")} ${tid("reveal")}`;
  assert.equal(await p.getAttribute(reveal, "aria-label"), msg("showWhat", [msg("password")]));
  await p.click(reveal);
  assert.equal(await text(tid("item-password")), generated);
  assert.equal(await p.getAttribute(reveal, "aria-pressed"), "true");
  assert.equal(await p.getAttribute(reveal, "aria-label"), msg("hideWhat", [msg("password")]));
  await p.click(reveal);
  assert.equal(await text(tid("item-password")), MASK);
  // Copy the password; read it back from the bank page (an origin allowed to read the clipboard).
  await p.click(`${tid("item-view")} ${tid("copy")}[aria-label="${msg("copyWhat", [msg("password")])}"]`);
  await waitText(tid("toast"), msg("copied", [msg("password")]));
  await bank.bringToFront();
  assert.equal(await bank.evaluate(() => navigator.clipboard.readText()), generated);
  await p.bringToFront();
  await checkScreen("item");
  await keyTo("Escape", "vault");
  assert.equal(await row(), "Bank of Tests", "focus returns to the row");
});

test("edit the password; trash, restore; delete forever after confirming", async () => {
  await openBySearch("bank");
  await clickTo(tid("item-edit"), "edit");
  assert.equal(await text("#edit-title"), msg("editItem"));
  await p.waitForFunction((g) => document.querySelector("#edit-password").value === g, generated);
  await typeInto(tid("edit-password"), NEW_PASSWORD, { to: "item" });
  await p.click(`${tid("item-view")} ${tid("reveal")}`);
  await waitText(tid("item-password"), NEW_PASSWORD);

  await clickTo(tid("item-trash"), "vault");
  await waitText(tid("toast"), msg("movedToTrash"));
  await waitRows("#result-list", []);
  await typeInto(tid("search"), "");
  await waitRows("#result-list", ["Mail Box"]);
  await waitRows("#tab-list", []);
  await p.click(tid("filter-trash"));
  await waitRows("#result-list", ["Bank of Tests"]);
  await clickTo(`#result-list ${tid("row")}`, "item");
  await p.waitForSelector("#item-trash-note:visible");
  assert.equal(await p.isVisible(tid("item-edit")), false);
  await checkScreen("item (in trash)");
  await p.click(tid("item-restore"));
  await p.waitForSelector("#item-trash-note", { state: "hidden" });
  await waitText(tid("toast"), msg("restored"));
  await keyTo("Escape", "vault");
  await waitRows("#result-list", []);
  await p.click(tid("filter-all"));
  await waitRows("#result-list", ["Bank of Tests", "Mail Box"]);
  await waitRows("#tab-list", ["Bank of Tests"]);

  // "Mail Box", deleted forever: the dialog starts on Cancel, and Escape keeps the item.
  await openBySearch("mail");
  await clickTo(tid("item-trash"), "vault");
  await p.click(tid("filter-trash"));
  await typeInto(tid("search"), "");
  await waitRows("#result-list", ["Mail Box"]);
  await press("ArrowDown", "Enter");
  await waitView("item");
  await p.click(tid("item-purge"));
  await p.waitForSelector("#dialog[open]");
  assert.equal(await text("#dialog-text"), msg("purgeConfirm", ["Mail Box"]));
  assert.equal(await focused(), "confirm-cancel");
  await checkScreen("purge dialog");
  await press("Escape");
  await p.waitForSelector("#dialog", { state: "hidden" });
  assert.equal(await currentView(), "item", "Escape closed the dialog only");
  await p.click(tid("item-purge"));
  await clickTo(tid("confirm-purge"), "vault");
  await waitText(tid("toast"), msg("deletedForever"));
  await waitRows("#result-list", []);
  assert.deepEqual((await b.api("search", { query: "mail", filters: { trash: true } })).rows, []);
  await p.click(tid("filter-all"));
  await waitRows("#result-list", ["Bank of Tests"]);
});

test("an http page: the banner, and Fill asks first (Cancel fills nothing)", async () => {
  const page = await b.context.newPage();
  try {
    await page.goto(sites.url("bank.test", "/login/simple.html", { http: true }));
    await openPopup(b, await b.tabIdOf(page));
    await waitView("vault");
    await p.waitForSelector(`${tid("insecure-banner")}:visible`);
    assert.equal(await text(tid("insecure-banner")), msg("insecureBanner"));
    await waitRows("#tab-list", ["Bank of Tests"]);
    await checkScreen("vault (http page)");
    await p.click(`#tab-list ${tid("fill")}`);
    await p.waitForSelector("#dialog[open]");
    assert.equal(await text("#dialog-text"), msg("confirmInsecure"));
    assert.equal(await focused(), "confirm-cancel");
    await p.click(tid("confirm-cancel"));
    await p.waitForSelector("#dialog", { state: "hidden" });
    await page.waitForTimeout(500);
    assert.deepEqual(await fields(page), ["", ""]);
    await p.click(`#tab-list ${tid("fill")}`);
    await p.click(tid("confirm-fill"));
    await waitText(tid("toast"), msg("filled"));
    assert.deepEqual(await fields(page), ["alice@bank.test", NEW_PASSWORD]);
  } finally {
    await page.close();
  }
  await openPopup(b, bankTab);
  await waitView("vault");
  assert.equal(await p.isVisible(tid("insecure-banner")), false);
});

test("folders: create one, file the item in it, filter by it", async () => {
  await clickTo(tid("manage-folders"), "folders");
  await p.keyboard.type("Work"); // the name field has the focus
  await press("Enter");
  await p.waitForSelector(tid("folder-name"));
  assert.equal(await p.inputValue(tid("folder-name")), "Work");
  await checkScreen("folders");
  await keyTo("Escape", "vault");
  const [folder] = (await b.api("folders")).folders;
  assert.equal(folder.name, "Work");

  await openBySearch("bank");
  await clickTo(tid("item-edit"), "edit");
  await p.waitForFunction(() => document.querySelector("#edit-name").value === "Bank of Tests");
  await pick(tid("edit-folder"), "Work");
  await clickTo(tid("edit-save"), "item");
  await keyTo("Escape", "vault");
  await typeInto(tid("search"), "");
  for (const [choice, rows] of [["Work", ["Bank of Tests"]], ["__unfiled", []], ["", ["Bank of Tests"]]]) {
    await pick(tid("folder-filter"), choice);
    await waitRows("#result-list", rows);
  }
  const id = (await b.api("search", { query: "bank", filters: {} })).rows[0].id;
  assert.equal((await b.api("item", { id })).item.folderId, folder.id);
});

test("settings: auto-lock, opt-outs, strict; lock now, a wrong then the right password", async () => {
  await clickTo(tid("settings"), "settings");
  await p.waitForFunction(() => document.querySelector("#set-autolock").value !== "");
  await pick(tid("set-autolock"), "5");
  await settingsWhere((s) => s.autoLockMinutes === 5);
  assert.equal(await p.inputValue(tid("set-clipboard")), "30");
  await pick(tid("set-clipboard"), "never");
  await settingsWhere((s) => s.clearClipboardSeconds === null);
  await pick(tid("set-clipboard"), "10");
  await settingsWhere((s) => s.clearClipboardSeconds === 10);

  await typeInto(tid("optout-input"), "not a host!", { enter: true });
  await waitText("#settings-error", msg("invalidHost"));
  await typeInto(tid("optout-input"), "https://Tracker.Example.org/path", { enter: true });
  await p.waitForSelector(tid("optout-remove"));
  assert.equal(await text(tid("optout-list")), "tracker.example.org");
  await settingsWhere((s) => JSON.stringify(s.optOutSites) === '["tracker.example.org"]');
  await checkScreen("settings");
  await p.click(tid("optout-remove"));
  await p.waitForSelector(tid("optout-remove"), { state: "detached" });
  await settingsWhere((s) => s.optOutSites.length === 0);
  for (const on of [true, false]) {
    await p.click(tid("set-strict"));
    await settingsWhere((s) => s.strict === on);
  }

  await clickTo(tid("lock-now"), "unlock");
  assert.equal((await b.api("status")).state, "locked");
  assert.equal(await focused(), "unlock-password");
  await checkScreen("unlock");
  await typeInto(tid("unlock-password"), "not the master password", { enter: true });
  await waitText(tid("unlock-error"), msg("errWrongPassword"), p, 60_000);
  assert.equal(await p.getAttribute(tid("unlock-password"), "aria-invalid"), "true");
  assert.equal(await currentView(), "unlock");
  await typeInto(tid("unlock-password"), MASTER, { to: "vault" });
  assert.equal((await b.api("status")).state, "unlocked");
  await waitRows("#tab-list", ["Bank of Tests"]);
});

/** No visible text, name, tooltip or placeholder is an English message that French changes. */
async function assertNoEnglish(page, name) {
  const english = Object.keys(LOCALES.en)
    .filter((k) => LOCALES.en[k].message !== LOCALES.fr[k].message)
    .map((k) => {
      const re = msg(k, ["\u0001", "\u0001", "\u0001"]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replaceAll("\u0001", ".+");
      return { k, re: new RegExp(`^${re}$`) };
    });
  const shown = await page.evaluate(() => {
    const out = [document.title];
    const visible = (el) => el.checkVisibility({ visibilityProperty: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (walker.currentNode.textContent.trim() && visible(el.closest("select") ?? el)) out.push(walker.currentNode.textContent.trim());
    }
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
      if (visible(el)) for (const a of ["aria-label", "title", "placeholder"]) if (el.getAttribute(a)) out.push(el.getAttribute(a).trim());
    }
    return out;
  });
  const found = shown.flatMap((s) => english.filter((e) => e.re.test(s)).map((e) => `${e.k}: "${s}"`));
  assert.deepEqual(found, [], `${name}: English strings in the French popup`);
}

test("French (--lang=fr): French screens, no English string, a French error", async () => {
  const fr = await launch({ extraArgs: ["--lang=fr"] }); // works headless; LANGUAGE=fr alone does not
  const page = fr.popup;
  const step = async (view, sel) => {
    if (sel) await page.click(sel);
    await waitView(view, page, 90_000);
    await assertNoEnglish(page, view);
    await checkScreen(`${view} (fr)`, page);
  };
  try {
    await openPopup(fr);
    await step("create");
    for (const [sel, key] of [["#create-title", "createTitle"], [tid("create-submit"), "createSubmit"], ['label[for="create-password"]', "masterPassword"]]) {
      assert.equal(await text(sel, page), msg(key, [], "fr"));
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), "fr");
    await typeInto(tid("create-password"), MASTER, { page });
    await typeInto(tid("create-confirm"), MASTER, { page });
    await step("vault", tid("create-submit"));
    await step("edit", tid("add"));
    await page.keyboard.press("Escape");
    await step("settings", tid("settings"));
    await step("unlock", tid("lock-now"));
    assert.equal(await text("#unlock-title", page), msg("unlockTitle", [], "fr"));
    await typeInto(tid("unlock-password"), "pas le bon mot de passe", { enter: true, page });
    await waitText(tid("unlock-error"), msg("errWrongPassword", [], "fr"), page, 60_000);
    await assertNoEnglish(page, "unlock (wrong password)");
  } finally {
    await fr.close();
  }
});

test("every screen was checked, and the popup logged no error", () => {
  for (const view of ["create", "unlock", "vault", "item", "edit", "generator", "settings", "folders"]) {
    assert.ok(screens.has(view), `${view} was not checked`);
  }
  assert.deepEqual(errors, []);
});
