// The inline menu (docs/autofill.md "Inline menu", docs/extension.md "Inline menu"). A content
// script asks, for the field the user is in, whether it gets the icon (`menuField`); the answer
// depends on the field alone, never on the vault (rule 10), and carries a one-time token that
// binds the menu to that tab, frame, document and field. The menu's page (an extension page the
// content script frames, with the token in its address) then asks what to list (`menuState`) and
// what the user picked (`menuPick`). Before a fill, the content script of the field's document
// checks the menu was plainly on screen at the click point and the page did not fight it
// (`menuCheck`); the fill then re-collects that one document and the core plans it as a `menu`
// gesture. Keys typed in the field reach the menu through the worker (`menuKey`, over the port
// the menu page opens). Sessions live in memory only and die with their document.
import { requireUnlocked, isUnlocked } from "./vault.js";
import { loadSettings } from "./storage.js";
import { menuField, optedOut } from "./core.js";
import { fillTab, tabRequest } from "./fill.js";

const SESSION_MS = 10 * 60_000;
const KEY_PICK_MS = 1000;
const MAX_SESSIONS = 64;
/** token → {tabId, frameId, documentId, origin, url, anchor, details, field, port, shown, keyAt, at} */
const sessions = new Map();

const fail = (code, message) => ({ ok: false, error: { code, message } });

// A document that goes away takes its menus with it.
const forget = (tabId, frameId) => {
  for (const [token, s] of sessions) if (s.tabId === tabId && (frameId === undefined || s.frameId === frameId)) sessions.delete(token);
};
chrome.webNavigation?.onCommitted.addListener((d) => forget(d.tabId, d.frameId));
chrome.tabs?.onRemoved.addListener((tabId) => forget(tabId));

function sweep() {
  const now = Date.now();
  for (const [token, s] of sessions) if (now - s.at > SESSION_MS) sessions.delete(token);
  while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value);
}

/** A content script's session, checked against the browser's sender. */
function ownSession(msg, sender) {
  const s = typeof msg.token === "string" ? sessions.get(msg.token) : null;
  if (!s || s.tabId !== sender.tab?.id || s.frameId !== sender.frameId || s.documentId !== sender.documentId) return null;
  return s;
}

/** The menu page's session: the token (which only the content script and the menu's own address
 *  know: the frame sits in a closed shadow root) in the tab it was issued for. The browser does
 *  not list extension frames (webNavigation), so the field's document is checked where it
 *  matters: every message to it names its documentId, which fails once it navigated. */
async function menuSession(msg, sender) {
  const s = typeof msg.token === "string" ? sessions.get(msg.token) : null;
  if (!s || s.tabId !== sender.tab?.id) return null;
  return s;
}

/** content → `menuField {details, anchor}`: `{show, token?, open}`. */
export async function receiveMenuField(msg, sender) {
  sweep();
  const settings = await loadSettings();
  const mode = settings.inlineMenu ?? "click";
  const hidden = { ok: true, show: false };
  if (mode === "off" || typeof msg.anchor !== "string" || typeof msg.details !== "object" || !msg.details) return hidden;
  if (optedOut(sender.url ?? "", settings.optOutSites)) return hidden;
  const details = msg.details;
  let field;
  try {
    field = menuField(details, msg.anchor, false);
  } catch {
    return hidden;
  }
  if (!field) return hidden;
  const token = crypto.randomUUID();
  sessions.set(token, {
    tabId: sender.tab.id,
    frameId: sender.frameId,
    documentId: sender.documentId,
    origin: sender.origin,
    url: sender.url ?? "",
    anchor: msg.anchor,
    details,
    field,
    port: null,
    shown: false,
    keyAt: 0,
    at: Date.now(),
  });
  return { ok: true, show: true, token, open: mode, icon: settings.inlineIcon !== false, kind: field.kind };
}

/** content → `menuKey {token, key}`: arrow keys, Enter and Escape typed in the field. */
export function receiveMenuKey(msg, sender) {
  const s = ownSession(msg, sender);
  if (!s || !["ArrowDown", "ArrowUp", "Enter"].includes(msg.key)) return { ok: true };
  if (msg.key === "Enter") s.keyAt = Date.now();
  s.port?.postMessage({ type: "key", key: msg.key });
  return { ok: true };
}

/** content → `menuShown {token, shown}`: the menu was shown or hidden; its page, loaded ahead,
 *  lists what it shows only when told it is shown. `known: false` when the token is not this
 *  worker's (it stopped since and its sessions went with it). */
export function receiveMenuShown(msg, sender) {
  const s = ownSession(msg, sender);
  // A worker that stopped (idle) forgot its sessions: the content script asks again.
  if (!s) return { ok: true, known: false };
  s.shown = msg.shown === true;
  s.port?.postMessage({ type: s.shown ? "open" : "hide" });
  return { ok: true, known: true };
}

/** content → `menuClosed {token}`: the field lost the menu (blur, Escape, removed). */
export function receiveMenuClosed(msg, sender) {
  const s = ownSession(msg, sender);
  if (s) {
    s.port?.disconnect();
    sessions.delete(msg.token);
  }
  return { ok: true };
}

/** The menu page's port (keys travel over it). */
export function connectMenuPort(port) {
  menuSession({ token: port.name }, port.sender).then((s) => {
    if (!s) return port.disconnect();
    s.port = port;
    if (s.shown) port.postMessage({ type: "open" }); // shown before its page was ready
    port.onDisconnect.addListener(() => {
      if (s.port === port) s.port = null;
    });
  });
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/** menu → `menuState {token}`: what the menu lists. Only the menu page ever sees this. */
export async function menuState(msg, sender) {
  const s = await menuSession(msg, sender);
  if (!s) return fail("menu_gone", "This menu is closed. Click the field again.");
  const host = hostOf(s.url);
  if (!isUnlocked()) return { state: "locked", host, kind: s.field.kind };
  const session = requireUnlocked();
  if (s.field.kind !== "login") {
    const want = s.field.kind === "card" ? 3 : 4;
    const rows = JSON.parse(session.summaries())
      .filter((r) => r.type === want && !r.deleted)
      .map((r) => ({ id: r.id, name: r.name, detail: r.subtitle ?? "" }));
    return { state: "ready", host, kind: s.field.kind, rows, generate: false };
  }
  const rows = JSON.parse(session.candidatesFor(s.url)).map((r) => ({ id: r.id, name: r.name, detail: r.subtitle ?? "" }));
  // A sign-in field of a site with logins lists them; a new-password field offers the generator
  // (and lists the logins too when the form is not plainly a sign-up).
  const field = menuField(s.details, s.anchor, rows.length > 0) ?? s.field;
  return { state: "ready", host, kind: "login", rows: field.logins || !field.generate ? rows : [], generate: field.generate };
}

/** What the popup should offer when it opens from the menu ({kind: "add"|"fill", ...}); taken
 *  once, within INTENT_MS. */
const INTENT_MS = 60_000;
let intent = null;

/** The popup's `menuIntent`: what the menu opened it for, once. */
export function takeMenuIntent() {
  const out = intent && Date.now() - intent.at < INTENT_MS ? intent : null;
  intent = null;
  return out;
}

/** Opens the popup (the vault's own window) for what the menu cannot do in the page: unlock,
 *  add a login (`want` {kind: "add"}), or fill a card or identity (`want` {kind: "fill", id}),
 *  which the user confirms there, outside the page. */
async function openPopup(s, want = null) {
  intent = want ? { ...want, tabId: s.tabId, host: hostOf(s.url), at: Date.now() } : null;
  try {
    await chrome.action.openPopup();
    return;
  } catch {
    // No focused window, or a browser without openPopup: a small window of the same page.
  }
  await chrome.windows.create({
    url: chrome.runtime.getURL(`extension/popup/popup.html?tabId=${s.tabId}`),
    type: "popup",
    width: 380,
    height: 600,
  });
}

/** Asks the field's content script whether the click it is told about was the user's, on a
 *  menu plainly on screen (not covered, not moved, not made transparent, not fought over). */
async function pageCheck(s, msg) {
  const point = { x: Number(msg.x) || 0, y: Number(msg.y) || 0 };
  const got = await chrome.tabs
    .sendMessage(s.tabId, { type: "menuCheck", token: msg.token, via: msg.via === "key" ? "key" : "click", ...point }, { documentId: s.documentId })
    .catch(() => null);
  return got?.ok ? null : (got?.error?.code ?? "frame_changed");
}

/** menu → `menuPick {token, pick, x, y, via}`: `pick` is {id} | {generate} | {add} | {unlock}. */
export async function menuPick(msg, sender) {
  const s = await menuSession(msg, sender);
  if (!s) return fail("menu_gone", "This menu is closed. Click the field again.");
  const pick = msg.pick && typeof msg.pick === "object" ? msg.pick : {};
  if (msg.via === "key" && Date.now() - s.keyAt > KEY_PICK_MS) return fail("not_user", "Press Enter in the field to choose.");
  if (pick.unlock) {
    await openPopup(s);
    return { status: "popup" };
  }
  if (pick.add) {
    let origin = "";
    try {
      origin = new URL(s.url).origin;
    } catch {
      // An opaque frame: the popup's form starts without an address.
    }
    await openPopup(s, { kind: "add", uri: origin });
    return { status: "popup" };
  }
  if (!isUnlocked()) return fail("locked", "Unlock Keyfill first.");
  // A card or an identity is never filled from the page's menu: the popup asks (rule 9).
  if (s.field.kind !== "login") {
    if (typeof pick.id !== "string") return fail("bad_request", "Nothing picked.");
    const row = JSON.parse(requireUnlocked().summaries()).find((r) => r.id === pick.id);
    if (!row) return fail("bad_request", "Nothing picked.");
    await openPopup(s, { kind: "fill", id: row.id, name: row.name });
    return { status: "popup" };
  }
  const refused = await pageCheck(s, msg);
  if (refused) return { status: "refused", reason: refused };
  const tab = await chrome.tabs.get(s.tabId).catch(() => null);
  if (!tab) return { status: "refused", reason: "frame_changed" };
  const only = { frameId: s.frameId, documentId: s.documentId, anchor: msg.token };
  const collected = await tabRequest(tab, "menu", only);
  if (!collected.frames.length) return { status: "refused", reason: "frame_changed" };
  const generate = pick.generate === true;
  const id = generate ? "" : typeof pick.id === "string" ? pick.id : "";
  if (!generate && !id) return fail("bad_request", "Nothing picked.");
  const out = await fillTab({ tabId: s.tabId, id, trigger: "menu", generate, collected });
  if (out.status === "filled") {
    chrome.tabs.sendMessage(s.tabId, { type: "menuClose", token: msg.token }, { documentId: s.documentId }).catch(() => {});
  }
  return { status: out.status, reason: out.reason };
}
