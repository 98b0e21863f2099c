// The save prompt's choice in the popup (docs/extension.md "Save prompt"): when the active tab
// has a capture waiting (the toolbar badge says so), the vault view shows what the bar would —
// Save or Update, Never for this site, dismiss — for when the page hid the bar or it could not
// be drawn. The worker decides again from the capture it holds; the popup sends only the answer.
import { send } from "./api.js";
import { $ } from "./dom.js";
import { errorText } from "./messages.js";

const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
let tabId = null;

function render(s) {
  const box = $("#save-offer");
  const kind = s?.state;
  box.hidden = kind !== "save" && kind !== "update";
  if (box.hidden) return;
  $("#save-offer-title").textContent = t(kind === "save" ? "promptSaveTitle" : "promptUpdateTitle");
  $("#save-offer-site").textContent = s.host ?? "";
  $("#save-offer-user").textContent = s.username || t("promptNoUsername");
  $("#save-offer-save").textContent = t(kind === "save" ? "promptSave" : "promptUpdate");
  $("#save-offer-note").textContent = "";
}

const withTab = (fields = {}) => (tabId == null ? fields : { ...fields, tabId });

/** Shows the active tab's waiting offer, if any (`id`: the tab under test, else the active one). */
export async function showSaveOffer(id) {
  tabId = id ?? null;
  const reply = await send("pendingSave", withTab()).catch(() => null);
  render(reply);
}

async function answer(kind) {
  try {
    await send("answerPendingSave", withTab({ answer: kind }));
    $("#save-offer").hidden = true;
  } catch (err) {
    $("#save-offer-note").textContent = errorText(err);
  }
}

$("#save-offer-save").addEventListener("click", () => answer("save"));
$("#save-offer-never").addEventListener("click", () => answer("never"));
$("#save-offer-close").addEventListener("click", () => answer("close"));
