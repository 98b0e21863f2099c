// What follows a login fill: with the setting on, the item's current one-time code is copied
// (docs/autofill.md rule 11: only after a real fill, and cleared after the delay), unless the
// fill already put a code into the page.
import { requireUnlocked } from "./vault.js";
import { loadSettings } from "./storage.js";
import { copyAndClear } from "./clipboard.js";

/** `kinds`: the kinds of the actions that landed. */
export async function afterFill(id, kinds) {
  if (!kinds.includes("password") || kinds.includes("totp")) return;
  if (!(await loadSettings()).copyTotpAfterFill) return;
  const session = requireUnlocked();
  if (session.asksReprompt(id)) return;
  let code;
  try {
    code = JSON.parse(session.totp(id)).code;
  } catch {
    return; // no TOTP secret on this item, or one the core cannot read
  }
  if (code) await copyAndClear(code);
}
