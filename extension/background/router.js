// The message router. A sender's privilege is decided once, from what the browser reports:
// extension pages (our own origin) are privileged; content scripts (a web page's tab) may only
// send `pageDetails`, `submitted` and the inline menu's three, about their own frame; the save
// prompt's page and the inline menu's page, framed in a tab, only their own few messages, bound
// to that tab by a one-time token. Every reply is {ok: true, ...} or {ok: false, error}.
import { generatePassword, passwordStrength } from "./core.js";
import { fillTab, receivePageDetails } from "./fill.js";
import { tabWallet } from "./wallet.js";
import { receiveSubmitted, promptState, promptReveal, promptAnswer, pendingSave, answerPendingSave } from "./save-prompt.js";
import { receiveMenuField, receiveMenuKey, receiveMenuShown, receiveMenuClosed, menuState, menuPick, takeMenuIntent } from "./inline-menu.js";
import { requireViewGrant, takeFillGrant, verify as verifyReprompt } from "./reprompt.js";
import { scheduleClear as scheduleClipboardClear } from "./clipboard.js";
import { KEYS, loadSettings, saveSettings, badRequest } from "./storage.js";
import { syncContentScript } from "./injection.js";
import * as vault from "./vault.js";
import * as account from "./account.js";

const OWN_ORIGIN = new URL(chrome.runtime.getURL("")).origin;
const PROMPT_PAGE = chrome.runtime.getURL("extension/prompt/bar.html");
const MENU_PAGE = chrome.runtime.getURL("extension/menu/menu.html");

export function privilegeOf(sender) {
  if (sender.id !== chrome.runtime.id) return null;
  // The save prompt's page, framed in a web page's tab: its own few messages only.
  if (sender.origin === OWN_ORIGIN && sender.tab && (sender.url ?? "").split("#")[0] === PROMPT_PAGE) return "prompt";
  // The inline menu's page, framed in a web page's tab: likewise.
  if (sender.origin === OWN_ORIGIN && sender.tab && (sender.url ?? "").split("#")[0] === MENU_PAGE) return "menu";
  if (sender.origin === OWN_ORIGIN && (sender.url ?? "").startsWith(`${OWN_ORIGIN}/`)) return "privileged";
  if (sender.tab && /^https?:/.test(sender.origin ?? "")) return "content";
  if (sender.tab && sender.origin === "null") return "content";
  return null;
}

const str = (v, what) => {
  if (typeof v !== "string") throw badRequest(what);
  return v;
};

async function activeTab(tabId) {
  if (Number.isInteger(tabId)) return chrome.tabs.get(tabId);
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  if (!tab) throw vault.coded("no_tab", "No tab to fill.");
  return tab;
}

/** Changes the vault, then persists it (and queues it for the server account, if any). */
async function change(fn) {
  const out = fn(vault.requireUnlocked());
  await vault.persist();
  await account.afterChange();
  return out;
}

const privileged = {
  status: () => vault.status(),
  createVault: async (m) => (await vault.create(m.password, m.kdf), {}),
  unlock: async (m) => (await vault.unlock(m.password), {}),
  lock: async () => (await vault.lock(), {}),
  tabItems: async (m) => {
    const tab = await activeTab(m.tabId);
    const url = tab.url ?? "";
    let host = "";
    try {
      host = new URL(url).hostname;
    } catch {
      // Not a URL (e.g. an empty tab): no host, and the core finds no candidates.
    }
    const rows = JSON.parse(vault.requireUnlocked().candidatesFor(url));
    return { url, host, insecure: url.startsWith("http:"), rows, tabId: tab.id };
  },
  tabWallet: async (m) => ({ rows: await tabWallet(await activeTab(m.tabId)) }),
  search: (m) => ({
    rows: JSON.parse(vault.requireUnlocked().search(str(m.query ?? "", "query"), JSON.stringify(m.filters ?? {}))),
  }),
  item: (m) => {
    const item = JSON.parse(vault.requireUnlocked().item(str(m.id, "id")));
    requireViewGrant(m.id, m.grant, item);
    return { item };
  },
  saveItem: (m) => {
    if (typeof m.item !== "object" || !m.item) throw badRequest("item");
    return change((s) => ({ id: s.saveItem(JSON.stringify(m.item)) }));
  },
  trashItem: (m) => change((s) => (s.setTrashed(str(m.id, "id"), true), {})),
  restoreItem: (m) => change((s) => (s.setTrashed(str(m.id, "id"), false), {})),
  purgeItem: (m) => change((s) => (s.purge(str(m.id, "id")), {})),
  folders: () => ({ folders: JSON.parse(vault.requireUnlocked().folders()) }),
  saveFolder: (m) => change((s) => ({ id: s.saveFolder(m.id ? str(m.id, "id") : "", str(m.name, "name")) })),
  deleteFolder: (m) => change((s) => (s.deleteFolder(str(m.id, "id")), {})),
  totp: (m) => {
    requireViewGrant(str(m.id, "id"), m.grant);
    return JSON.parse(vault.requireUnlocked().totp(m.id));
  },
  reprompt: async (m) => ({ grant: await verifyReprompt(m.id, m.password, m.purpose) }),
  clearClipboard: (m) => scheduleClipboardClear(m.hash),
  generate: (m) => ({ password: generatePassword(m.options) }),
  strength: (m) => passwordStrength(str(m.password, "password")),
  fill: async (m) => {
    // Confirmations are ids the worker issued for one document (confirmations.js): a list of
    // accepted reasons is no longer taken.
    if ("confirm" in m) throw badRequest("confirm");
    if (m.confirmation !== undefined) str(m.confirmation, "confirmation");
    const tab = await activeTab(m.tabId);
    const id = str(m.id, "id");
    return fillTab({
      tabId: tab.id,
      id,
      trigger: "popup",
      confirmation: m.confirmation ?? null,
      reprompted: m.grant !== undefined && takeFillGrant(m.grant, id),
    });
  },
  // The popup's "Fill generated password": a new password into the new-password fields of the
  // form the core picks (nothing from a stored login), kept in the generator history first.
  fillGenerated: async (m) => {
    if (m.confirmation !== undefined) str(m.confirmation, "confirmation");
    const tab = await activeTab(m.tabId);
    return fillTab({ tabId: tab.id, id: "", trigger: "popup", confirmation: m.confirmation ?? null, generate: true });
  },
  // The save prompt's choice in the popup, for the active tab's waiting capture.
  pendingSave: async (m) => pendingSave((await activeTab(m.tabId)).id),
  answerPendingSave: async (m) => answerPendingSave(m, (await activeTab(m.tabId)).id),
  // The generator history opened for the popup (the worker stores it sealed).
  generatorHistory: async () => {
    const got = await chrome.storage.local.get(KEYS.generatorHistory);
    const list = Array.isArray(got[KEYS.generatorHistory]) ? got[KEYS.generatorHistory] : [];
    return { entries: JSON.parse(vault.requireUnlocked().generatorHistory(JSON.stringify(list))) };
  },
  addAccount: async (m) => ({ moved: await account.addAccount(m) }),
  sendEmailCode: async (m) => (await account.sendEmailCode(m), {}),
  syncNow: async () => (await account.syncAgain(), { account: await account.accountStatus() }),
  // Edits the server did not store, by their key in status.account.unsynced; each answers the
  // new status.account (after the sync that follows).
  retryEdit: (m) => account.answerEdit("retryEdit", m.key),
  keepLocalCopy: (m) => account.answerEdit("keepLocalCopy", m.key),
  discardEdit: (m) => account.answerEdit("discardEdit", m.key),
  resolveKeptBoth: (m) => account.answerEdit("resolveKeptBoth", m.id, { sync: false }),
  logOut: async () => (await account.logOut(), {}),
  // What the inline menu opened the popup for (Add a login, a card to confirm), once.
  menuIntent: () => ({ intent: takeMenuIntent() }),
  getSettings: async () => ({ settings: await loadSettings() }),
  setSettings: async (m) => {
    const settings = await saveSettings(m.settings ?? {});
    await vault.applySettings(settings);
    if ("optOutSites" in (m.settings ?? {})) await syncContentScript(settings.optOutSites);
    await vault.touch();
    return { settings };
  },
};

const content = {
  pageDetails: (m, sender) => receivePageDetails(m, sender),
  submitted: (m, sender) => receiveSubmitted(m, sender),
  menuField: (m, sender) => receiveMenuField(m, sender),
  menuKey: (m, sender) => receiveMenuKey(m, sender),
  menuShown: (m, sender) => receiveMenuShown(m, sender),
  menuClosed: (m, sender) => receiveMenuClosed(m, sender),
};

const menu = {
  menuState: (m, sender) => menuState(m, sender),
  menuPick: (m, sender) => menuPick(m, sender),
};

const prompt = {
  promptState: (m, sender) => promptState(m, sender),
  promptReveal: (m, sender) => promptReveal(m, sender),
  promptAnswer: (m, sender) => promptAnswer(m, sender),
};

/** Every message type, by the senders that may use it (docs/extension.md lists the same). */
export const ROUTES = Object.freeze({
  privileged: Object.keys(privileged),
  content: Object.keys(content),
  prompt: Object.keys(prompt),
  menu: Object.keys(menu),
});

/** Handles one message; resolves to the reply object. */
export async function route(msg, sender, ready) {
  const level = privilegeOf(sender);
  const type = typeof msg === "object" && msg && typeof msg.type === "string" ? msg.type : null;
  const table = { privileged, content, prompt, menu }[level] ?? null;
  const handler = table && type !== null && Object.hasOwn(table, type) ? table[type] : null;
  if (!handler) {
    // Whatever an unprivileged sender may not use gets one and the same reply, for a type that
    // exists as for one that does not: a page learns nothing of what the popup can ask.
    if (level !== "privileged") return fail("forbidden", "Not allowed.");
    return type === null ? fail("bad_request", "No message type.") : fail("unknown_message", "Unknown message type.");
  }
  try {
    await ready;
    const out = await handler(msg, sender);
    // Use pushes auto-lock back; the reply need not wait for that bookkeeping.
    if (level === "privileged" && msg.type !== "lock" && msg.type !== "status") vault.touch().catch(() => {});
    return { ok: true, ...out };
  } catch (e) {
    const reply = fail(e?.code ?? "internal", e?.message ?? "Something went wrong.");
    // A two-factor request says which providers the server offers (0 app, 1 e-mail).
    if (e?.providers) reply.error.providers = Array.from(e.providers);
    return reply;
  }
}

const fail = (code, message) => ({ ok: false, error: { code, message } });
