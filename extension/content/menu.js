// The inline menu's side in the page (docs/autofill.md "Inline menu"). At load it only listens
// (trusted focus, clicks and keys; nothing is scanned until the user is in a field). When the
// user is in a field, the frame is collected and the worker says whether the field gets the icon
// (from the field alone: the page learns nothing of the vault from it); a click on the field or
// the icon (or the focus, per the setting) opens the menu, an extension page the worker binds
// to this field by a token (loaded hidden as soon as the icon shows, so a click only shows it).
// Arrow keys and Enter in the field reach the menu through the worker; Escape hides it. The
// page's own events and messages are never listened to.
import { collect } from "./scan.js";
import { shadowFinder, deepActive } from "./shadow.js";
import { MenuUi } from "./menu-host.js";

const TYPES = new Set(["text", "email", "tel", "password", "number", "url", "search", ""]);
const ASKED_MS = 30_000;
const BLUR_GRACE_MS = 200;

let runtime = null;
let shadowOf = null;
/** {field, token, mode, ui, keyed} while a field has the icon. */
let current = null;
/** field → {at, answer}: the worker's last answer for it (a field asked about once per while). */
const asked = new WeakMap();
/** The upkeep's next run: every frame while the menu shows (a move must be seen at once), every
 *  ICON_TICK_MS while only the icon does, and at once on a scroll or resize. */
let frameLoop = 0;
let timerLoop = 0;
const ICON_TICK_MS = 250;
/** A click in a field whose answer is still on its way: the menu opens when it comes. */
let clicked = null;

const send = (msg) => {
  try {
    const p = runtime.sendMessage(msg);
    return p && typeof p.then === "function" ? p.catch(() => null) : Promise.resolve(null);
  } catch {
    return Promise.resolve(null); // extension reloaded: this copy is orphaned
  }
};

function candidate(el) {
  if (!el || el.disabled || el.readOnly) return false;
  if (el instanceof HTMLInputElement) return TYPES.has(el.type);
  return el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

/** The field under a trusted event: the focused element, through open and closed roots. */
const focusedField = () => deepActive(shadowOf);

async function ask(field) {
  const memo = asked.get(field);
  if (memo && performance.now() - memo.at < ASKED_MS) return memo.answer;
  const { refs, details } = await collect();
  let anchor = null;
  for (const [opid, ref] of refs) if (ref.deref() === field) anchor = opid;
  if (!anchor) return null;
  const reply = await send({ type: "menuField", details, anchor });
  const answer = reply?.ok && reply.show ? reply : null;
  asked.set(field, { at: performance.now(), answer });
  return answer;
}

function close() {
  if (!current) return;
  const { token, ui } = current;
  current = null;
  cancelAnimationFrame(frameLoop);
  clearTimeout(timerLoop);
  ui.remove();
  send({ type: "menuClosed", token });
}

function keepUp() {
  cancelAnimationFrame(frameLoop);
  clearTimeout(timerLoop);
  if (!current) return;
  if (!current.ui.tick()) return close();
  if (current.ui.menu) frameLoop = requestAnimationFrame(keepUp);
  else timerLoop = setTimeout(keepUp, ICON_TICK_MS);
}

let entering = null;

async function enter(field) {
  if (current?.field === field || entering === field) return;
  close();
  entering = field;
  const answer = await ask(field).finally(() => {
    if (entering === field) entering = null;
  });
  if (!answer || focusedField() !== field) return;
  if (current) close();
  const ui = new MenuUi(field, { icon: answer.icon, onIcon: () => openMenu() });
  // A fresh token per showing: the worker's session is spent when this closes.
  current = { field, token: answer.token, mode: answer.open, ui, keyed: false };
  asked.delete(field);
  ui.preload(menuUrl());
  keepUp();
  if (answer.open === "focus" || clicked === field) openMenu();
  clicked = null;
}

const menuUrl = () => `${runtime.getURL("extension/menu/menu.html")}#${current.token}`;

function openMenu() {
  if (!current || current.ui.menu) return;
  current.ui.open(menuUrl());
  // The menu's page lists what it shows only now (it may have loaded ahead, hidden).
  const { field, token } = current;
  send({ type: "menuShown", token, shown: true }).then((reply) => {
    // The worker stopped while the menu waited (Chrome stops an idle one after ~30 s) and its
    // session went with it: ask again, and open the new menu when the answer comes.
    if (reply?.known !== false || current?.token !== token) return;
    close();
    asked.delete(field);
    clicked = field;
    enter(field);
  });
  keepUp();
}

function hideMenu() {
  if (!current?.ui.menu) return;
  current.ui.closeMenu();
  send({ type: "menuShown", token: current.token, shown: false });
}

function onFocus(e) {
  if (!e.isTrusted) return;
  const field = focusedField();
  if (current && current.ui.isMenu(field)) return; // into our own menu
  if (current && field !== current.field) setTimeout(leaveIfAway, BLUR_GRACE_MS);
  // After the page's own focus handlers: a read-only field that becomes editable on focus.
  setTimeout(() => {
    if (focusedField() === field && candidate(field)) enter(field);
  }, 0);
}

function leaveIfAway() {
  if (!current) return;
  const now = focusedField();
  if (now !== current.field && !current.ui.isMenu(now)) close();
}

function onClick(e) {
  if (!e.isTrusted) return;
  const field = focusedField();
  if (current && field === current.field) openMenu();
  else if (candidate(field)) {
    // A field that had the focus before this script ran (autofocus, a dialog's first field)
    // gets no focus event: the click is the first sign of the user in it.
    clicked = field;
    enter(field);
  }
}

function onKey(e) {
  if (!e.isTrusted || !current || focusedField() !== current.field) return;
  if (e.key === "Escape" && current.ui.menu) {
    hideMenu();
    return;
  }
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    if (!current.ui.menu) openMenu();
    current.keyed = true;
    e.preventDefault();
    send({ type: "menuKey", token: current.token, key: e.key });
  } else if (e.key === "Enter" && current.ui.menu && current.keyed) {
    // Enter picks the entry the arrows chose, instead of submitting the page's form.
    e.preventDefault();
    e.stopPropagation();
    send({ type: "menuKey", token: current.token, key: "Enter" });
  }
}

/** The field the menu belongs to, for the collect a fill from the menu makes. */
export function menuAnchor(token) {
  return current && current.token === token ? current.field : null;
}

/** The worker's check before a fill from the menu: null when it may go ahead, else a reason. */
export function menuCheck(msg) {
  if (!current || current.token !== msg.token) return "menu_gone";
  return current.ui.check({ via: msg.via, x: Number(msg.x), y: Number(msg.y) });
}

/** The worker closes the menu (after its fill). */
export function menuClose(token) {
  if (current && current.token === token) hideMenu();
}

export function watchFields(rt) {
  runtime = rt;
  shadowOf = shadowFinder();
  window.addEventListener("focusin", onFocus, true);
  window.addEventListener("click", onClick, true);
  window.addEventListener("keydown", onKey, true);
  const follow = () => current && keepUp();
  window.addEventListener("scroll", follow, { capture: true, passive: true });
  window.addEventListener("resize", follow, { passive: true });
  // A page hidden (another tab, navigation away): nothing stays open.
  window.addEventListener("pagehide", close, true);
}
