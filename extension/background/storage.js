// What the worker keeps: ciphertext and settings in chrome.storage.local and IndexedDB, the
// resume token and the auto-lock deadline in chrome.storage.session (memory only, never on disk).
import { bulkDelete, bulkGet, bulkPut } from "./bulk-store.js";

export const KEYS = {
  kdf: "vault.kdf",
  data: "vault.data",
  settings: "settings",
  resume: "session.resume",
  lockAt: "session.lockAt",
  cycle: "session.cycle",
  confirmations: "session.confirmations",
  clipboard: "session.clipboard",
  generatorHistory: "generator.history",
};

export const DEFAULT_SETTINGS = Object.freeze({
  autoLockMinutes: 15,
  strict: false,
  defaultMatch: null,
  optOutSites: [],
  fillOnPageLoad: false,
  // Seconds after a copy from the popup when the clipboard is emptied, if it still holds what
  // was copied; null: never.
  clearClipboardSeconds: 30,
  // After a login fill that put no code into the page, copy the item's current one-time code
  // (the next step will ask for it); cleared like any copy.
  copyTotpAfterFill: false,
  // The save prompt after a sign-in, sign-up or change of password; and the sites where it
  // never shows (docs/autofill.md rule 12).
  offerToSave: true,
  neverSaveSites: [],
  // The inline menu (docs/autofill.md "Inline menu"): "off", "click" (on a click in the field
  // or its icon) or "focus"; and whether the icon shows in the fields it serves.
  inlineMenu: "click",
  inlineIcon: true,
  // The server's equivalent domains (e.g. google.com = youtube.com) widen matching only when the
  // user allows it: a server must not make a login show up on a site of its choosing.
  useServerEquivalentDomains: false,
});

// The stored vault is ciphertext, so the worker may keep a copy in memory once read (it is read
// ahead when the popup shows the unlock screen). The KDF settings sit in chrome.storage.local,
// the (large) account data in IndexedDB (bulk-store.js).
let cached = null;

export async function loadVault() {
  if (cached) return cached;
  const got = await chrome.storage.local.get([KEYS.kdf, KEYS.data]);
  if (!got[KEYS.kdf]) return null;
  let data;
  if (got[KEYS.data]) {
    // Written by an earlier version (or a benchmark) into chrome.storage.local, never by this
    // one: it is the newest copy. Move it.
    data = got[KEYS.data];
    await bulkPut(KEYS.data, data);
    await chrome.storage.local.remove(KEYS.data);
  } else {
    data = await bulkGet(KEYS.data);
  }
  if (typeof data !== "string") return null;
  cached = { prelogin: got[KEYS.kdf], data };
  return cached;
}

/** The KDF settings alone (cheap): tells whether a vault exists without reading it. */
export async function loadKdf() {
  if (cached) return cached.prelogin;
  return (await chrome.storage.local.get(KEYS.kdf))[KEYS.kdf] ?? null;
}

/** Reads the vault into memory ahead of an unlock (the popup showing its unlock screen). */
export const prefetchVault = () => loadVault().catch(() => null);

export async function saveVault(prelogin, data) {
  await bulkPut(KEYS.data, data);
  await chrome.storage.local.set({ [KEYS.kdf]: prelogin });
  cached = { prelogin, data };
}

/** Removes the stored vault (log out of an account). */
export async function forgetVault() {
  cached = null;
  await chrome.storage.local.remove([KEYS.kdf, KEYS.data]);
  await bulkDelete(KEYS.data);
}

export async function saveData(data) {
  await bulkPut(KEYS.data, data);
  if (cached) cached = { ...cached, data };
}

// The settings as last read or saved: a gesture reads them up to three times (opt-outs, auto-lock,
// after the fill), each a storage round trip of 0.5-5 ms on a busy machine. Only saveSettings
// writes them; a write from anywhere else drops the copy.
let settingsRead = null;
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && KEYS.settings in changes) settingsRead = null;
});

export async function loadSettings() {
  if (!settingsRead) {
    const reading = chrome.storage.local.get(KEYS.settings).then((got) => ({ ...DEFAULT_SETTINGS, ...(got[KEYS.settings] ?? {}) }));
    settingsRead = reading;
    reading.catch(() => settingsRead === reading && (settingsRead = null));
  }
  return { ...(await settingsRead) };
}

/** Checks and stores a partial settings change; returns the whole new settings. */
export async function saveSettings(change) {
  const next = { ...(await loadSettings()) };
  if ("autoLockMinutes" in change) {
    const m = change.autoLockMinutes;
    if (m !== null && !(typeof m === "number" && m >= 0.05 && m <= 10080)) throw badRequest("autoLockMinutes");
    next.autoLockMinutes = m;
  }
  for (const flag of ["strict", "fillOnPageLoad", "useServerEquivalentDomains", "copyTotpAfterFill", "offerToSave", "inlineIcon"]) {
    if (flag in change) next[flag] = Boolean(change[flag]);
  }
  if ("clearClipboardSeconds" in change) {
    const c = change.clearClipboardSeconds;
    if (c !== null && !(Number.isInteger(c) && c >= 2 && c <= 3600)) throw badRequest("clearClipboardSeconds");
    next.clearClipboardSeconds = c;
  }
  if ("defaultMatch" in change) {
    const d = change.defaultMatch;
    if (d !== null && !(Number.isInteger(d) && d >= 0 && d <= 5)) throw badRequest("defaultMatch");
    next.defaultMatch = d;
  }
  if ("inlineMenu" in change) {
    if (!["off", "click", "focus"].includes(change.inlineMenu)) throw badRequest("inlineMenu");
    next.inlineMenu = change.inlineMenu;
  }
  if ("neverSaveSites" in change) {
    if (!Array.isArray(change.neverSaveSites)) throw badRequest("neverSaveSites");
    const hosts = change.neverSaveSites.map(normalizeHost);
    if (hosts.includes("")) throw badRequest("neverSaveSites");
    next.neverSaveSites = [...new Set(hosts)];
  }
  if ("optOutSites" in change) {
    if (!Array.isArray(change.optOutSites)) throw badRequest("optOutSites");
    const hosts = change.optOutSites.map(normalizeHost);
    if (hosts.includes("")) throw badRequest("optOutSites");
    next.optOutSites = [...new Set(hosts)];
  }
  await chrome.storage.local.set({ [KEYS.settings]: next });
  settingsRead = Promise.resolve(next);
  return { ...next };
}

/** A host the user typed ("https://Example.com/x" or "example.com") → "example.com"; "" when it
 *  is not a DNS name or an IPv4 address (it must also make a valid match pattern). */
export function normalizeHost(text) {
  const t = String(text ?? "").trim();
  if (!t) return "";
  let host;
  try {
    const url = new URL(t.includes("://") ? t : `https://${t}`);
    if (!/^https?:$/.test(url.protocol)) return "";
    host = url.hostname;
  } catch {
    return "";
  }
  const label = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?";
  return new RegExp(`^${label}(?:\\.${label})*$`).test(host) ? host : "";
}

export function badRequest(what) {
  const e = new Error(`bad request: ${what}`);
  e.code = "bad_request";
  return e;
}
