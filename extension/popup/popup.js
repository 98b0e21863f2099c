// Keyfill popup (the action's default_popup). Views, one <section data-view> each in popup.html:
//   loading   – until `status` answers (or the worker cannot be reached)
//   create    – views/create.js    first run: master password, strength, KDF → createVault
//   unlock    – views/unlock.js    master password → unlock
//   vault     – views/vault.js     items for this tab (Fill), search + filters + folder select
//   item      – views/item.js      one item: copy/reveal/open, TOTP, favourite, trash/restore/purge
//   edit      – views/edit.js      add/edit login, secure note, card → saveItem
//   generator – views/generator.js password generator (optionally "use this password")
//   settings  – views/settings.js  auto-lock, strict mode, default match, opt-outs, lock now
//   folders   – views/folders.js   new / rename / delete folders
//   account   – views/account.js   sign in to a Bitwarden / Vaultwarden / Cozy account (first run,
//                                  or moving the local vault there), with two-step login
// Navigation is a stack (nav.js); Escape goes back. Worker messages: api.js, docs/extension.md.
// Test hook: popup.html?tabId=N targets tab N (tabItems, fill) instead of the active tab and
// keeps the page open after a fill.
import { send, onLocked } from "./api.js";
import { translate } from "./i18n.js";
import { $, toggleReveal } from "./dom.js";
import { errorText } from "./messages.js";
import * as nav from "./nav.js";
import { createView } from "./views/create.js";
import { unlockView } from "./views/unlock.js";
import { vaultView } from "./views/vault.js";
import { itemView } from "./views/item.js";
import { editView } from "./views/edit.js";
import { generatorView } from "./views/generator.js";
import { settingsView } from "./views/settings.js";
import { foldersView } from "./views/folders.js";
import { accountView } from "./views/account.js";
import { followMenuIntent } from "./menu-intent.js";

translate();

nav.register("loading", { el: $('[data-view="loading"]') });
nav.register("create", createView);
nav.register("unlock", unlockView);
nav.register("vault", vaultView);
nav.register("item", itemView);
nav.register("edit", editView);
nav.register("generator", generatorView);
nav.register("settings", settingsView);
nav.register("folders", foldersView);
nav.register("account", accountView);

const query = new URLSearchParams(location.search);
if (query.has("tabId")) vaultView.setTabId(Number(query.get("tabId")));

// Auto-lock can strike while the popup is open: any `locked` answer brings back the unlock screen.
onLocked(() => {
  if (nav.current() !== "unlock") nav.reset("unlock");
});

document.addEventListener("click", (e) => {
  const reveal = e.target.closest("[data-reveal]");
  if (reveal) return toggleReveal(reveal);
  if (e.target.closest('[data-action="back"]')) nav.back();
});

// Escape goes back one view (an open dialog handles its own Escape).
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || e.defaultPrevented || $("#dialog").open) return;
  if (nav.back()) e.preventDefault();
});

const STATE_VIEWS = { empty: "create", locked: "unlock", unlocked: "vault" };

async function start() {
  $("#loading-error").textContent = "";
  $("#loading-retry").hidden = true;
  $("#loading-text").hidden = false;
  try {
    const open = vaultView.prefetch();
    const asked = send("status");
    // Whichever answers first: search rows (the vault is open) or the state itself.
    const { state, account = null } = await Promise.race([
      asked,
      open.then((yes) => (yes ? { state: "unlocked" } : asked)),
    ]);
    const view = STATE_VIEWS[state] ?? "unlock";
    nav.reset(view, view === "unlock" ? { account } : {});
    // Opened by the page's inline menu: Add a login, or a card to confirm.
    if (view === "vault") followMenuIntent();
  } catch (err) {
    $("#loading-text").hidden = true;
    $("#loading-error").textContent = errorText(err);
    $("#loading-retry").hidden = false;
    $("#loading-retry").focus();
  }
}

$("#loading-retry").addEventListener("click", start);
nav.reset("loading");
start();
