// Unlock: one password field, autofocused; a wrong password is said plainly and selected.
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $ } from "../dom.js";
import { errorText } from "../messages.js";
import * as nav from "../nav.js";

const el = $('[data-view="unlock"]');
const form = $("#unlock-form");
const pw = $("#unlock-password");
const error = $("#unlock-error");
const submit = $('[data-testid="unlock-submit"]');

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!pw.value) return pw.focus();
  error.textContent = "";
  submit.disabled = true;
  submit.textContent = t("unlocking");
  try {
    await send("unlock", { password: pw.value });
    pw.value = "";
    nav.reset("vault");
  } catch (err) {
    error.textContent = errorText(err);
    pw.setAttribute("aria-invalid", "true");
    pw.focus();
    pw.select();
  } finally {
    submit.disabled = false;
    submit.textContent = t("unlockSubmit");
  }
});

pw.addEventListener("input", () => pw.removeAttribute("aria-invalid"));

export const unlockView = {
  el,
  enter({ message } = {}) {
    error.textContent = message ?? "";
  },
  leave() {
    pw.value = "";
  },
};
