// The edit form's identity fields, built from the table the item view shows (identity.js): one
// labelled input each, document numbers masked with a reveal toggle. Text the user did not change
// goes back exactly as it came; changed text is trimmed, and empty is null.
import { $, h, iconButton } from "../dom.js";
import { t } from "../i18n.js";
import { IDENTITY_GROUPS, IDENTITY_FIELDS } from "../identity.js";

const part = $("#edit-identity");
const inputId = (key) => `edit-identity-${key}`;
const loadedText = new Map(); // key → the text shown when the form was filled

function fieldRow({ key, label, secret, input }) {
  const id = inputId(key);
  const el = h("input", {
    id,
    type: secret ? "password" : input ?? "text",
    autocomplete: "off",
    spellcheck: "false",
    class: secret ? "mono" : null,
    "data-testid": id,
  });
  const control = secret
    ? h(
        "div",
        { class: "input-row" },
        el,
        iconButton("eye", t("showWhat", [label()]), { "aria-pressed": "false", "data-reveal": id, "data-reveal-what": label() }),
      )
    : el;
  return h("div", { class: "field" }, h("label", { for: id, text: label() }), control);
}

for (const g of IDENTITY_GROUPS) {
  part.append(h("fieldset", { class: "plain stack form-group" }, h("legend", { text: g.heading() }), g.fields.map(fieldRow)));
}

/** Shows an identity's values (an empty form for null). */
export function fillIdentity(identity) {
  for (const { key } of IDENTITY_FIELDS) {
    const text = identity?.[key] ?? "";
    $(`#${inputId(key)}`).value = text;
    loadedText.set(key, text);
  }
}

/** The identity to save: `base` (the item's, with keys this form does not show) updated. */
export function collectIdentity(base) {
  const out = { ...(base ?? {}) };
  for (const { key } of IDENTITY_FIELDS) {
    const now = $(`#${inputId(key)}`).value;
    if (base && now === loadedText.get(key)) continue;
    const trimmed = now.trim();
    out[key] = trimmed === "" ? null : trimmed;
  }
  return out;
}
