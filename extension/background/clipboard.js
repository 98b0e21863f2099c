// Emptying the clipboard after a copy from the popup, even once the popup has closed: the
// popup sends a SHA-256 of what it copied (never the value), the worker keeps it in session
// storage and has an offscreen document (a page with no window, allowed to use the clipboard)
// read the clipboard after the delay and empty it only if it still holds that value. An
// `alarms` alarm backs the offscreen timer: if the worker or the document were stopped, the
// alarm (at least 30 s away in Chrome) does the same check.
import { KEYS, loadSettings } from "./storage.js";

const ALARM = "clipboard";
const OFFSCREEN = "extension/offscreen/clipboard.html";
const HASH = /^[0-9a-f]{64}$/;

/** Copies `text` from the worker (through the offscreen document, since a worker has no
 *  clipboard), then schedules the clear like a copy from the popup. */
export async function copyAndClear(text) {
  await ensureDocument();
  const out = await chrome.runtime.sendMessage({ target: "offscreen-clipboard", type: "write", text }).catch(() => null);
  if (!out?.ok) return false;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  await scheduleClear(Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""));
  return true;
}

/** Schedules the check for a copy whose SHA-256 (hex) is `hash`; returns the delay (s) or null. */
export async function scheduleClear(hash) {
  if (typeof hash !== "string" || !HASH.test(hash)) {
    const e = new Error("bad request: hash");
    e.code = "bad_request";
    throw e;
  }
  const { clearClipboardSeconds: seconds } = await loadSettings();
  if (seconds === null) return { seconds: null };
  const at = Date.now() + seconds * 1000;
  await chrome.storage.session.set({ [KEYS.clipboard]: { hash, at } });
  await chrome.alarms.create(ALARM, { when: at });
  await ensureDocument();
  await chrome.runtime.sendMessage({ target: "offscreen-clipboard", type: "clearLater", hash, delayMs: seconds * 1000 });
  return { seconds };
}

async function ensureDocument() {
  const url = chrome.runtime.getURL(OFFSCREEN);
  const open = await chrome.runtime.getContexts?.({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls: [url] });
  if (open?.length) return;
  await chrome.offscreen
    .createDocument({
      url: OFFSCREEN,
      reasons: ["CLIPBOARD"],
      justification: "Copy a one-time code after a fill; empty the clipboard after a copy, if it still holds what was copied.",
    })
    .catch((e) => {
      // Two copies in quick succession: the other call created it.
      if (!/single offscreen/i.test(String(e?.message))) throw e;
    });
}

/** The backup alarm: the same check, now; then the document closes. */
export async function onAlarm(alarm) {
  if (alarm.name !== ALARM) return;
  const got = (await chrome.storage.session.get(KEYS.clipboard))[KEYS.clipboard];
  if (got && Date.now() >= got.at - 1000) {
    await ensureDocument();
    await chrome.runtime
      .sendMessage({ target: "offscreen-clipboard", type: "clearNow", hash: got.hash })
      .catch(() => null);
    await chrome.storage.session.remove(KEYS.clipboard);
    await chrome.offscreen.closeDocument().catch(() => {});
  }
}
