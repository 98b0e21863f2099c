// Shared set-up for the autofill scenario tests (autofill_*.test.mjs): one Chromium with the
// built extension, one vault seeded once, one tab reused for every page, and the observations
// every test makes: which fields of which frame hold a value the page did not put there, what
// the site received on submit, and whether the page saw anything at all (for refusals).
import assert from "node:assert/strict";
import { launch, seedVault, login } from "./browser.mjs";
import { startSites } from "./site-server.mjs";

export const MASTER = "Kf-scenarios-master-5521";
export const BANK = { user: "alice@bank.test", pass: "Bank-pw-e2e-41773!" };
export const MEMBER = { user: "20481024", pass: "Mbr-pw-2718" }; // login/constraints.html: 8 digits, 6–12 chars
export const MFA = { user: "mfa-user@mfa.test", pass: "Mfa-pw-e2e-6620", totp: "JBSWY3DPEHPK3PXP" };
export const VICTIM = { user: "victim-user", pass: "Victim-pw-e2e-3141" };
export const EXAMPLE = { user: "bob@example.com", pass: "Example-pw-e2e-1618" };
export const CYCLE_A = { user: "first@cycle.test", pass: "Cycle-A-pw-e2e-1111" };
export const CYCLE_B = { user: "second@cycle.test", pass: "Cycle-B-pw-e2e-2222" };

export const ITEMS = {
  bank: login("Bank of Tests", BANK.user, BANK.pass, ["https://bank.test"]),
  member: login("Member club", MEMBER.user, MEMBER.pass, ["https://member.test"]),
  mfa: login("MFA site", MFA.user, MFA.pass, ["https://mfa.test"], { login: { totp: MFA.totp } }),
  victim: login("Victim on GitHub Pages", VICTIM.user, VICTIM.pass, ["https://victim.github.io"]),
  example: login("Example", EXAMPLE.user, EXAMPLE.pass, ["https://example.com"]),
  cycleA: login("Cycle A", CYCLE_A.user, CYCLE_A.pass, ["https://cycle.test"]),
  cycleB: login("Cycle B", CYCLE_B.user, CYCLE_B.pass, ["https://cycle.test"]),
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Page world, every frame, before the page's scripts: remember every shadow root (closed ones
// included) so the tests can read fields the page keeps in a closed root. The content script
// runs in its own world and never sees this.
function instrument() {
  const roots = new WeakMap();
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.set(this, root);
    return root;
  };
  const open = Object.getOwnPropertyDescriptor(Element.prototype, "shadowRoot").get;
  Object.defineProperty(window, "__kfShadow", { value: (el) => roots.get(el) ?? open.call(el) ?? null });
}

// Page world: every input, select and textarea of the frame, through every shadow root. Only
// prototype methods: a hostile page clobbers `form.matches`, `document.querySelector`…
function readFields() {
  const E = Element.prototype;
  const all = (root) =>
    root instanceof Document ? Document.prototype.querySelectorAll.call(root, "*") : DocumentFragment.prototype.querySelectorAll.call(root, "*");
  const out = [];
  const visit = (root) => {
    for (const el of all(root)) {
      if (E.matches.call(el, "input, select, textarea")) {
        const key = E.getAttribute.call(el, "name") || E.getAttribute.call(el, "id") || el.localName;
        let dflt;
        if (el.localName === "select") dflt = [...el.options].find((o) => o.defaultSelected)?.value ?? el.options[0]?.value ?? "";
        else dflt = el.defaultValue;
        out.push({ key, value: el.value, dflt, type: el.type });
      }
      const sr = window.__kfShadow ? window.__kfShadow(el) : el.shadowRoot;
      if (sr) visit(sr);
    }
  };
  visit(document);
  return out;
}

// Page world: record whatever the page could notice (events, DOM changes, messages).
function watchPage() {
  const seen = (window.__kfSeen = []);
  for (const t of ["focus", "focusin", "focusout", "blur", "keydown", "keyup", "beforeinput", "input", "change",
    "click", "select", "message", "invalid"]) {
    window.addEventListener(t, (e) => seen.push(`${t}:${e.target?.name || e.target?.localName || "window"}`), true);
  }
  new MutationObserver((ms) => ms.forEach((m) => seen.push(`mutation:${m.type}:${m.attributeName ?? ""}`)))
    .observe(document.documentElement, { attributes: true, childList: true, subtree: true, characterData: true });
}

export class Scenarios {
  /** `items`: what the vault holds (the login scenarios' items by default). */
  static async start(items = ITEMS) {
    const s = new Scenarios();
    s.sites = await startSites();
    s.b = await launch();
    s.ids = await seedVault(s.b, MASTER, items);
    s.page = await s.b.context.newPage();
    await s.page.addInitScript(instrument);
    await s.page.goto(s.sites.url("bank.test", "/"));
    s.tabId = await s.b.tabIdOf(s.page);
    return s;
  }

  async close() {
    await this.b?.close();
    await this.sites?.close();
  }

  /** Loads a page in the test tab, waits for the content script in every frame, clears the
   * recorded submissions and takes the baseline every later `filled()` compares with.
   * `script: false`: a site where nothing may be injected (opt-out); the content script's
   * absence is checked instead of awaited. */
  async open(host, path, { http = false, script = true } = {}) {
    await this.page.goto(this.sites.url(host, path, { http }));
    await this.settle({ script });
    this.sites.reset();
    return this.page;
  }

  /** After a navigation the test did not make with `open`: wait for every frame's content
   * script (it answers any unknown message), then retake the baseline. */
  async settle({ script = true } = {}) {
    await this.page.waitForLoadState("load");
    if (script) await this.ready();
    else await this.noScript();
    this.baseline = await this.snapshot();
  }

  /** Per frame of the tab: whether a content script answers (any unknown message gets an
   * `unknown_message` reply). */
  async pingFrames() {
    return this.b.worker
      .evaluate(async (tabId) => {
        const frames = (await chrome.webNavigation.getAllFrames({ tabId })) ?? [];
        return Promise.all(
          frames.map((f) =>
            chrome.tabs.sendMessage(tabId, { type: "kf-test-ping" }, { frameId: f.frameId }).then(
              (r) => r?.error?.code === "unknown_message",
              () => false,
            ),
          ),
        );
      }, this.tabId)
      .catch(() => []);
  }

  async ready() {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answers = await this.pingFrames();
      if (answers.length > 0 && answers.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`the content script did not answer in ${this.page.url()}`);
      await sleep(25);
    }
  }

  /** No frame has a content script, for a while after the page loaded (document_idle). */
  async noScript() {
    for (let i = 0; i < 6; i++) {
      const answers = await this.pingFrames();
      assert.ok(answers.length > 0, "the tab has frames");
      assert.ok(!answers.some(Boolean), `a content script was injected into ${this.page.url()}`);
      await sleep(50);
    }
  }

  /** `host/path` of a sub-frame ("" for the top frame): the prefix of its fields' keys. */
  frameLabel(frame) {
    if (frame === this.page.mainFrame()) return "";
    try {
      const u = new URL(frame.url());
      return `${u.hostname}${u.pathname} > `;
    } catch {
      return `${frame.url()} > `;
    }
  }

  /** Every field of every frame: key → {value, dflt}. Keys are the field's name (or id), after
   * the frame's label for sub-frames, with `#n` for the n-th repeat. */
  async snapshot() {
    const all = new Map();
    for (const frame of this.page.frames()) {
      // Keyfill's own save prompt (an extension page framed in the tab) is not the page's.
      if (frame.isDetached() || frame.url().startsWith("chrome-extension:")) continue;
      const fields = await frame.evaluate(readFields).catch((e) => {
        if (frame.isDetached()) return [];
        throw e;
      });
      const label = this.frameLabel(frame);
      for (const f of fields) {
        let key = label + f.key;
        for (let n = 2; all.has(key); n++) key = `${label}${f.key}#${n}`;
        all.set(key, f);
      }
    }
    return all;
  }

  /** The fields holding something the page did not put there: changed since `open` (or
   * `settle`), or, for fields created since, different from their default value. */
  async filled() {
    const now = await this.snapshot();
    const out = {};
    for (const [key, f] of now) {
      const before = this.baseline?.get(key);
      const changed = before ? f.value !== before.value : f.value !== f.dflt;
      if (changed) out[key] = f.value;
    }
    return out;
  }

  async expectFilled(expected, message) {
    assert.deepEqual(await this.filled(), expected, message);
  }

  /** Submits like the user would and returns the one request the site received. `how`:
   * `{click: selector, frame?: path of the sub-frame, fetch?: true when the page posts by script
   * and stays}` or `{run: (page) => …, frame?, fetch?}`. A form post navigates its frame: that
   * navigation is awaited, so the next `open` is not interrupted by it. */
  async submit(how) {
    const frame = how.frame ? frameAt(this.page, how.frame) : this.page.mainFrame();
    const before = frame.url();
    const n = this.sites.submissions.length;
    if (how.click) await frame.click(how.click, { noWaitAfter: true });
    else await how.run(this.page);
    const deadline = Date.now() + 5000;
    while (this.sites.submissions.length === n) {
      if (Date.now() > deadline) throw new Error("the site received nothing");
      await sleep(10);
    }
    if (!how.fetch) await frame.waitForURL((u) => u.href !== before, { waitUntil: "load", timeout: 5000 });
    else await sleep(30); // a second request would show up by now
    assert.equal(this.sites.submissions.length, n + 1, "exactly one request reached the site");
    return this.sites.submissions[n];
  }

  /** Popup fill (privileged `fill` message) into the test tab. `extra`: `{confirmation}` (the
   * id a `confirm` answer carried) or `{grant}` (a reprompt grant). */
  async fill(id, extra = {}) {
    const out = await this.b.api("fill", { id, tabId: this.tabId, ...extra });
    assert.ok(out.ok, `fill failed: ${JSON.stringify(out)}`);
    delete out.ok;
    return out;
  }

  /** The keyboard-shortcut (or context-menu) path for the test tab; `what`: login, or from the
   * context menu card or identity. */
  async gesture(trigger = "shortcut", what = "login") {
    return this.b.worker.evaluate(
      async ([id, t, w]) => self.keyfillGesture(await chrome.tabs.get(id), t, w),
      [this.tabId, trigger, what],
    );
  }

  async api(type, fields) {
    return this.b.api(type, fields);
  }

  /** Starts recording, in every frame, whatever the page could notice. */
  async watch() {
    for (const frame of this.page.frames()) await frame.evaluate(watchPage);
  }

  /** What the page noticed since `watch()`, per frame (empty frames left out). */
  async seen() {
    const out = {};
    for (const frame of this.page.frames()) {
      const seen = await frame.evaluate(() => window.__kfSeen ?? null).catch(() => null);
      if (seen?.length) out[this.frameLabel(frame) || "top"] = seen;
    }
    return out;
  }

  /** A refusal or a confirmation request: its status and reason, nothing filled, nothing sent,
   * nothing the page could notice. */
  async expectNothing(out, status, reason, what = "") {
    assert.equal(out.status, status, `${what} ${JSON.stringify(out)}`);
    assert.equal(out.reason, reason, `${what} ${JSON.stringify(out)}`);
    await this.expectFilled({}, `${what}: nothing may be filled`);
    assert.deepEqual(this.sites.submissions, [], `${what}: nothing may reach the site`);
  }

  /** The TOTP code of an item before and after `act`: the filled code must be one of them. */
  async totpAround(id, act) {
    const before = await this.b.api("totp", { id });
    const result = await act();
    const after = await this.b.api("totp", { id });
    assert.ok(before.ok && after.ok, "totp");
    return { result, codes: new Set([before.code, after.code]) };
  }

  /** Holds the worker's `fill` message to the page until `between()` has run (a page that
   * changes under the fill). Returns the fill's result. */
  async fillWithHook(id, between, extra = {}) {
    await this.b.worker.evaluate(() => {
      const original = chrome.tabs.sendMessage;
      const hold = (self.__kfHold = { seen: false, release: null, original });
      chrome.tabs.sendMessage = function (tabId, msg, opts) {
        if (msg && msg.type === "fill") {
          hold.seen = true;
          return new Promise((r) => (hold.release = r)).then(() => original.call(chrome.tabs, tabId, msg, opts));
        }
        return original.call(chrome.tabs, tabId, msg, opts);
      };
    });
    try {
      const pending = this.fill(id, extra);
      const deadline = Date.now() + 5000;
      while (!(await this.b.worker.evaluate(() => self.__kfHold.seen))) {
        if (Date.now() > deadline) throw new Error("the worker never tried to fill");
        await sleep(10);
      }
      await between();
      await this.b.worker.evaluate(() => self.__kfHold.release());
      return await pending;
    } finally {
      await this.b.worker.evaluate(() => {
        chrome.tabs.sendMessage = self.__kfHold.original;
        delete self.__kfHold;
      });
    }
  }
}

/** The frame of the test tab whose URL path ends with `path`. */
export function frameAt(page, path) {
  const f = page.frames().find((fr) => fr !== page.mainFrame() && new URL(fr.url()).pathname.endsWith(path));
  if (!f) throw new Error(`no frame at ${path}`);
  return f;
}
