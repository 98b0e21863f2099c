// Background service worker: loads the wasm core once; every listener is registered here, at top
// level, and every handler awaits one `ready` promise (wasm loaded, vault restored after a
// restart). MV3: static import of the wasm-bindgen --target web output.
import { ready as coreReady } from "./core.js";
import { fillNext } from "./fill.js";
import { fillWallet, TYPE_CARD, TYPE_IDENTITY } from "./wallet.js";
import * as savePrompt from "./save-prompt.js";
import { route, privilegeOf } from "./router.js";
import { connectMenuPort } from "./inline-menu.js";
import { loadSettings } from "./storage.js";
import { syncContentScript } from "./injection.js";
import * as vault from "./vault.js";
import * as account from "./account.js";
import * as clipboard from "./clipboard.js";

// The content script's registration follows the opt-out list (kept across browser sessions).
const injected = loadSettings()
  .then((s) => syncContentScript(s.optOutSites))
  .catch(() => {});
export const ready = Promise.all([coreReady.then(() => vault.restore()), injected]);

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  route(msg, sender, ready).then(sendResponse);
  return true;
});

// The inline menu's page opens a port named by its token (keys typed in the field reach it
// there); no other sender may connect.
chrome.runtime.onConnect.addListener((port) => {
  if (privilegeOf(port.sender ?? {}) !== "menu") return port.disconnect();
  ready.then(() => connectMenuPort(port));
});

/** The keyboard shortcut and the context menu: fill the next match for the tab (`what`: a
 * login, or from the context menu a card or an identity); exported for the test build, whose
 * hooks drive it. */
export async function fillFromGesture(tab, trigger, what = "login") {
  await ready;
  if (!tab?.id || !vault.isUnlocked()) {
    await chrome.action.setBadgeText({ text: vault.isUnlocked() ? "" : "!", tabId: tab?.id });
    return { status: "refused", reason: "locked" };
  }
  const fill =
    what === "card" ? fillWallet(tab, TYPE_CARD, trigger) : what === "identity" ? fillWallet(tab, TYPE_IDENTITY, trigger) : fillNext(tab, trigger);
  const out = await fill.catch((e) => ({ status: "refused", reason: e.code ?? "error" }));
  await chrome.action.setBadgeText({ text: out.status === "filled" ? "" : "!", tabId: tab.id });
  return out;
}

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "fill-login") fillFromGesture(tab, "shortcut");
});

const MENU = { "fill-login": "login", "fill-card": "card", "fill-identity": "identity" };

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (Object.hasOwn(MENU, info.menuItemId)) fillFromGesture(tab, "contextMenu", MENU[info.menuItemId]);
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.removeAll(() => {
    const entry = (id, key) => chrome.contextMenus.create({ id, title: chrome.i18n.getMessage(key), contexts: ["editable"] });
    entry("fill-login", "contextMenuFill");
    entry("fill-card", "contextMenuFillCard");
    entry("fill-identity", "contextMenuFillIdentity");
  });
});

// Fill on page load (off by default): the top frame only, once it has loaded; the planner applies
// the page-load restrictions (HTTPS, visible empty fields, no TOTP, no re-prompt items). The save
// prompt of a submit shows again on the page the tab loads next.
chrome.webNavigation.onCompleted.addListener(async (details) => {
  if (details.frameId !== 0) return;
  await ready;
  savePrompt.onPageLoaded(details.tabId);
  if (!vault.isUnlocked() || !(await loadSettings()).fillOnPageLoad) return;
  const tab = await chrome.tabs.get(details.tabId).catch(() => null);
  if (tab?.url === details.url) await fillNext(tab, "pageLoad").catch(() => null);
});

chrome.tabs.onRemoved.addListener((tabId) => savePrompt.forgetTab(tabId));

// The screen locking locks the vault too.
chrome.idle.onStateChanged.addListener((state) => {
  if (state === "locked") ready.then(() => vault.lock());
});

// Both storage areas stay closed to content scripts: session holds the resume token, and local
// (open to them by default) the ciphertext, the KDF settings and the account's e-mail.
for (const area of [chrome.storage.session, chrome.storage.local]) {
  area.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});
}

chrome.alarms.onAlarm.addListener((alarm) =>
  ready.then(() => Promise.all([vault.onAlarm(alarm), account.onAlarm(alarm), clipboard.onAlarm(alarm)])),
);
