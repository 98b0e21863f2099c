// Account: sign in to a Bitwarden, Vaultwarden or Cozy account (`addAccount`), on first run or
// to move the local vault there (params.mode "move": its items are uploaded, the account becomes
// the source of truth). Step 1: server, e-mail, master password. Step 2, when the server answers
// `two_factor_required` with `error.providers`: a code from the authenticator app (0) or sent by
// e-mail (1, `sendEmailCode`), "remember this device"; `addAccount` again with `twoFactor`.
// Between the steps the server, e-mail and password live only in this module, and only while
// the view is open: leaving it, or signing in, forgets them (never in any storage).
// A `kdf_downgrade` answer (the server asks for weaker key-derivation settings than this device
// used last time) shows a warning and a button that sends the same request again with
// `confirmWeakerKdf: true`; the choice holds for this sign-in only.
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, toast, setRevealed } from "../dom.js";
import { signInErrorText } from "../messages.js";
import { parseServerUrl, signedInText } from "../account.js";
import * as nav from "../nav.js";

const PROVIDER_APP = 0;
const PROVIDER_EMAIL = 1;
const CODE = /^\d{6,8}$/; // authenticator codes have 6 digits; e-mailed ones 6 (up to 8 on Vaultwarden)

const el = $('[data-view="account"]');
const title = $("#account-title");
const intro = $("#account-intro");
const form = $("#account-form");
const step1 = $("#account-step1");
const step2 = $("#account-step2");
const serverSelect = $("#account-server");
const urlField = $("#account-url-field");
const urlInput = $("#account-url");
const email = $("#account-email");
const password = $("#account-password");
const reveal = $('[data-reveal="account-password"]');
const twoIntro = $("#account-2fa-intro");
const methods = $("#account-methods");
const codeLabel = $("#account-code-label");
const code = $("#account-code");
const resend = $("#account-resend");
const remember = $("#account-remember");
const error = $("#account-error");
const restart = $("#account-restart");
const submit = $("#account-submit");
const kdfConfirm = $("#account-kdf-confirm");

let mode = "first"; // "first" (no vault yet) or "move" (the unlocked local vault moves)
let pending = null; // {server, email, password} between step 1 and step 2
let provider = PROVIDER_APP;
let emailSent = false; // a code was asked for by e-mail in this step 2
let busy = false;
let generation = 0; // bumped on leave: a late answer for a closed view only lands if it succeeded
let confirmWeakerKdf = false; // the user accepted weaker KDF settings for this sign-in
let refused = null; // the request refused with kdf_downgrade, to send again once confirmed

function submitLabel() {
  if (pending) return t("accountVerify");
  return { move: t("accountMoveSubmit"), again: t("accountAgainSubmit") }[mode] ?? t("accountSubmit");
}

function setBusy(on) {
  busy = on;
  form.setAttribute("aria-busy", String(on));
  submit.disabled = on;
  resend.disabled = on;
  submit.textContent = on ? t("accountSigningIn") : submitLabel();
}

function showError(text, field) {
  error.textContent = text;
  kdfConfirm.hidden = true;
  for (const input of [urlInput, email, password, code]) input.removeAttribute("aria-invalid");
  if (field) {
    field.setAttribute("aria-invalid", "true");
    field.focus();
    field.select?.();
  }
}

function syncServerChoice() {
  urlField.hidden = serverSelect.value !== "custom";
}

function resetForm() {
  pending = null;
  confirmWeakerKdf = false;
  refused = null;
  emailSent = false;
  serverSelect.value = serverSelect.options[0].value;
  urlInput.value = "";
  email.value = "";
  password.value = "";
  code.value = "";
  remember.checked = false;
  setRevealed(reveal, password, false);
  syncServerChoice();
  showStep(1);
  showError("");
}

function showStep(n) {
  step1.hidden = n !== 1;
  step2.hidden = n !== 2;
  restart.hidden = n !== 2;
  intro.hidden = n !== 1; // step 2 starts at the top: the code is what matters now
  submit.textContent = submitLabel();
}

/** Step 1's fields, checked: {server, email, password}, or null after saying what is wrong. */
function readStep1() {
  let server = serverSelect.value;
  if (server === "custom") {
    const parsed = parseServerUrl(urlInput.value);
    if (parsed.error) {
      showError(parsed.error, urlInput);
      return null;
    }
    server = parsed.url;
  }
  const address = email.value.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
    showError(t("accountEmailInvalid"), email);
    return null;
  }
  if (!password.value) {
    showError(t("accountPasswordMissing"), password);
    return null;
  }
  return { server, email: address, password: password.value };
}

// ---- step 2: two-step login ----

function chooseProvider(p) {
  provider = p;
  for (const radio of methods.querySelectorAll("input")) radio.checked = Number(radio.value) === p;
  const byEmail = p === PROVIDER_EMAIL;
  codeLabel.textContent = byEmail ? t("accountCodeEmail") : t("accountCodeApp");
  resend.hidden = !byEmail;
  twoIntro.textContent = byEmail ? t("account2faIntroEmail", [pending.email]) : t("account2faIntroApp");
  // Vaultwarden (for current clients) and Bitwarden wait to be asked before they mail a code;
  // Cozy mails one by itself when it refuses the login, so a failure here is not reported.
  if (byEmail && !emailSent) {
    emailSent = true;
    send("sendEmailCode", withConfirm(pending)).catch(() => {});
  }
}

function enterStep2(offered) {
  const usable = [PROVIDER_APP, PROVIDER_EMAIL].filter((p) => offered.includes(p));
  if (!usable.length) {
    // WebAuthn, Duo, YubiKey…: not here (yet). Stay on step 1 and say what would work.
    pending = null;
    showError(t("account2faUnsupported"));
    return;
  }
  methods.hidden = usable.length < 2;
  code.value = "";
  remember.checked = false;
  showStep(2);
  chooseProvider(usable[0]);
  showError("");
  code.focus();
}

methods.addEventListener("change", (e) => {
  if (e.target.name === "provider") chooseProvider(Number(e.target.value));
});

resend.addEventListener("click", async () => {
  if (busy || !pending) return;
  resend.disabled = true;
  showError("");
  try {
    await send("sendEmailCode", withConfirm(pending));
    emailSent = true;
    toast(t("accountCodeSent", [pending.email]));
    code.focus();
  } catch (err) {
    showError(signInErrorText(err));
  } finally {
    resend.disabled = busy;
  }
});

restart.addEventListener("click", () => {
  pending = null;
  showStep(1);
  showError("");
  password.focus();
  password.select();
});

// ---- submit: addAccount, with the second factor on step 2 ----

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (busy) return;
  let request;
  if (!pending) {
    const fields = readStep1();
    if (!fields) return;
    request = fields;
  } else {
    const token = code.value.replace(/\s+/g, "");
    if (!CODE.test(token)) return showError(t("accountCodeInvalid"), code);
    request = { ...pending, twoFactor: { provider, token, remember: remember.checked } };
  }
  signIn(request);
});

kdfConfirm.addEventListener("click", () => {
  if (busy || !refused) return;
  confirmWeakerKdf = true;
  signIn(refused);
});

/** The request with the user's acceptance of weaker KDF settings, once given. */
function withConfirm(fields) {
  return confirmWeakerKdf ? { ...fields, confirmWeakerKdf: true } : fields;
}

async function signIn(fields) {
  const request = withConfirm(fields);
  refused = null;
  showError("");
  setBusy(true);
  const mine = generation;
  try {
    const reply = await send("addAccount", request);
    // Signed in: the state changed whatever the popup shows now.
    const moved = reply.moved;
    nav.reset("vault");
    toast(signedInText(moved));
  } catch (err) {
    if (mine !== generation) return; // the view was left meanwhile
    onError(err, request);
  } finally {
    if (mine === generation) setBusy(false);
  }
}

function onError(err, request) {
  if (err.code === "kdf_downgrade") {
    refused = request;
    showError(signInErrorText(err));
    kdfConfirm.hidden = false;
    return;
  }
  const onStep2 = Boolean(request.twoFactor);
  if (err.code === "two_factor_required") {
    if (!onStep2) {
      pending = { server: request.server, email: request.email, password: request.password };
      return enterStep2(Array.isArray(err.providers) ? err.providers.map(Number) : []);
    }
    // Asked again: the code was refused (Bitwarden "Two-step token is invalid").
    return showError(t("errTwoFactorInvalid"), code);
  }
  if (onStep2 && err.code === "wrong_password") {
    // The password already passed step 1: what the server refuses now is the code.
    return showError(t("errTwoFactorInvalid"), code);
  }
  const field = {
    wrong_password: password,
    unknown_server: serverSelect.value === "custom" ? urlInput : null,
    tls: serverSelect.value === "custom" ? urlInput : null,
  }[err.code];
  if (onStep2 && field) {
    // Something about step 1 after all: go back there, keeping what was typed.
    pending = null;
    showStep(1);
  }
  showError(signInErrorText(err), onStep2 && !field ? null : field);
}

// The address field comes next in the Tab order; focus is not moved there, since arrow keys on
// a closed <select> fire `change` at every step.
serverSelect.addEventListener("change", syncServerChoice);

export const accountView = {
  el,
  enter({ mode: m = "first", server, email: address } = {}) {
    mode = ["move", "again"].includes(m) ? m : "first";
    title.textContent = { move: t("accountMoveTitle"), again: t("accountAgainTitle") }[mode] ?? t("accountTitle");
    intro.textContent = { move: t("accountMoveIntro"), again: t("accountAgainIntro") }[mode] ?? t("accountIntro");
    resetForm();
    if (mode === "again") {
      // The same account as before: its server and e-mail, only the password to type.
      const preset = [...serverSelect.options].find((o) => o.value === server);
      serverSelect.value = preset ? server : "custom";
      if (!preset) urlInput.value = server ?? "";
      syncServerChoice();
      email.value = address ?? "";
      password.focus();
    }
    setBusy(false);
  },
  leave() {
    generation++;
    resetForm();
    busy = false;
  },
};
