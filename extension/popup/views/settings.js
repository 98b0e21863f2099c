// Settings: each control saves at once with setSettings({settings: {<that key>}}); the reply is
// the whole settings object, which is shown again (the worker is the source of truth).
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, h, iconButton, toast } from "../dom.js";
import { errorText } from "../messages.js";
import { hostOf } from "../items.js";
import * as nav from "../nav.js";

const el = $('[data-view="settings"]');
const autoLock = $("#set-autolock");
const strict = $("#set-strict");
const match = $("#set-match");
const pageLoad = $("#set-pageload");
const optList = $("#optout-list");
const optForm = $("#optout-form");
const optInput = $("#optout-input");
const error = $("#settings-error");

const DEFAULT_MATCH = 0; // domain, as in Bitwarden
let settings = {};

function render(s) {
  settings = s ?? {};
  // `null` auto-lock means never.
  autoLock.value = settings.autoLockMinutes == null ? "never" : String(settings.autoLockMinutes);
  if (autoLock.selectedIndex < 0) autoLock.value = "15";
  strict.checked = Boolean(settings.strict);
  match.value = String(settings.defaultMatch ?? DEFAULT_MATCH);
  pageLoad.checked = Boolean(settings.fillOnPageLoad);
  const frag = document.createDocumentFragment();
  for (const host of settings.optOutSites ?? []) {
    const remove = iconButton("x", t("optOutRemove", [host]), { "data-testid": "optout-remove", "data-host": host });
    frag.append(h("li", {}, h("span", { text: host }), remove));
  }
  optList.replaceChildren(frag);
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

autoLock.addEventListener("change", () =>
  save({ autoLockMinutes: autoLock.value === "never" ? null : Number(autoLock.value) }),
);
strict.addEventListener("change", () => save({ strict: strict.checked }));
match.addEventListener("change", () => save({ defaultMatch: Number(match.value) }));
pageLoad.addEventListener("change", () => save({ fillOnPageLoad: pageLoad.checked }));

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
    try {
      render((await send("getSettings")).settings);
    } catch (err) {
      error.textContent = errorText(err);
    }
  },
};
