// What the inline menu opened the popup for (docs/extension.md `menuIntent`): Add a login opens
// the new-login form with the page's address; a card or identity picked in the page's menu is
// asked about here, outside the page, and filled only if the user confirms (rule 9).
import { send } from "./api.js";
import { t } from "./i18n.js";
import { toast, confirmDialog } from "./dom.js";
import { errorText, confirmText, refuseText } from "./messages.js";
import * as nav from "./nav.js";

const TYPE_LOGIN = 1;

async function fill(intent, confirmation) {
  const reply = await send("fill", { id: intent.id, tabId: intent.tabId, ...(confirmation ? { confirmation } : {}) });
  if (reply.status === "filled") return toast(t("filled"));
  if (reply.status === "confirm" && !confirmation) {
    const ok = await confirmDialog({
      text: confirmText(reply.reason),
      detail: reply.host ? t("confirmHost", [reply.host]) : "",
      ok: t("fillAnyway"),
      testid: "confirm-fill",
    });
    if (ok) return fill(intent, reply.confirmation);
    return undefined;
  }
  return toast(refuseText(reply.reason), "error");
}

/** Runs once the vault view shows. */
export async function followMenuIntent() {
  let intent;
  try {
    ({ intent } = await send("menuIntent"));
  } catch {
    return;
  }
  if (!intent) return;
  if (intent.kind === "add") {
    nav.go("edit", { type: TYPE_LOGIN, name: intent.host ?? "", uri: intent.uri ?? "" });
  } else if (intent.kind === "fill" && typeof intent.id === "string") {
    const ok = await confirmDialog({
      text: t("menuConfirmFill", [intent.name ?? "", intent.host ?? ""]),
      ok: t("fill"),
      testid: "confirm-menu-fill",
    });
    if (ok) await fill(intent).catch((err) => toast(errorText(err), "error"));
  }
}
