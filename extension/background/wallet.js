// Cards and identities for a tab: which the page's fields could take (the core reads the frames'
// page details), and the context menu's "Fill card" / "Fill identity", which fill the next one
// for the tab, cycling on repeated use as the shortcut does for logins.
import { requireUnlocked } from "./vault.js";
import { KEYS } from "./storage.js";
import { fillTab, tabRequest } from "./fill.js";

export const TYPE_CARD = 3;
export const TYPE_IDENTITY = 4;

/** List rows (no secrets) of the cards and identities the tab's fields could take; none for a
 *  page that is not http(s). */
export async function tabWallet(tab) {
  return (await collectWallet(tab, "popup")).rows;
}

/** The tab's frames, collected once, and the wallet rows the core reads from them. */
async function collectWallet(tab, trigger) {
  const session = requireUnlocked();
  if (!/^https?:/.test(tab.url ?? "")) return { rows: [], request: null };
  const request = await tabRequest(tab, trigger);
  return { rows: JSON.parse(session.walletRows(JSON.stringify(request))), request };
}

/** Fills the next card (`type` 3) or identity (4) the tab could take. */
export async function fillWallet(tab, type, trigger) {
  const { rows: all, request } = await collectWallet(tab, trigger);
  const rows = all.filter((r) => r.type === type);
  if (rows.length === 0) return { status: "refused", reason: "no_match" };
  const key = `${KEYS.cycle}.${type}`;
  const last = (await chrome.storage.session.get(key))[key];
  const again = last && last.tabId === tab.id && last.url === tab.url && Date.now() - last.at < 30_000;
  const index = again ? (last.index + 1) % rows.length : 0;
  await chrome.storage.session.set({ [key]: { tabId: tab.id, url: tab.url, index, at: Date.now() } });
  // The frames just collected are planned too: one collect per gesture.
  return fillTab({ tabId: tab.id, id: rows[index].id, trigger, collected: request });
}
