// Server-account helpers shared by the account, settings, vault and unlock views: the server
// presets, and the texts made from `status.account` ({server, email, lastSync, pending,
// syncing, lastError, unsynced, keptBoth}; docs/extension.md).
import { t, uiLocale } from "./i18n.js";

export const BITWARDEN_US = "https://vault.bitwarden.com";
export const BITWARDEN_EU = "https://vault.bitwarden.eu";

const PRESETS = new Map([
  [BITWARDEN_US, () => t("serverBitwardenUs")],
  [BITWARDEN_EU, () => t("serverBitwardenEu")],
]);

/** "Bitwarden (EU)" for a preset, else the address without its scheme ("vw.example.org/sub"). */
export function serverName(server) {
  const text = String(server ?? "").replace(/\/+$/, "");
  const preset = PRESETS.get(text.toLowerCase());
  if (preset) return preset();
  return text.replace(/^https:\/\//i, "");
}

/**
 * The address a user typed for a self-hosted server, as the worker wants it ({url}), or what is
 * wrong with it ({error}: a sentence).
 * Same rules as the core (src/api/urls.rs): https, or http for this machine only; no user
 * name, query or fragment; a bare host gets https://.
 */
export function parseServerUrl(input) {
  const text = String(input ?? "").trim();
  if (!text) return { error: t("accountUrlMissing") };
  let url;
  try {
    url = new URL(text.includes("://") ? text : `https://${text}`);
  } catch {
    return { error: t("accountUrlInvalid") };
  }
  if (url.username || url.password || url.search || url.hash || !url.hostname) return { error: t("accountUrlInvalid") };
  const local = /^(localhost|127(\.\d+){3}|\[::1\])$/i.test(url.hostname);
  if (url.protocol === "http:" && !local) return { error: t("accountUrlHttp") };
  if (url.protocol !== "https:" && url.protocol !== "http:") return { error: t("accountUrlInvalid") };
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}

/** Picks the singular or plural message for a count, by the shown language's plural rules. */
function plural(n, one, other) {
  return new Intl.PluralRules(uiLocale()).select(n) === "one" ? one() : other();
}

/** "2 changes waiting to be sent"; "" when nothing waits. */
export function pendingText(n) {
  const count = Number(n) || 0;
  if (count <= 0) return "";
  return plural(
    count,
    () => t("pendingOne", [String(count)]),
    () => t("pendingMany", [String(count)]),
  );
}

/** "2 changes not synced" (the edits the server did not store); "" when none. */
export function unsyncedText(n) {
  const count = Number(n) || 0;
  if (count <= 0) return "";
  return plural(
    count,
    () => t("unsyncedOne", [String(count)]),
    () => t("unsyncedMany", [String(count)]),
  );
}

/** "1 change not yet sent will be lost."; "" when nothing waits. */
export function pendingLostText(n) {
  const count = Number(n) || 0;
  if (count <= 0) return "";
  return plural(
    count,
    () => t("logOutPendingOne", [String(count)]),
    () => t("logOutPendingMany", [String(count)]),
  );
}

/** The toast after a sign-in: "Signed in; 3 items moved" (just "Signed in" when none moved). */
export function signedInText(moved) {
  const count = Number(moved) || 0;
  if (count <= 0) return t("accountSignedIn");
  return plural(
    count,
    () => t("accountSignedInMovedOne", [String(count)]),
    () => t("accountSignedInMovedMany", [String(count)]),
  );
}

const UNITS = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
];

/** "5 minutes ago", "yesterday"; past a week, the date and time. */
export function whenText(ms, now = Date.now()) {
  const locale = uiLocale();
  let diff = Math.max(0, (now - ms) / 1000); // a clock a little ahead still says "now"
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (diff < 45) return rtf.format(0, "second");
  for (const [unit, size] of UNITS) {
    if (diff < size) return rtf.format(-Math.round(diff), unit);
    diff /= size;
  }
  return fullDate(ms);
}

export function fullDate(ms) {
  return new Date(ms).toLocaleString(uiLocale(), { dateStyle: "medium", timeStyle: "short" });
}
