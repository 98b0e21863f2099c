// Texts for codes that come from the worker (errors, fill confirm/refuse reasons, strength).
// Each entry is a thunk calling t() with a literal key so the locale test can see every key used.
import { t } from "./i18n.js";

const ERRORS = {
  wrong_password: () => t("errWrongPassword"),
  decrypt_failed: () => t("errDecryptFailed"),
  malformed: () => t("errMalformed"),
  unsupported: () => t("errUnsupported"),
  kdf_rejected: () => t("errKdfRejected"),
  key_rejected: () => t("errKeyRejected"),
  wrong_key_type: () => t("errWrongKeyType"),
  locked: () => t("errLocked"),
  not_found: () => t("errNotFound"),
  platform: () => t("errPlatform"),
  unknown_message: () => t("errUnknownMessage"),
  forbidden: () => t("errForbidden"),
  bad_request: () => t("errBadRequest"),
  no_tab: () => t("errNoTab"),
  unavailable: () => t("errUnavailable"),
  internal: () => t("errInternal"),
  vault_exists: () => t("errVaultExists"),
  no_vault: () => t("errNoVault"),
  weak_password: () => t("errWeakPassword"),
  reprompt_required: () => t("errRepromptRequired"),
  // Server accounts (addAccount, sendEmailCode, syncNow; status.account.lastError).
  two_factor_required: () => t("errTwoFactorRequired"),
  server_unreachable: () => t("errServerUnreachable"),
  unknown_server: () => t("errUnknownServer"),
  tls: () => t("errTls"),
  account_locked: () => t("errAccountLocked"),
  server: () => t("errServer"),
};

/** A user-facing sentence for an Error thrown by api.send (or anything else). */
export function errorText(err) {
  const code = err?.code;
  return ERRORS[code]?.() ?? t("errGeneric", [String(code || err?.message || "?")]);
}

// While signing in, some codes mean something more precise than elsewhere: no offline copy
// exists yet, the password may be the account's rather than this vault's, the KDF settings
// come from the server.
const SIGN_IN = {
  wrong_password: () => t("errAccountWrongPassword"),
  server_unreachable: () => t("errAccountUnreachable"),
  kdf_rejected: () => t("errAccountKdfRejected"),
  kdf_downgrade: () => t("errAccountKdfDowngrade"),
};

/** errorText for the answers of addAccount and sendEmailCode. */
export function signInErrorText(err) {
  return SIGN_IN[err?.code]?.() ?? errorText(err);
}

const CONFIRM = {
  insecure: () => t("confirmInsecure"),
  formAction: () => t("confirmFormAction"),
  unmatched: () => t("confirmUnmatched"),
  otherOriginFrame: () => t("confirmOtherOriginFrame"),
};

export function confirmText(reason) {
  return CONFIRM[reason]?.() ?? t("confirmGeneric");
}

const REFUSE = {
  no_fields: () => t("refuseNoFields"),
  frame_origin: () => t("refuseFrameOrigin"),
  opaque_origin: () => t("refuseOpaqueOrigin"),
  page_load_restricted: () => t("refusePageLoad"),
  locked: () => t("refuseLocked"),
  not_login: () => t("refuseNotLogin"),
  sign_up_form: () => t("refuseSignUpForm"),
  // Worker-side reasons (extension/background/fill.js).
  opted_out: () => t("refuseOptedOut"),
  no_match: () => t("refuseNoMatch"),
  frame_changed: () => t("refuseFrameChanged"),
  fields_changed: () => t("refuseFrameChanged"),
  origin_changed: () => t("refuseOriginChanged"),
  confirmation_expired: () => t("refuseConfirmationExpired"),
  reprompt: () => t("refuseReprompt"),
  reprompt_required: () => t("refuseReprompt"),
};

export function refuseText(reason) {
  return REFUSE[reason]?.() ?? t("refuseGeneric");
}

const STRENGTH = [
  () => t("strength0"),
  () => t("strength1"),
  () => t("strength2"),
  () => t("strength3"),
  () => t("strength4"),
];

export function strengthText(score) {
  return STRENGTH[Math.max(0, Math.min(4, score | 0))]();
}
