// Fill confirmations the user gives in the popup ("this page is http:", "the form posts
// elsewhere", "this item does not match the page"). Each is issued by the worker for the one
// document the planner asked about — tab, frame, navigation (`documentId`), origin — and the item,
// and is spent once: the popup sends back its id, never a reason, so a confirmation given for one
// page cannot be spent on another. Kept in memory and in session storage (memory only, closed to
// content scripts) so one survives the worker stopping while the user reads the dialog.
import { KEYS } from "./storage.js";
import { onLock } from "./vault.js";

/** A confirmation lives this long: the time to read a dialog, not to come back later. */
export const CONFIRMATION_TTL_MS = 2 * 60_000;

/** id → {tabId, frameId, documentId, origin, itemId, reasons, reprompted, expires} */
let live = null;

async function table() {
  if (live) return live;
  const got = await chrome.storage.session.get(KEYS.confirmations).catch(() => ({}));
  // Another call may have loaded it while this one waited: keep the first (it may have changed).
  live ??= new Map(Object.entries(got[KEYS.confirmations] ?? {}));
  return live;
}

function save(map) {
  const now = Date.now();
  for (const [id, c] of map) if (c.expires <= now) map.delete(id);
  return chrome.storage.session.set({ [KEYS.confirmations]: Object.fromEntries(map) }).catch(() => {});
}

/** Issues a confirmation for `binding` ({tabId, frameId, documentId, origin, itemId, reasons,
 *  reprompted}); returns its id. */
export async function issue(binding) {
  const map = await table();
  const id = crypto.randomUUID();
  map.set(id, { ...binding, expires: Date.now() + CONFIRMATION_TTL_MS });
  await save(map);
  return id;
}

/** Takes confirmation `id` out (whatever happens next, it is spent); null when unknown or
 *  expired. The lookup and the removal happen with no await between them: single use. */
export async function take(id) {
  if (typeof id !== "string") return null;
  const map = await table();
  const c = map.get(id) ?? null;
  map.delete(id);
  await save(map);
  return c && c.expires > Date.now() ? c : null;
}

// Lock: every confirmation goes (they were given for the vault that was open); the lock also
// removes the stored copy.
onLock(() => (live = new Map()));
