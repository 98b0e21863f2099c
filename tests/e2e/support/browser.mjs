// Launches Debian's Chromium with the built extension through playwright-core, headless, kept
// off the network, with every host name resolved to the local fixture servers. Tests load the
// test build (dist-test/: the shipped build plus the worker's test hooks); the demo loads dist/.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DIST = join(ROOT, "dist");
// KEYFILL_DIST runs the browser tests against another build (an older one, to see a test fail).
export const DIST_TEST = process.env.KEYFILL_DIST ?? join(ROOT, "dist-test");
export const CHROMIUM = process.env.KEYFILL_CHROMIUM ?? "/usr/bin/chromium";

export const BROWSER_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--host-resolver-rules=MAP * 127.0.0.1",
  "--ignore-certificate-errors",
];

/**
 * Starts Chromium with the extension. Returns {context, worker, extensionId, popup, api, tabIdOf,
 * restartWorker, close}. `api(type, fields)` sends a privileged message from an extension page.
 * `dist`: the build to load (`gesture` needs the test build's hooks). `profile`: a profile
 * directory to reuse (a browser restart); the caller then removes it, `close` does not.
 */
export async function launch({ headless = true, extraArgs = [], dist = DIST_TEST, profile: reuse } = {}) {
  if (!existsSync(join(dist, "manifest.json"))) {
    throw new Error(`${dist} is missing: run \`bash scripts/build.sh\``);
  }
  const profile = reuse ?? mkdtempSync(join(tmpdir(), "keyfill-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args: [...BROWSER_FLAGS, `--disable-extensions-except=${dist}`, `--load-extension=${dist}`, ...extraArgs],
    viewport: { width: 1100, height: 800 },
  });
  let worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker", { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  const popupUrl = `chrome-extension://${extensionId}/extension/popup/popup.html`;
  const popup = await context.newPage();
  await popup.goto(popupUrl);

  const api = async (type, fields = {}) =>
    popup.evaluate(([t, f]) => chrome.runtime.sendMessage({ type: t, ...f }), [type, fields]);

  const tabIdOf = async (page) => {
    const url = page.url();
    const id = await currentWorker().evaluate(async (u) => {
      const tabs = await chrome.tabs.query({});
      return tabs.find((t) => t.url === u)?.id ?? null;
    }, url);
    if (id === null) throw new Error(`no tab for ${url}`);
    return id;
  };

  const currentWorker = () => context.serviceWorkers().find((w) => w.url().includes(extensionId)) ?? worker;

  /** Stops the service worker the way Chrome does when idle, then wakes it with a message. */
  const restartWorker = async () => {
    await currentWorker().evaluate(() => (self.keyfillBeforeRestart = true));
    const cdp = await context.newCDPSession(popup);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await cdp.detach();
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const reply = await api("status").catch(() => null);
      if (!reply) continue;
      const live = context.serviceWorkers().filter((w) => w.url().includes(extensionId));
      for (const w of live.reverse()) {
        const fresh = await w.evaluate(() => self.keyfillBeforeRestart === undefined).catch(() => null);
        if (fresh === false) throw new Error("the service worker was not stopped");
        if (fresh) {
          worker = w;
          return w;
        }
      }
    }
    throw new Error("the service worker did not come back");
  };

  /** Runs the keyboard-shortcut path for a tab (headless Chromium cannot press browser shortcuts). */
  const gesture = async (page, trigger = "shortcut") => {
    const tabId = await tabIdOf(page);
    return currentWorker().evaluate(
      async ([id, t]) => self.keyfillGesture(await chrome.tabs.get(id), t),
      [tabId, trigger],
    );
  };

  const close = async () => {
    await context.close().catch(() => {});
    if (!reuse) rmSync(profile, { recursive: true, force: true });
  };

  return { profile, context, get worker() { return currentWorker(); }, extensionId, popup, popupUrl, api, tabIdOf, restartWorker, gesture, close };
}

/** Creates the vault (a low PBKDF2 count is not offered: tests use the real default) and items. */
export async function seedVault(browser, password, items) {
  const created = await browser.api("createVault", { password, kdf: "pbkdf2" });
  if (!created.ok) throw new Error(`createVault: ${JSON.stringify(created.error)}`);
  const ids = {};
  for (const [key, item] of Object.entries(items)) {
    const out = await browser.api("saveItem", { item });
    if (!out.ok) throw new Error(`saveItem ${key}: ${JSON.stringify(out.error)}`);
    ids[key] = out.id;
  }
  return ids;
}

export const login = (name, username, password, uris, extra = {}) => ({
  type: 1,
  name,
  login: { username, password, uris: uris.map((uri) => ({ uri, match: null })), ...(extra.login ?? {}) },
  ...extra.item,
});
