// The popup's server-account flows (views/account.js, the settings Account section, the vault's
// notices, the unlock screen's e-mail) against a stub worker: the popup's own files are served
// from extension/popup and `chrome` is faked before they load, so every worker answer
// (two-factor, each error code, sync, log out) can be staged. 360 px wide, keyboard first,
// English and French. The real worker's side is tested with the test server elsewhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join, extname } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, CHROMIUM, BROWSER_FLAGS } from "./support/browser.mjs";

const WIDTH = 360;
const ORIGIN = "https://keyfill-popup.test";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };
const LOCALES = Object.fromEntries(
  ["en", "fr"].map((l) => [l, JSON.parse(readFileSync(join(ROOT, `_locales/${l}/messages.json`), "utf8"))]),
);
const NOW = Date.now();
const MIN = 60_000;

/** A message as chrome.i18n renders it. */
function msg(key, subs = [], lang = "en") {
  const entry = LOCALES[lang][key];
  assert.ok(entry, `no message ${key}`);
  const named = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
  return entry.message
    .replace(/\$([A-Za-z0-9_]+)\$/g, (_, n) => named[n.toLowerCase()] ?? "")
    .replace(/\$(\d)/g, (_, d) => subs[d - 1] ?? "")
    .replace(/\$\$/g, "$");
}

// ---- the stub worker, run in the page before the popup's modules ----

function installStub(cfg) {
  const sent = (window.__sent = []);
  const getMessage = (key, subs) => {
    const e = cfg.messages[key];
    if (!e) return "";
    const list = subs == null ? [] : [].concat(subs);
    return e.message
      .replace(/\$([A-Za-z0-9_]+)\$/g, (m, n) => e.placeholders?.[n.toLowerCase()]?.content ?? m)
      .replace(/\$(\d)/g, (m, d) => list[d - 1] ?? "")
      .replace(/\$\$/g, "$");
  };
  let state = cfg.state;
  let account = cfg.account ?? null;
  let settings = { autoLockMinutes: 15, strict: false, defaultMatch: 0, optOutSites: [], fillOnPageLoad: false };
  const ok = (x = {}) => ({ ok: true, ...x });
  const fail = (code, extra = {}) => ({ ok: false, error: { code, message: `stub ${code}`, ...extra } });
  const later = (ms) => new Promise((r) => setTimeout(r, ms));
  const clone = (x) => (x == null ? x : JSON.parse(JSON.stringify(x)));
  const handlers = {
    status: () => ok({ state, settings, kdf: "pbkdf2", account: clone(account) }),
    getSettings: () => ok({ settings }),
    setSettings: ({ settings: part }) => ok({ settings: (settings = { ...settings, ...part }) }),
    strength: () => ok({ score: 2, guessesLog10: 8 }),
    tabItems: () => fail("no_tab"),
    folders: () => ok({ folders: [] }),
    search: () => ok({ rows: [{ id: "a", name: "GitHub", subtitle: "alice", kind: 1, favorite: false }] }),
    unlock: ({ password }) => (password === "right" ? ((state = "unlocked"), ok()) : fail("wrong_password")),
    lock: () => ((state = "locked"), ok()),
    addAccount: async ({ server, email, password, twoFactor }) => {
      await later(cfg.addDelay ?? 300);
      if (cfg.addError) return fail(cfg.addError);
      if (password !== "right") return fail("wrong_password");
      if (cfg.twoFactor && !twoFactor) return fail("two_factor_required", { providers: cfg.twoFactor });
      if (cfg.twoFactor && twoFactor.token !== "123456") return fail("two_factor_required", { providers: cfg.twoFactor });
      account = { server, email, lastSync: Date.now(), pending: 0, syncing: false, lastError: null, keptBoth: [] };
      state = "unlocked";
      return ok({ moved: cfg.moved ?? 0 });
    },
    sendEmailCode: () => ok(),
    syncNow: async () => {
      await later(300);
      if (cfg.syncError) return fail(cfg.syncError);
      account = { ...account, lastSync: Date.now(), pending: 0, lastError: null, syncing: false };
      return ok({ account: clone(account) });
    },
    logOut: () => ((account = null), (state = "empty"), ok()),
    // The answers to an edit the server did not store: it leaves the list (sent, kept as a
    // copy, or discarded); a kept-both copy marked resolved leaves its list.
    ...Object.fromEntries(
      ["retryEdit", "keepLocalCopy", "discardEdit"].map((type) => [
        type,
        async ({ key }) => {
          await later(100);
          const unsynced = account.unsynced.filter((e) => e.key !== key);
          account = { ...account, unsynced, pending: unsynced.length };
          return ok({ account: clone(account) });
        },
      ]),
    ),
    resolveKeptBoth: ({ id }) => {
      account = { ...account, keptBoth: account.keptBoth.filter((k) => k.id !== id) };
      return ok({ account: clone(account) });
    },
    item: ({ id }) => ok({ item: { id, type: 1, name: "GitHub (conflict)", login: { username: "alice", password: "x", uris: [] } } }),
  };
  window.chrome = {
    runtime: {
      async sendMessage(m) {
        sent.push(JSON.parse(JSON.stringify(m)));
        return handlers[m.type] ? handlers[m.type](m) : fail("unknown_message");
      },
    },
    i18n: { getMessage, getUILanguage: () => cfg.uiLanguage },
  };
}

let browser;
const errors = [];

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_FLAGS });
});

after(async () => {
  await browser?.close();
});

/** A fresh 360 px page with the popup and the stub in `cfg` ({state, account, lang, …}). */
async function open(cfg) {
  const lang = cfg.lang ?? "en";
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 600 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = join(ROOT, new URL(route.request().url()).pathname);
    if (!path.startsWith(join(ROOT, "extension/popup/")) || !existsSync(path)) return route.fulfill({ status: 404, body: "" });
    route.fulfill({ status: 200, contentType: TYPES[extname(path)] ?? "application/octet-stream", body: readFileSync(path) });
  });
  await page.addInitScript(installStub, { uiLanguage: lang === "fr" ? "fr-FR" : "en-US", ...cfg, messages: LOCALES[lang] });
  await page.goto(`${ORIGIN}/extension/popup/popup.html`);
  await page.waitForFunction(() => document.querySelector("[data-view]:not([hidden])")?.dataset.view !== "loading");
  return page;
}

const tid = (id) => `[data-testid="${id}"]`;
const text = async (page, sel) => (await page.textContent(sel))?.trim();
const focused = (page) => page.evaluate(() => document.activeElement?.dataset.testid || document.activeElement?.id);
const sent = (page, type) => page.evaluate((t) => window.__sent.filter((m) => m.type === t), type);
const waitView = (page, name) =>
  page.waitForFunction((n) => document.querySelector("[data-view]:not([hidden])")?.dataset.view === n, name);
const waitText = (page, sel, want) =>
  page
    .waitForFunction(([s, w]) => document.querySelector(s)?.textContent.trim() === w, [sel, want], { timeout: 5_000 })
    .catch(async () => assert.equal(await text(page, sel), want, sel));

/** No horizontal scrolling; every Tab stop visible and named by the accessibility tree. */
async function checkScreen(page, name) {
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= WIDTH, `${name}: horizontal scroll`);
  const cdp = await page.context().newCDPSession(page);
  const problems = [];
  let stops = 0;
  await page.evaluate(() => (window.__seen = new Set()));
  for (let i = 0, outside = 0; i < 60 && outside < 3; i++) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { outside: true };
      if (window.__seen.has(el)) return { repeat: true };
      window.__seen.add(el);
      const r = el.getBoundingClientRect();
      return { desc: el.dataset.testid || el.id || el.tagName, rendered: r.width > 0 && r.height > 0 };
    });
    if (info.repeat) break;
    if (info.outside && ++outside) continue;
    stops++;
    const { result } = await cdp.send("Runtime.evaluate", { expression: "document.activeElement" });
    const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { objectId: result.objectId, fetchRelatives: false });
    const ax = nodes.find((n) => !n.ignored) ?? nodes[0];
    if (!info.rendered) problems.push(`${info.desc} is focusable but not visible`);
    if (!String(ax?.name?.value ?? "").trim()) problems.push(`${info.desc} has no accessible name`);
  }
  await cdp.detach();
  assert.ok(stops > 0, `${name}: nothing reachable with Tab`);
  assert.deepEqual(problems, [], name);
}

/** Visible French text holds no English message that French translates. */
async function assertNoEnglish(page, name) {
  const english = Object.keys(LOCALES.en)
    .filter((k) => LOCALES.en[k].message !== LOCALES.fr[k].message)
    .map((k) => ({ k, re: new RegExp(`^${msg(k, ["\u0001", "\u0001"]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replaceAll("\u0001", ".+")}$`) }));
  const shown = await page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (walker.currentNode.textContent.trim() && (el.closest("select") ?? el).checkVisibility()) out.push(walker.currentNode.textContent.trim());
    }
    for (const el of document.querySelectorAll("[aria-label], [placeholder]")) {
      if (el.checkVisibility()) for (const a of ["aria-label", "placeholder"]) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    return out;
  });
  const found = shown.flatMap((s) => english.filter((e) => e.re.test(s)).map((e) => `${e.k}: "${s}"`));
  assert.deepEqual(found, [], `${name}: English in the French popup`);
}

async function signInFields(page, { server, url, email = "alice@example.org", password = "right" } = {}) {
  if (server) await page.selectOption(tid("account-server"), server);
  if (url != null) await page.fill(tid("account-url"), url);
  await page.fill(tid("account-email"), email);
  await page.fill(tid("account-password"), password);
  await page.focus(tid("account-password"));
  await page.keyboard.press("Enter");
}

// ---- tests ----

test("first run: a server account with an authenticator code, the password kept only while the view is open", async () => {
  const page = await open({ state: "empty", twoFactor: [0] });
  await waitView(page, "create");
  await checkScreen(page, "create");
  await page.click(`${tid("account-open")}:visible`);
  await waitView(page, "account");
  assert.equal(await focused(page), "account-email");
  assert.equal(await text(page, "#account-title"), msg("accountTitle"));
  assert.equal(await page.isVisible(tid("account-url")), false);
  await checkScreen(page, "account");

  // Self-hosted: the address field, checked before anything is sent.
  await page.selectOption(tid("account-server"), "custom");
  assert.equal(await page.getAttribute(tid("account-url"), "placeholder"), msg("accountUrlPlaceholder"));
  await signInFields(page, { url: "http://vault.example.org", password: "wrong" });
  await waitText(page, tid("account-error"), msg("accountUrlHttp"));
  assert.equal(await focused(page), "account-url");
  assert.equal((await sent(page, "addAccount")).length, 0);

  // A wrong password: said, the field selected; busy meanwhile.
  await signInFields(page, { url: "vault.example.org/sub/", password: "wrong" });
  await page.waitForFunction(() => document.querySelector("#account-form").getAttribute("aria-busy") === "true");
  assert.equal(await text(page, tid("account-submit")), msg("accountSigningIn"));
  await waitText(page, tid("account-error"), msg("errAccountWrongPassword"));
  assert.equal(await focused(page), "account-password");
  assert.deepEqual((await sent(page, "addAccount"))[0], {
    type: "addAccount", server: "https://vault.example.org/sub", email: "alice@example.org", password: "wrong",
  });

  // Two-factor: the authenticator step, a refused code, then the right one, remembered.
  await signInFields(page, { url: "vault.example.org/sub/" });
  await page.waitForSelector(`${tid("account-code")}:visible`);
  assert.equal(await focused(page), "account-code");
  assert.equal(await text(page, "#account-code-label"), msg("accountCodeApp"));
  assert.equal(await page.isVisible(tid("account-resend")), false);
  assert.equal(await page.isVisible(tid("account-password")), false);
  await checkScreen(page, "account two-factor");
  await page.focus(tid("account-code"));
  await page.keyboard.type("12");
  await page.keyboard.press("Enter");
  await waitText(page, tid("account-error"), msg("accountCodeInvalid"));
  await page.fill(tid("account-code"), "654 321");
  await page.keyboard.press("Enter");
  await waitText(page, tid("account-error"), msg("errTwoFactorInvalid"));
  await page.fill(tid("account-code"), "123 456");
  await page.check(tid("account-remember"));
  await page.click(tid("account-submit"));
  await waitView(page, "vault");
  await waitText(page, tid("toast"), msg("accountSignedIn"));
  assert.deepEqual((await sent(page, "addAccount")).at(-1), {
    type: "addAccount", server: "https://vault.example.org/sub", email: "alice@example.org", password: "right",
    twoFactor: { provider: 0, token: "123456", remember: true },
  });
  // Nothing of the sign-in is left in the page.
  for (const id of ["account-password", "account-email", "account-code"]) assert.equal(await page.inputValue(tid(id)), "", id);
  await page.context().close();
});

test("two-factor by e-mail: a code asked for, sent again; both methods offered; unsupported ones", async () => {
  const page = await open({ state: "empty", twoFactor: [1] });
  await page.click(`${tid("account-open")}:visible`);
  await signInFields(page, { server: "https://vault.bitwarden.eu" });
  await page.waitForSelector(`${tid("account-code")}:visible`);
  assert.equal(await text(page, "#account-code-label"), msg("accountCodeEmail"));
  const creds = { type: "sendEmailCode", server: "https://vault.bitwarden.eu", email: "alice@example.org", password: "right" };
  assert.deepEqual(await sent(page, "sendEmailCode"), [creds]);
  await page.click(tid("account-resend"));
  await waitText(page, tid("toast"), msg("accountCodeSent", ["alice@example.org"]));
  assert.equal((await sent(page, "sendEmailCode")).length, 2);
  await page.fill(tid("account-code"), "123456");
  await page.keyboard.press("Enter");
  await waitView(page, "vault");
  assert.equal((await sent(page, "addAccount")).at(-1).twoFactor.provider, 1);
  await page.context().close();

  const both = await open({ state: "empty", twoFactor: [0, 1] });
  await both.click(`${tid("account-open")}:visible`);
  await signInFields(both, { email: "bob@example.org" });
  await both.waitForSelector(`${tid("account-code")}:visible`);
  assert.equal((await sent(both, "sendEmailCode")).length, 0, "no e-mail unless chosen");
  await both.check(tid("account-method-email"));
  assert.equal((await sent(both, "sendEmailCode")).length, 1);
  assert.equal(await both.isVisible(tid("account-resend")), true);
  // Back to step 1 keeps what was typed; leaving the view forgets it.
  await both.click(tid("account-restart"));
  assert.equal(await both.inputValue(tid("account-email")), "bob@example.org");
  assert.equal(await focused(both), "account-password");
  await both.keyboard.press("Escape");
  await waitView(both, "create");
  await both.click(`${tid("account-open")}:visible`);
  assert.equal(await both.inputValue(tid("account-email")), "");
  assert.equal(await both.inputValue(tid("account-password")), "");
  await both.context().close();

  const webauthn = await open({ state: "empty", twoFactor: [7] });
  await webauthn.click(`${tid("account-open")}:visible`);
  await signInFields(webauthn);
  await waitText(webauthn, tid("account-error"), msg("account2faUnsupported"));
  assert.equal(await webauthn.isVisible(tid("account-code")), false);
  await webauthn.context().close();
});

test("every sign-in error code has its own translated advice", async () => {
  const cases = {
    server_unreachable: "errAccountUnreachable",
    unknown_server: "errUnknownServer",
    tls: "errTls",
    account_locked: "errAccountLocked",
    server: "errServer",
    kdf_rejected: "errAccountKdfRejected",
    kdf_downgrade: "errAccountKdfDowngrade",
    key_rejected: "errKeyRejected",
  };
  for (const lang of ["en", "fr"]) {
    const page = await open({ state: "empty", lang, addDelay: 0 });
    await page.click(`${tid("account-open")}:visible`);
    for (const [code, key] of Object.entries(cases)) {
      await page.evaluate(async (c) => {
        // Re-stage the stub's answer without reloading.
        const orig = window.chrome.runtime.sendMessage;
        window.chrome.runtime.sendMessage = async (m) =>
          m.type === "addAccount" ? { ok: false, error: { code: c, message: c } } : orig(m);
      }, code);
      await signInFields(page);
      await waitText(page, tid("account-error"), msg(key, [], lang));
    }
    if (lang === "fr") await assertNoEnglish(page, "account errors (fr)");
    await page.context().close();
  }
  // Outside the sign-in, the offline copy is mentioned.
  assert.match(msg("errServerUnreachable"), /offline copy still works/);
});

test("a local vault moves to an account from Settings; the toast counts the items moved", async () => {
  const page = await open({ state: "unlocked", moved: 7 });
  await waitView(page, "vault");
  await page.click(tid("settings"));
  await waitView(page, "settings");
  await page.waitForSelector("#move-section:not([hidden])");
  assert.equal(await page.isVisible(tid("account-section")), false);
  await checkScreen(page, "settings (local vault)");
  await page.click(`${tid("account-open")}:visible`);
  await waitView(page, "account");
  assert.equal(await text(page, "#account-title"), msg("accountMoveTitle"));
  assert.equal(await text(page, "#account-intro"), msg("accountMoveIntro"));
  assert.equal(await text(page, tid("account-submit")), msg("accountMoveSubmit"));
  await signInFields(page);
  await waitView(page, "vault");
  await waitText(page, tid("toast"), msg("accountSignedInMovedMany", ["7"]));
  await page.click(tid("settings"));
  await page.waitForSelector(`${tid("account-section")}:not([hidden])`);
  assert.equal(await page.isVisible("#move-section"), false);
  await page.context().close();
});

const ACCOUNT = {
  server: "https://vault.bitwarden.eu",
  email: "alice@example.org",
  lastSync: NOW - 5 * MIN,
  pending: 2,
  syncing: false,
  lastError: { code: "server_unreachable", message: "offline" },
  keptBoth: [],
};

for (const lang of ["en", "fr"]) {
  test(`settings with an account (${lang}): last sync, changes waiting, error, sync now, log out`, async () => {
    const page = await open({ state: "unlocked", lang, account: ACCOUNT });
    await waitView(page, "vault");
    await page.click(tid("settings"));
    await page.waitForSelector(`${tid("account-section")}:not([hidden])`);
    assert.equal(await page.isVisible("#move-section"), false);
    assert.equal(await text(page, "#account-server-name"), msg("serverBitwardenEu", [], lang));
    assert.equal(await text(page, "#account-email-shown"), "alice@example.org");
    const ago = new Intl.RelativeTimeFormat(lang === "fr" ? "fr-FR" : "en-US", { numeric: "auto" }).format(-5, "minute");
    assert.equal(await text(page, tid("last-sync")), msg("lastSync", [ago], lang));
    assert.equal(await text(page, tid("pending")), msg("pendingMany", ["2"], lang));
    assert.equal(await text(page, tid("sync-error")), msg("errServerUnreachable", [], lang));
    await checkScreen(page, `settings account (${lang})`);
    if (lang === "fr") await assertNoEnglish(page, "settings account (fr)");

    // Sync now, from the keyboard: busy, focus kept, then up to date.
    await page.focus(tid("sync-now"));
    await page.keyboard.press("Enter");
    await waitText(page, tid("last-sync"), msg("syncing", [], lang));
    assert.equal(await page.getAttribute(tid("sync-now"), "aria-busy"), "true");
    assert.equal(await focused(page), "sync-now");
    const now = new Intl.RelativeTimeFormat(lang === "fr" ? "fr-FR" : "en-US", { numeric: "auto" }).format(0, "second");
    await waitText(page, tid("last-sync"), msg("lastSync", [now], lang));
    assert.equal(await page.isVisible(tid("pending")), false);
    assert.equal(await text(page, tid("sync-error")), "");
    assert.equal((await sent(page, "syncNow")).length, 1);

    // Log out: confirmation first (Cancel focused, Escape cancels), then the create screen.
    await page.click(tid("log-out"));
    await page.waitForSelector("#dialog[open]");
    assert.equal(await text(page, "#dialog-detail"), msg("logOutDetail", [], lang));
    assert.equal(await focused(page), "confirm-cancel");
    await page.keyboard.press("Escape");
    assert.equal((await sent(page, "logOut")).length, 0);
    await page.click(tid("log-out"));
    await page.click(tid("confirm-log-out"));
    await waitView(page, "create");
    assert.equal((await sent(page, "logOut")).length, 1);
    await page.context().close();
  });
}

test("log out warns about changes not sent; a failed sync shows its error", async () => {
  const page = await open({ state: "unlocked", account: { ...ACCOUNT, pending: 1, lastError: null }, syncError: "tls" });
  await page.click(tid("settings"));
  await page.waitForSelector(`${tid("account-section")}:not([hidden])`);
  assert.equal(await text(page, tid("pending")), msg("pendingOne", ["1"]));
  await page.click(tid("sync-now"));
  await waitText(page, tid("sync-error"), msg("errTls"));
  await page.click(tid("log-out"));
  await page.waitForSelector("#dialog[open]");
  assert.equal(await text(page, "#dialog-detail"), `${msg("logOutDetail")} ${msg("logOutPendingOne", ["1"])}`);
  await page.keyboard.press("Escape");
  await page.context().close();
});

const UNSYNCED = [
  { key: "e1", op: "saveCipher", itemId: "a", name: "GitHub", error: { code: "server", message: "the answer was a web page" }, attempts: 1, retryAt: NOW + MIN },
  { key: "e2", op: "trash", itemId: "b", name: "Bank", error: { code: "not_found", message: "item missing from the server" }, attempts: 2, retryAt: null },
  { key: "e3", op: "partial", itemId: "a", name: "GitHub", error: null, attempts: 0, retryAt: null },
  // Not sent yet (offline), behind no refused edit: waiting, not "not synced".
  { key: "e4", op: "saveCipher", itemId: "c", name: "Mail", error: null, attempts: 0, retryAt: null },
];

for (const lang of ["en", "fr"]) {
  test(`vault (${lang}): changes not synced with Retry / Keep local copy / Discard; kept copies until resolved`, async () => {
    const account = { ...ACCOUNT, pending: 4, unsynced: UNSYNCED, keptBoth: [{ id: "k1", name: "GitHub (conflict)" }] };
    const page = await open({ state: "unlocked", lang, account });
    await page.waitForSelector(`${tid("unsynced")}:visible`);
    assert.equal(await page.isVisible(tid("offline")), true);
    assert.equal(await text(page, tid("unsynced-title")), msg("unsyncedMany", ["3"], lang));
    const rows = page.locator(tid("unsynced-edit"));
    assert.equal(await rows.count(), 3);
    assert.equal(await rows.nth(0).locator("p").first().textContent(), `GitHub — ${msg("unsyncedOpSave", [], lang)}`);
    assert.equal(await text(page, `${tid("unsynced-edit")}:nth-child(1) ${tid("unsynced-reason")}`), "the answer was a web page");
    assert.equal(await text(page, `${tid("unsynced-edit")}:nth-child(3) ${tid("unsynced-reason")}`), msg("unsyncedWaiting", [], lang));
    // Keep local copy is for a changed item only; an edit waiting behind another can only go.
    assert.equal(await rows.nth(0).locator(tid("unsynced-keep")).count(), 1);
    assert.equal(await rows.nth(1).locator(tid("unsynced-keep")).count(), 0);
    assert.equal(await rows.nth(2).locator(tid("unsynced-retry")).count(), 0);
    assert.equal(await page.isVisible(tid("kept-both")), true);
    assert.equal(await text(page, "#kept-both-text"), msg("keptBoth", [], lang));
    assert.equal(await text(page, `${tid("kept-both-copy")} strong`), "GitHub (conflict)");
    await checkScreen(page, `vault with notices (${lang})`);
    if (lang === "fr") await assertNoEnglish(page, "vault with notices (fr)");

    // Retry: sent with the key; the list follows the answer (the edit that waited behind it
    // is now only waiting for the next sync).
    await rows.nth(0).locator(tid("unsynced-retry")).click();
    await waitText(page, tid("unsynced-title"), msg("unsyncedOne", ["1"], lang));
    assert.deepEqual((await sent(page, "retryEdit")).map((m) => m.key), ["e1"]);
    // Discard asks first; Escape keeps the edit.
    await page.locator(`${tid("unsynced-edit")}:nth-child(1) ${tid("unsynced-discard")}`).click();
    await page.waitForSelector("#dialog[open]");
    assert.equal(await text(page, "#dialog-text"), msg("unsyncedDiscardAsk", ["Bank"], lang));
    assert.equal(await text(page, "#dialog-detail"), msg("unsyncedDiscardDetail", [], lang));
    assert.equal(await focused(page), "confirm-cancel");
    await page.keyboard.press("Escape");
    assert.equal((await sent(page, "discardEdit")).length, 0);
    await page.locator(`${tid("unsynced-edit")}:nth-child(1) ${tid("unsynced-discard")}`).click();
    await page.click(tid("confirm-discard"));
    await page.waitForSelector(tid("unsynced"), { state: "hidden" });
    assert.deepEqual((await sent(page, "discardEdit")).map((m) => m.key), ["e2"]);

    // A kept copy: opened to compare, then resolved, it leaves the list.
    await page.click(tid("kept-both-open"));
    await waitView(page, "item");
    assert.deepEqual((await sent(page, "item")).map((m) => m.id), ["k1"]);
    await page.click('[data-view="item"] [data-action="back"]');
    await waitView(page, "vault");
    await page.click(tid("kept-both-resolve"));
    await page.waitForSelector(tid("kept-both"), { state: "hidden" });
    assert.deepEqual((await sent(page, "resolveKeptBoth")).map((m) => m.id), ["k1"]);
    await page.context().close();
  });
}

test("vault: offline indicator; no notices when nothing waits; unlock shows the account", async () => {
  const quiet = await open({ state: "unlocked", account: { ...ACCOUNT, lastError: null } });
  await waitView(quiet, "vault");
  await quiet.waitForFunction(() => window.__sent.some((m) => m.type === "status") && window.__sent.length > 3);
  assert.equal(await quiet.isVisible(tid("offline")), false);
  assert.equal(await quiet.isVisible(tid("kept-both")), false);
  await quiet.context().close();

  const locked = await open({ state: "locked", lang: "fr", account: { ...ACCOUNT, server: "https://alice.mycozy.cloud/bitwarden" } });
  await waitView(locked, "unlock");
  assert.equal(await text(locked, tid("unlock-account")), msg("unlockAccount", ["alice@example.org", "alice.mycozy.cloud/bitwarden"], "fr"));
  await locked.context().close();

  const local = await open({ state: "locked" });
  await waitView(local, "unlock");
  assert.equal(await local.isVisible(tid("unlock-account")), false);
  await local.context().close();
});

test("the popup logged no error", () => {
  assert.deepEqual(errors, []);
});
