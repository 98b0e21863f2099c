// Unlock: one password field, autofocused; a wrong password is said plainly and selected.
// With a server account, its e-mail and server are shown (the unlock itself is the same).
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $ } from "../dom.js";
import { errorText } from "../messages.js";
import { serverName } from "../account.js";
import * as nav from "../nav.js";

const el = $('[data-view="unlock"]');
const form = $("#unlock-form");
const pw = $("#unlock-password");
const error = $("#unlock-error");
const submit = $('[data-testid="unlock-submit"]');
const accountLine = $("#unlock-account");

function showAccount(account) {
  accountLine.hidden = !account?.email;
  accountLine.textContent = account?.email
    ? t("unlockAccount", [account.email, serverName(account.server)])
    : "";
}

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
  /** `account`: status.account when the caller has it (else it is asked for). */
  enter({ message, account } = {}) {
    error.textContent = message ?? "";
    if (account !== undefined) return showAccount(account);
    send("status")
      .then((reply) => showAccount(reply.account))
      .catch(() => showAccount(null));
  },
  leave() {
    pw.value = "";
  },
};
