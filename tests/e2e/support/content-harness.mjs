// The content script in real Chromium without the extension: a fake `chrome` object (installed
// before any page script) captures the message listener and the pageDetails it sends; the script
// is added to the page and driven with `collect` and `fill` messages, against the fixture sites.
// One browser per test file (the hooks are registered by importing this module).
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startSites } from "./site-server.mjs";
import { BROWSER_FLAGS, CHROMIUM, DIST_TEST } from "./browser.mjs";

// The bundle the build writes (the sources are modules; the extension injects this one file).
const SCRIPT = join(DIST_TEST, "extension", "content", "content.js");
export const SOURCE = readFileSync(SCRIPT, "utf8");
export const EXT_ID = "kf-test-extension";

export let browser;
export let sites;

before(async () => {
  sites = await startSites();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_FLAGS });
});

after(async () => {
  await browser?.close();
  await sites?.close();
});

// Runs in every frame before the page's own scripts. It stands in for the extension APIs the
// content script uses; `chrome.dom.openOrClosedShadowRoot` is emulated by remembering every
// shadow root attachShadow creates. Long tasks are recorded for the performance test.
function fakeChrome(extId) {
  const roots = new WeakMap();
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const r = attach.call(this, init);
    roots.set(this, r);
    return r;
  };
  const t = { listeners: [], sent: [], longTasks: [] };
  Object.defineProperty(window, "__kfTest", { value: t });
  try {
    new PerformanceObserver((list) => t.longTasks.push(...list.getEntries().map((e) => e.startTime))).observe({
      type: "longtask",
      buffered: true,
    });
  } catch {}
  const chrome = {
    runtime: {
      id: extId,
      onMessage: { addListener: (fn) => t.listeners.push(fn) },
      sendMessage(m) {
        t.sent.push(m);
        return Promise.resolve({ ok: true });
      },
    },
    dom: { openOrClosedShadowRoot: (el) => el.shadowRoot || roots.get(el) || null },
  };
  window.chrome = chrome; // Chromium's own `chrome` (loadTimes, csi) is writable, not configurable
}

export async function openPage(path, { host = "bank.test", http = false } = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 900 } });
  await context.addInitScript(fakeChrome, EXT_ID);
  const page = await context.newPage();
  await page.goto(sites.url(host, path, { http }));
  return page;
}

export const inject = (frame) => frame.addScriptTag({ path: SCRIPT });

// Sends a message to the content script's listener in `frame`; returns {reply, sent}.
export function send(frame, msg) {
  return frame.evaluate(
    ({ msg, extId }) =>
      new Promise((resolve) => {
        const t = window.__kfTest;
        const from = t.sent.length;
        if (t.listeners.length !== 1) throw new Error(`${t.listeners.length} listeners`);
        t.listeners[0](msg, { id: extId }, (reply) => resolve({ reply, sent: t.sent.slice(from) }));
      }),
    { msg, extId: EXT_ID },
  );
}

export async function collect(frame) {
  const { reply, sent } = await send(frame, { type: "collect", token: "tok-1" });
  assert.deepEqual(reply, { ok: true });
  assert.equal(sent.length, 1);
  assert.equal(sent[0].type, "pageDetails");
  assert.equal(sent[0].token, "tok-1");
  return withDefaults(sent[0].details);
}

// The content script leaves out each field key that holds the core's default
// (docs/extension.md "Page details"): the tests read every field written out in full.
const FIELD_DEFAULTS = {
  form: null, section: null, name: "", htmlId: "", autocomplete: "", placeholder: "", label: "", ariaLabel: "", title: "",
  className: "", maxLength: null, minLength: null, pattern: "", inputMode: "", hasValue: false, visible: false,
  disabled: false, readOnly: false, shadow: "none", focused: false, options: [],
};
export const withDefaults = (details) => ({ ...details, fields: details.fields.map((f) => ({ ...FIELD_DEFAULTS, ...f })) });

export async function fill(frame, origin, actions) {
  return (await send(frame, { type: "fill", origin, actions })).reply;
}

export const byName = (details, name) => details.fields.find((f) => f.name === name);
export const origin = (host = "bank.test") => new URL(sites.url(host, "/")).origin;
export const values = (frame, sel = "input,select,textarea") =>
  frame.$$eval(sel, (els) => Object.fromEntries(els.map((e) => [e.name || e.id, e.value])));

// Waits for the server to have received a POST at `path` from `host`.
export async function submission(host, path = "/submit") {
  for (let i = 0; i < 100; i++) {
    const s = sites.submissions.find((x) => x.host === host && x.path === path);
    if (s) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no submission to ${host}${path}`);
}

