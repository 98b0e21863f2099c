// Every visible string comes from the _locales files through chrome.i18n; none is written in code.
// HTML carries keys in data-i18n (text), data-i18n-placeholder, data-i18n-aria-label and
// data-i18n-title; translate() fills them once at startup (and inside <template>s).

/** The message for `key` ($1… from `subs`). A missing key shows itself, so it is noticed. */
export function t(key, subs) {
  return chrome.i18n.getMessage(key, subs) || key;
}

const ATTRS = [
  ["i18nPlaceholder", "placeholder"],
  ["i18nAriaLabel", "aria-label"],
  ["i18nTitle", "title"],
];

export function translate(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const [data, attr] of ATTRS) {
    const sel = `[data-${data.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}]`;
    for (const el of root.querySelectorAll(sel)) el.setAttribute(attr, t(el.dataset[data]));
  }
  for (const tpl of root.querySelectorAll("template")) translate(tpl.content);
  if (root === document) {
    // The language of the strings shown, which is not always the browser's: a browser in a
    // language we do not ship gets the default locale, and on Linux `--lang` changes the
    // messages while getUILanguage() keeps answering the system's language.
    document.documentElement.lang = t("localeCode");
    document.documentElement.dir = chrome.i18n.getMessage("@@bidi_dir") || "ltr";
  }
}

/**
 * The locale for dates, relative times, lists and plurals: the browser's UI language
 * (chrome.i18n.getUILanguage(), e.g. "en-GB" for its date order) when it is a variant of the
 * language the strings are shown in, else that language, so a sentence never mixes two.
 */
export function uiLocale() {
  const shown = t("localeCode");
  let ui = "";
  try {
    ui = chrome.i18n.getUILanguage?.() ?? "";
  } catch {
    /* no UI language: use the strings' */
  }
  const ok = (tag) => {
    try {
      return Intl.getCanonicalLocales(tag)[0];
    } catch {
      return null;
    }
  };
  const uiTag = ok(ui);
  if (uiTag && uiTag.split("-")[0].toLowerCase() === shown.split("-")[0].toLowerCase()) return uiTag;
  return ok(shown) ?? "en";
}
