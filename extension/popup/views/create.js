// Create vault: master password twice, live strength (debounced `strength`), KDF choice; or
// "Use a server account", which opens the account view instead.
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $ } from "../dom.js";
import { errorText, strengthText } from "../messages.js";
import * as nav from "../nav.js";

const MIN_LENGTH = 8;
const STRENGTH_DELAY_MS = 150;

const el = $('[data-view="create"]');
const form = $("#create-form");
const pw = $("#create-password");
const confirmPw = $("#create-confirm");
const meter = $("#strength-meter");
const meterText = $("#strength-text");
const box = $('[data-testid="strength"]');
const error = $("#create-error");
const submit = $('[data-testid="create-submit"]');

let strengthTimer = 0;
let strengthSeq = 0;

function showStrength(score) {
  meter.value = score ?? 0;
  meterText.textContent = score == null ? "" : strengthText(score);
  box.dataset.score = score ?? "";
}

// Debounced: the estimator is cheap but there is no point asking on every keystroke.
pw.addEventListener("input", () => {
  clearTimeout(strengthTimer);
  const mine = ++strengthSeq;
  if (!pw.value) return showStrength(null);
  strengthTimer = setTimeout(async () => {
    try {
      const { score } = await send("strength", { password: pw.value });
      if (mine === strengthSeq) showStrength(score);
    } catch {
      if (mine === strengthSeq) showStrength(null);
    }
  }, STRENGTH_DELAY_MS);
});

$("#create-account").addEventListener("click", () => nav.go("account", { mode: "first" }));

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  error.textContent = "";
  if (pw.value.length < MIN_LENGTH) {
    error.textContent = t("createTooShort");
    return pw.focus();
  }
  if (pw.value !== confirmPw.value) {
    error.textContent = t("createMismatch");
    return confirmPw.focus();
  }
  const kdf = form.elements.kdf.value || "pbkdf2";
  submit.disabled = true;
  submit.textContent = t("creating");
  try {
    await send("createVault", { password: pw.value, kdf });
    form.reset();
    showStrength(null);
    nav.reset("vault");
  } catch (err) {
    error.textContent = errorText(err);
  } finally {
    submit.disabled = false;
    submit.textContent = t("createSubmit");
  }
});

export const createView = {
  el,
  enter() {
    error.textContent = "";
  },
  leave() {
    clearTimeout(strengthTimer);
    strengthSeq++;
  },
};
