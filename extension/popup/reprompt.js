// "Ask for the master password again": a modal with one password field. The worker checks the
// password and answers a grant for this one item (`fill`: one fill; `view`: the item view's reads
// for a few minutes). Resolves to the grant, or null when the user cancels.
import { send } from "./api.js";
import { t } from "./i18n.js";
import { h } from "./dom.js";
import { errorText } from "./messages.js";

export function askMasterPassword(itemId, purpose) {
  const input = h("input", {
    type: "password",
    id: "reprompt-password",
    autocomplete: "current-password",
    "data-testid": "reprompt-password",
    "aria-describedby": "reprompt-error",
  });
  const error = h("p", { id: "reprompt-error", class: "error", role: "alert", "data-testid": "reprompt-error" });
  const cancel = h("button", { type: "button", class: "secondary", "data-testid": "reprompt-cancel", text: t("cancel") });
  const ok = h("button", { type: "submit", class: "primary", "data-testid": "reprompt-ok", text: t("repromptOk") });
  const form = h(
    "form",
    { class: "stack" },
    h("p", { id: "reprompt-text", text: t("repromptText") }),
    h("label", { for: "reprompt-password", text: t("masterPassword") }),
    input,
    error,
    h("div", { class: "actions" }, cancel, ok),
  );
  const dlg = h("dialog", { "aria-labelledby": "reprompt-text", "data-testid": "reprompt-dialog" }, form);
  document.body.append(dlg);
  const back = document.activeElement;
  dlg.showModal();
  input.focus();
  return new Promise((resolve) => {
    let grant = null;
    const done = () => dlg.close();
    dlg.addEventListener(
      "close",
      () => {
        input.value = "";
        dlg.remove();
        if (back?.isConnected) back.focus();
        resolve(grant);
      },
      { once: true },
    );
    cancel.addEventListener("click", done);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      ok.disabled = true;
      error.textContent = "";
      try {
        grant = (await send("reprompt", { id: itemId, password: input.value, purpose })).grant;
        done();
      } catch (err) {
        error.textContent = errorText(err);
        input.select();
      } finally {
        ok.disabled = false;
      }
    });
  });
}
