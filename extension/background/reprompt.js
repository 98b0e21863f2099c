// "Ask for the master password again" (an item's `reprompt`, Bitwarden's field). The popup asks
// the user; the core checks the password against the open vault; the worker then issues a grant
// bound to that one item. A `fill` grant is spent by one fill; a `view` grant lets the item view
// read that item's secrets (`item`, `totp`) for a few minutes and fills nothing. Grants live in
// this worker's memory only: a restarted worker asks again.
import { core } from "./core.js";
import { coded, onLock, requireUnlocked } from "./vault.js";
import { unlockEmail } from "./account.js";

const TTL_MS = { fill: 2 * 60_000, view: 5 * 60_000 };

/** grant id → {itemId, purpose, expires} */
const grants = new Map();

/** Whether item `id` asks for the master password again: from the decrypted `item` when the
 *  caller has it, else from the core, which reads the plain flag without decrypting anything. */
export function needsReprompt(id, item = undefined) {
  return item ? Number(item.reprompt ?? 0) !== 0 : requireUnlocked().asksReprompt(id);
}

/** Checks the master password; on success issues a grant for item `itemId` and `purpose`. */
export async function verify(itemId, password, purpose) {
  requireUnlocked();
  if (typeof itemId !== "string" || typeof password !== "string" || !(purpose in TTL_MS)) {
    throw coded("bad_request", "bad request: reprompt");
  }
  await core().verifyPassword(await unlockEmail(), password); // wrong_password when it is not
  const id = crypto.randomUUID();
  grants.set(id, { itemId, purpose, expires: Date.now() + TTL_MS[purpose] });
  return id;
}

function valid(grant, itemId, purpose) {
  const g = typeof grant === "string" ? grants.get(grant) : null;
  if (g && g.expires <= Date.now()) grants.delete(grant);
  return Boolean(g && g.expires > Date.now() && g.itemId === itemId && g.purpose === purpose);
}

/** Spends a fill grant: true once, for that item, while it lasts. */
export function takeFillGrant(grant, itemId) {
  const ok = valid(grant, itemId, "fill");
  if (typeof grant === "string") grants.delete(grant);
  return ok;
}

/** Reads of a reprompt item's secrets need a live view grant for it. */
export function requireViewGrant(itemId, grant, item = undefined) {
  if (needsReprompt(itemId, item) && !valid(grant, itemId, "view")) {
    throw coded("reprompt_required", "This item asks for the master password again.");
  }
}

// Lock: every grant goes.
onLock(() => grants.clear());
