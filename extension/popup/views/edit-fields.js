// The edit form's custom fields: one row per field (name, and a value control by type: text,
// masked hidden text with a reveal toggle, a checkbox, or a select of the item's own fields for a
// linked one), added by type, moved up and down, removed. Each row keeps the field it was loaded
// from, so what the user did not touch goes back exactly as it came (value, type, `linkedId`,
// keys this editor does not know).
import { t } from "../i18n.js";
import { $, h, iconButton } from "../dom.js";
import { FIELD_TEXT, FIELD_HIDDEN, FIELD_BOOLEAN, FIELD_LINKED, FIELD_TYPES, linkedTargets } from "../custom-fields.js";

const list = $("#edit-fields");
const typeSelect = $("#edit-field-type");
let itemType = 0;
let rowSeq = 0;

for (const { type, label } of FIELD_TYPES) typeSelect.append(h("option", { value: String(type), text: label() }));

// Fields of a row, kept off the DOM: the field as loaded and the control's value at load time.
const rows = new WeakMap();

function linkedOptions(select, keep) {
  const targets = linkedTargets(itemType);
  const options = targets.map(({ id, label }) => h("option", { value: String(id), text: label }));
  // A number this item type does not have (another client's, or a type changed elsewhere) stays
  // selectable, so saving does not change it.
  if (keep != null && !targets.some((x) => x.id === keep)) {
    options.push(h("option", { value: String(keep), text: t("linkedUnknown", [String(keep)]) }));
  }
  select.replaceChildren(...options);
  if (keep != null) select.value = String(keep);
}

function valueControl(type, field, id) {
  if (type === FIELD_BOOLEAN) {
    const box = h("input", { type: "checkbox", id, class: "cf-value", "data-testid": "edit-field-value" });
    box.checked = field.value === "true";
    return [h("label", { class: "check cf-check" }, box, h("span", { text: t("fieldValue") }))];
  }
  if (type === FIELD_LINKED) {
    const select = h("select", { id, class: "cf-value", "aria-label": t("linkedTo"), "data-testid": "edit-field-linked" });
    linkedOptions(select, field.linkedId);
    return [select];
  }
  const hidden = type === FIELD_HIDDEN;
  const input = h("input", {
    type: hidden ? "password" : "text",
    id,
    class: `cf-value${hidden ? " mono" : ""}`,
    autocomplete: hidden ? "new-password" : "off",
    spellcheck: "false",
    "aria-label": t("fieldValue"),
    "data-testid": "edit-field-value",
  });
  input.value = field.value ?? "";
  if (!hidden) return [input];
  const reveal = iconButton("eye", t("showWhat", [t("fieldValue")]), {
    "aria-pressed": "false",
    "data-reveal": id,
    "data-reveal-what": t("fieldValue"),
    "data-testid": "edit-field-reveal",
  });
  return [input, reveal];
}

/** A row for `field` (null: a new field of `type`). */
function addRow(field, type) {
  const loaded = field ? structuredClone(field) : null;
  const kind = loaded ? loaded.type : type;
  const start = loaded ?? { name: null, value: kind === FIELD_BOOLEAN ? "false" : null, type: kind, linkedId: null };
  if (!loaded && kind === FIELD_LINKED) start.linkedId = linkedTargets(itemType)[0]?.id ?? null;
  const id = `edit-field-${++rowSeq}`;
  const name = h("input", {
    type: "text",
    class: "cf-name",
    autocomplete: "off",
    spellcheck: "false",
    "aria-label": t("customFieldName"),
    placeholder: FIELD_TYPES.find((x) => x.type === kind)?.label() ?? "",
    "data-testid": "edit-field-name",
  });
  name.value = start.name ?? "";
  const row = h(
    "li",
    { class: "cf-row", "data-type": String(kind), "data-testid": "edit-field" },
    h(
      "div",
      { class: "input-row" },
      name,
      iconButton("up", t("moveFieldUp"), { class: "icon-btn cf-up", "data-testid": "edit-field-up" }),
      iconButton("down", t("moveFieldDown"), { class: "icon-btn cf-down", "data-testid": "edit-field-down" }),
      iconButton("x", t("removeField"), { class: "icon-btn cf-remove", "data-testid": "edit-field-remove" }),
    ),
    h("div", { class: "input-row" }, valueControl(kind, start, id)),
  );
  const control = row.querySelector(".cf-value");
  rows.set(row, { loaded, start, kind, initial: controlValue(control) });
  list.append(row);
  return row;
}

function controlValue(control) {
  if (control.type === "checkbox") return control.checked;
  return control.value;
}

list.addEventListener("click", (e) => {
  const button = e.target.closest("button");
  const row = button?.closest(".cf-row");
  if (!row) return;
  if (button.classList.contains("cf-remove")) {
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    (next?.querySelector(".cf-name") ?? $("#edit-add-field")).focus();
  } else if (button.classList.contains("cf-up") && row.previousElementSibling) {
    row.previousElementSibling.before(row);
    button.focus();
  } else if (button.classList.contains("cf-down") && row.nextElementSibling) {
    row.nextElementSibling.after(row);
    button.focus();
  }
});

$("#edit-add-field").addEventListener("click", () => addRow(null, Number(typeSelect.value)).querySelector(".cf-name").focus());

/** Shows `fields` for an item of `type` (replacing any rows). */
export function setFields(fields, type) {
  list.replaceChildren();
  setItemType(type);
  for (const field of fields ?? []) addRow(field);
}

/** The item's type changed (a new item): linked fields list that type's fields. */
export function setItemType(type) {
  itemType = type;
  // Secure notes (and SSH keys) have no field a linked field could point at.
  const linked = typeSelect.querySelector(`option[value="${FIELD_LINKED}"]`);
  linked.hidden = linked.disabled = linkedTargets(type).length === 0;
  if (linked.disabled && typeSelect.value === String(FIELD_LINKED)) typeSelect.value = String(FIELD_TEXT);
  const first = linkedTargets(type)[0]?.id ?? null;
  for (const select of list.querySelectorAll("select.cf-value")) {
    const current = select.value === "" ? null : Number(select.value);
    // A field added to this new item follows its type; a loaded one keeps its number.
    const fresh = !rows.get(select.closest(".cf-row"))?.loaded;
    const known = linkedTargets(type).some((x) => x.id === current);
    linkedOptions(select, fresh && !known ? first : current);
  }
}

// Unchanged text keeps what was loaded (null or ""); changed text that is empty is null.
const keepOr = (now, initial, loaded) => (now === initial ? loaded : now === "" ? null : now);

/** The fields to save, in the rows' order. A new row left empty is dropped. */
export function collectFields() {
  const out = [];
  for (const row of list.children) {
    const { loaded, start, kind, initial } = rows.get(row);
    const name = row.querySelector(".cf-name").value;
    const control = row.querySelector(".cf-value");
    const now = controlValue(control);
    const field = { ...start, name: keepOr(name, start.name ?? "", start.name ?? null) };
    if (kind === FIELD_BOOLEAN) {
      field.value = now === initial ? start.value : String(now);
    } else if (kind === FIELD_LINKED) {
      field.linkedId = now === initial ? start.linkedId : now === "" ? null : Number(now);
    } else {
      field.value = keepOr(now, initial, start.value ?? null);
    }
    if (!loaded && field.name == null && (kind === FIELD_BOOLEAN || kind === FIELD_LINKED || field.value == null)) continue;
    out.push(field);
  }
  return out;
}

export function clearFields() {
  list.replaceChildren();
}
