// Settings: each control saves at once with setSettings({settings: {<that key>}}); the reply is
// the whole settings object, which is shown again (the worker is the source of truth).
// With a server account (status.account): an Account section (server, e-mail, last sync,
// changes waiting, last error, Sync now, Log out); with a local vault: "Move this vault to a
// server account", which opens the account view.
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, h, iconButton, toast, confirmDialog } from "../dom.js";
import { errorText } from "../messages.js";
import { hostOf } from "../items.js";
import { serverName, pendingText, pendingLostText, whenText, fullDate } from "../account.js";
import * as nav from "../nav.js";

const el = $('[data-view="settings"]');
const autoLock = $("#set-autolock");
const clipboard = $("#set-clipboard");
const strict = $("#set-strict");
const match = $("#set-match");
const pageLoad = $("#set-pageload");
const copyTotp = $("#set-copy-totp");
const serverDomains = $("#set-server-domains");
const offerSave = $("#set-offer-save");
const inlineMenu = $("#set-inline-menu");
const inlineIcon = $("#set-inline-icon");
const neverList = $("#neversave-list");
const neverForm = $("#neversave-form");
const neverInput = $("#neversave-input");
const optList = $("#optout-list");
const optForm = $("#optout-form");
const optInput = $("#optout-input");
const error = $("#settings-error");
const accountSection = $("#account-section");
const moveSection = $("#move-section");
const serverShown = $("#account-server-name");
const emailShown = $("#account-email-shown");
const lastSync = $("#last-sync");
const pendingLine = $("#pending");
const syncError = $("#sync-error");
const syncNow = $("#sync-now");
const logOut = $("#log-out");
const signInAgain = $("#sign-in-again");

const POLL_MS = 1500; // while the worker syncs, ask how it went
const CLOCK_MS = 30_000; // "5 minutes ago" moves on while the view is open

const DEFAULT_MATCH = 0; // domain, as in Bitwarden
let settings = {};

function render(s) {
  settings = s ?? {};
  // `null` auto-lock means never.
  autoLock.value = settings.autoLockMinutes == null ? "never" : String(settings.autoLockMinutes);
  if (autoLock.selectedIndex < 0) autoLock.value = "15";
  // `null` means never; a value set elsewhere (2-3600 s) shows as the nearest longer choice.
  const clear = settings.clearClipboardSeconds;
  clipboard.value = clear == null ? "never" : String([10, 30, 60, 120, 300].find((s) => s >= clear) ?? 300);
  strict.checked = Boolean(settings.strict);
  match.value = String(settings.defaultMatch ?? DEFAULT_MATCH);
  pageLoad.checked = Boolean(settings.fillOnPageLoad);
  copyTotp.checked = Boolean(settings.copyTotpAfterFill);
  serverDomains.checked = Boolean(settings.useServerEquivalentDomains);
  const frag = document.createDocumentFragment();
  for (const host of settings.optOutSites ?? []) {
    const remove = iconButton("x", t("optOutRemove", [host]), { "data-testid": "optout-remove", "data-host": host });
    frag.append(h("li", {}, h("span", { text: host }), remove));
  }
  optList.replaceChildren(frag);
  offerSave.checked = settings.offerToSave !== false;
  inlineMenu.value = settings.inlineMenu ?? "click";
  inlineIcon.checked = settings.inlineIcon !== false;
  const never = document.createDocumentFragment();
  for (const host of settings.neverSaveSites ?? []) {
    const remove = iconButton("x", t("optOutRemove", [host]), { "data-testid": "neversave-remove", "data-host": host });
    never.append(h("li", {}, h("span", { text: host }), remove));
  }
  neverList.replaceChildren(never);
}

async function save(partial) {
  error.textContent = "";
  try {
    const reply = await send("setSettings", { settings: partial });
    render(reply.settings);
    // A worker that does not know a setting drops it: say so instead of "saved".
    if (!Object.keys(partial).every((k) => reply.settings && k in reply.settings)) {
      error.textContent = t("settingNotApplied");
      return false;
    }
    toast(t("settingsSaved"));
    return true;
  } catch (err) {
    error.textContent = errorText(err);
    render(settings); // show what is really in force
    return false;
  }
}

// ---- account ----

let account = null;
let syncing = false; // a syncNow of ours is under way
let timer = 0;

function renderAccount(a) {
  account = a ?? null;
  accountSection.hidden = !account;
  moveSection.hidden = Boolean(account);
  if (!account) return schedule();
  serverShown.textContent = serverName(account.server);
  serverShown.title = account.server ?? "";
  emailShown.textContent = account.email ?? "";
  const busy = syncing || Boolean(account.syncing);
  if (busy) {
    lastSync.textContent = t("syncing");
    lastSync.removeAttribute("title");
  } else if (account.lastSync == null) {
    lastSync.textContent = t("lastSyncNever");
    lastSync.removeAttribute("title");
  } else {
    lastSync.textContent = t("lastSync", [whenText(account.lastSync)]);
    lastSync.title = fullDate(account.lastSync);
  }
  const waiting = pendingText(account.pending);
  pendingLine.textContent = waiting;
  pendingLine.hidden = !waiting;
  syncError.textContent = account.lastError && !busy ? errorText(account.lastError) : "";
  // The server ended this browser's session: offer to sign in again (queued edits are kept).
  signInAgain.hidden = account.lastError?.code !== "logged_out";
  syncNow.setAttribute("aria-disabled", String(busy));
  syncNow.setAttribute("aria-busy", String(busy));
  schedule();
}

// One timer: quick polling while the worker syncs by itself, else a slow clock for the
// relative time. Stopped when the view is left.
function schedule() {
  clearTimeout(timer);
  if (!account || el.hidden) return;
  if (account.syncing && !syncing) timer = setTimeout(refreshAccount, POLL_MS);
  else timer = setTimeout(() => renderAccount(account), CLOCK_MS);
}

async function refreshAccount() {
  try {
    renderAccount((await send("status")).account);
  } catch {
    schedule();
  }
}

// The button stays enabled (a disabled one would drop the keyboard focus): a click while a
// sync runs does nothing.
syncNow.addEventListener("click", async () => {
  if (syncing || account?.syncing || !account) return;
  syncing = true;
  renderAccount(account);
  try {
    const next = (await send("syncNow")).account ?? account;
    syncing = false;
    renderAccount(next);
    if (next && !next.lastError) toast(t("syncDone"));
  } catch (err) {
    syncing = false;
    // No account in the answer: show what status says, with this error if it has none.
    let a = account;
    try {
      a = (await send("status")).account;
    } catch {
      /* keep what was shown */
    }
    renderAccount(a && { ...a, lastError: a.lastError ?? { code: err.code } });
  }
});

logOut.addEventListener("click", async () => {
  if (!account) return;
  const detail = [t("logOutDetail"), pendingLostText(account.pending)].filter(Boolean).join(" ");
  const ok = await confirmDialog({
    text: t("logOutConfirm", [account.email ?? ""]),
    detail,
    ok: t("logOut"),
    danger: true,
    testid: "confirm-log-out",
  });
  if (!ok) return;
  try {
    await send("logOut");
    toast(t("loggedOut"));
    nav.reset("create");
  } catch (err) {
    toast(errorText(err), "error");
  }
});

$("#settings-account").addEventListener("click", () => nav.go("account", { mode: "move" }));
signInAgain.addEventListener("click", () =>
  nav.go("account", { mode: "again", server: account?.server, email: account?.email }),
);

autoLock.addEventListener("change", () =>
  save({ autoLockMinutes: autoLock.value === "never" ? null : Number(autoLock.value) }),
);
clipboard.addEventListener("change", () =>
  save({ clearClipboardSeconds: clipboard.value === "never" ? null : Number(clipboard.value) }),
);
strict.addEventListener("change", () => save({ strict: strict.checked }));
match.addEventListener("change", () => save({ defaultMatch: Number(match.value) }));
pageLoad.addEventListener("change", () => save({ fillOnPageLoad: pageLoad.checked }));
copyTotp.addEventListener("change", () => save({ copyTotpAfterFill: copyTotp.checked }));
serverDomains.addEventListener("change", () => save({ useServerEquivalentDomains: serverDomains.checked }));

offerSave.addEventListener("change", () => save({ offerToSave: offerSave.checked }));
inlineMenu.addEventListener("change", () => save({ inlineMenu: inlineMenu.value }));
inlineIcon.addEventListener("change", () => save({ inlineIcon: inlineIcon.checked }));

neverForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const host = hostOf(neverInput.value);
  if (!host) return neverInput.focus();
  const sites = settings.neverSaveSites ?? [];
  if (sites.includes(host)) {
    neverInput.value = "";
    return;
  }
  if (await save({ neverSaveSites: [...sites, host] })) neverInput.value = "";
});

neverList.addEventListener("click", async (e) => {
  const btn = e.target.closest('[data-testid="neversave-remove"]');
  if (!btn) return;
  await save({ neverSaveSites: (settings.neverSaveSites ?? []).filter((x) => x !== btn.dataset.host) });
  (neverList.querySelector("button") ?? neverInput).focus();
});

optForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const host = hostOf(optInput.value);
  if (!host) {
    error.textContent = t("invalidHost");
    return optInput.focus();
  }
  const sites = settings.optOutSites ?? [];
  if (sites.includes(host)) {
    optInput.value = "";
    return;
  }
  if (await save({ optOutSites: [...sites, host] })) optInput.value = "";
});

optList.addEventListener("click", async (e) => {
  const btn = e.target.closest("[data-host]");
  if (!btn) return;
  await save({ optOutSites: (settings.optOutSites ?? []).filter((x) => x !== btn.dataset.host) });
  (optList.querySelector("button") ?? optInput).focus();
});

$("#settings-lock").addEventListener("click", async () => {
  try {
    await send("lock");
    nav.reset("unlock");
  } catch (err) {
    toast(errorText(err), "error"); // still unlocked: say so rather than pretend
  }
});

export const settingsView = {
  el,
  async enter() {
    error.textContent = "";
    // Hidden until status says which: an account, or a local vault that could move to one.
    accountSection.hidden = true;
    moveSection.hidden = true;
    refreshAccount();
    try {
      render((await send("getSettings")).settings);
    } catch (err) {
      error.textContent = errorText(err);
    }
  },
  leave() {
    clearTimeout(timer);
  },
};
