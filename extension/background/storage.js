// What the worker keeps: ciphertext and settings in chrome.storage.local, the resume token and
// the auto-lock deadline in chrome.storage.session (memory only, never written to disk).

export const KEYS = {
  kdf: "vault.kdf",
  data: "vault.data",
  settings: "settings",
  resume: "session.resume",
  lockAt: "session.lockAt",
  cycle: "session.cycle",
};

export const DEFAULT_SETTINGS = Object.freeze({
  autoLockMinutes: 15,
  strict: false,
  defaultMatch: null,
  optOutSites: [],
  fillOnPageLoad: false,
});

export async function loadVault() {
  const got = await chrome.storage.local.get([KEYS.kdf, KEYS.data]);
  if (!got[KEYS.kdf] || !got[KEYS.data]) return null;
  return { prelogin: got[KEYS.kdf], data: got[KEYS.data] };
}

export const saveVault = (prelogin, data) =>
  chrome.storage.local.set({ [KEYS.kdf]: prelogin, [KEYS.data]: data });

export const saveData = (data) => chrome.storage.local.set({ [KEYS.data]: data });

export async function loadSettings() {
  const got = await chrome.storage.local.get(KEYS.settings);
  return { ...DEFAULT_SETTINGS, ...(got[KEYS.settings] ?? {}) };
}

/** Checks and stores a partial settings change; returns the whole new settings. */
export async function saveSettings(change) {
  const next = { ...(await loadSettings()) };
  if ("autoLockMinutes" in change) {
    const m = change.autoLockMinutes;
    if (m !== null && !(typeof m === "number" && m >= 0.05 && m <= 10080)) throw badRequest("autoLockMinutes");
    next.autoLockMinutes = m;
  }
  for (const flag of ["strict", "fillOnPageLoad"]) {
    if (flag in change) next[flag] = Boolean(change[flag]);
  }
  if ("defaultMatch" in change) {
    const d = change.defaultMatch;
    if (d !== null && !(Number.isInteger(d) && d >= 0 && d <= 5)) throw badRequest("defaultMatch");
    next.defaultMatch = d;
  }
  if ("optOutSites" in change) {
    if (!Array.isArray(change.optOutSites)) throw badRequest("optOutSites");
    next.optOutSites = [...new Set(change.optOutSites.map(normalizeHost).filter(Boolean))];
  }
  await chrome.storage.local.set({ [KEYS.settings]: next });
  return next;
}

/** A host the user typed ("https://Example.com/x" or "example.com") → "example.com". */
export function normalizeHost(text) {
  const t = String(text ?? "").trim();
  if (!t) return "";
  try {
    return new URL(t.includes("://") ? t : `https://${t}`).hostname;
  } catch {
    return "";
  }
}

export function badRequest(what) {
  const e = new Error(`bad request: ${what}`);
  e.code = "bad_request";
  return e;
}
