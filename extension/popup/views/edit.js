// Add / edit form. Logins (username, password + generator, TOTP secret, URIs with match
// strategy), secure notes, cards and identities (edit-identity.js), and every type's custom
// fields (edit-fields.js); other types (SSH keys…) keep their data and edit name, notes,
// folder, favourite, custom fields. Sends the Bitwarden export shape with saveItem, built on the
// item as loaded, so what the form does not show (password history, URI match settings, reprompt,
// organisation, keys it does not know) goes back unchanged.
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, setRevealed } from "../dom.js";
import { errorText } from "../messages.js";
import { exportShape, TYPE_LOGIN, TYPE_NOTE, TYPE_CARD, TYPE_IDENTITY } from "../items.js";
import * as nav from "../nav.js";
import { folderOptions } from "./folders.js";
import { setFields, setItemType, collectFields, clearFields } from "./edit-fields.js";
import { fillIdentity, collectIdentity } from "./edit-identity.js";

const el = $('[data-view="edit"]');
const form = $("#edit-form");
const heading = $("#edit-title");
const typeField = $("#edit-type-field");
const typeSelect = $("#edit-type");
const uriList = $("#edit-uris");
const uriTemplate = $("#uri-row-tpl");
const folderSelect = $("#edit-folder");
const error = $("#edit-error");
const pw = $("#edit-password");
const f = (id) => $(`#edit-${id}`);

let original = null; // the item being edited (null for a new one)
let loadSeq = 0;

function showType(type) {
  // Hidden parts are disabled too, so they are out of the tab order and of validation.
  for (const part of form.querySelectorAll("[data-for-type]")) {
    const on = Number(part.dataset.forType) === type;
    part.hidden = !on;
    part.disabled = !on;
  }
}

function addUri(uri = "", match = null) {
  const row = uriTemplate.content.firstElementChild.cloneNode(true);
  row.querySelector(".uri-input").value = uri;
  row.querySelector(".uri-match").value = match == null ? "" : String(match);
  uriList.append(row);
  return row;
}

uriList.addEventListener("click", (e) => {
  const remove = e.target.closest(".uri-remove");
  if (!remove) return;
  const row = remove.closest(".uri-row");
  const next = row.nextElementSibling ?? row.previousElementSibling;
  row.remove();
  (next?.querySelector(".uri-input") ?? $("#edit-add-uri")).focus();
});
$("#edit-add-uri").addEventListener("click", () => addUri().querySelector(".uri-input").focus());
typeSelect.addEventListener("change", () => {
  showType(Number(typeSelect.value));
  setItemType(Number(typeSelect.value));
});
$("#edit-generate").addEventListener("click", () =>
  nav.go("generator", {
    onUse(password) {
      pw.value = password;
    },
  }),
);

function fillForm(item) {
  const login = item.login ?? {};
  const card = item.card ?? {};
  f("name").value = item.name ?? "";
  f("username").value = login.username ?? "";
  pw.value = login.password ?? "";
  f("totp").value = login.totp ?? "";
  uriList.replaceChildren();
  for (const u of login.uris ?? []) addUri(u.uri ?? "", u.match);
  f("cardholder").value = card.cardholderName ?? "";
  f("brand").value = card.brand ?? "";
  f("number").value = card.number ?? "";
  f("exp-month").value = card.expMonth ?? "";
  f("exp-year").value = card.expYear ?? "";
  f("code").value = card.code ?? "";
  fillIdentity(item.identity);
  f("notes").value = item.notes ?? "";
  f("favorite").checked = Boolean(item.favorite);
  folderSelect.value = item.folderId ?? "";
  setFields(item.fields, item.type);
}

const orNull = (v) => (v.trim() === "" ? null : v);

function collect() {
  const type = original ? original.type : Number(typeSelect.value);
  const base = original ? exportShape(original) : { type, reprompt: 0, fields: [] };
  const item = {
    ...base,
    name: f("name").value.trim(),
    notes: orNull(f("notes").value),
    favorite: f("favorite").checked,
    folderId: folderSelect.value || null,
    fields: collectFields(),
  };
  if (type === TYPE_LOGIN) {
    const uris = [...uriList.children]
      .map((row) => ({
        uri: row.querySelector(".uri-input").value.trim(),
        match: row.querySelector(".uri-match").value === "" ? null : Number(row.querySelector(".uri-match").value),
      }))
      .filter((u) => u.uri);
    item.login = {
      ...(base.login ?? {}),
      username: orNull(f("username").value),
      password: orNull(pw.value),
      totp: orNull(f("totp").value.trim()),
      uris,
    };
  } else if (type === TYPE_NOTE) {
    item.secureNote = base.secureNote ?? { type: 0 };
  } else if (type === TYPE_CARD) {
    item.card = {
      ...(base.card ?? {}),
      cardholderName: orNull(f("cardholder").value.trim()),
      brand: orNull(f("brand").value.trim()),
      number: orNull(f("number").value.replace(/\s+/g, "")),
      expMonth: orNull(f("exp-month").value.trim()),
      expYear: orNull(f("exp-year").value.trim()),
      code: orNull(f("code").value.trim()),
    };
  } else if (type === TYPE_IDENTITY) {
    item.identity = collectIdentity(base.identity);
  }
  return item;
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  error.textContent = "";
  const name = f("name");
  if (!name.value.trim()) {
    error.textContent = t("nameRequired");
    name.setAttribute("aria-invalid", "true");
    return name.focus();
  }
  name.removeAttribute("aria-invalid");
  const save = form.querySelector('[type="submit"]');
  save.disabled = true;
  try {
    const { id } = await send("saveItem", { item: collect() });
    if (original) nav.back();
    else nav.replace("item", { id });
  } catch (err) {
    error.textContent = errorText(err);
  } finally {
    save.disabled = false;
  }
});

async function loadFolders() {
  try {
    const { folders } = await send("folders");
    folderOptions(folderSelect, folders ?? [], 1);
  } catch {
    /* "no folder" stays available */
  }
}

export const editView = {
  el,
  /** params: {id} to edit, or {type, name, uri} for a new item (prefilled from the tab). */
  async enter(params) {
    const mine = ++loadSeq;
    error.textContent = "";
    form.reset();
    original = null;
    clearFields();
    for (const b of form.querySelectorAll("[data-reveal]")) setRevealed(b, $(`#${b.dataset.reveal}`), false);
    heading.textContent = params.id ? t("editItem") : t("newItem");
    typeField.hidden = Boolean(params.id);
    const folders = loadFolders();
    if (params.id) {
      try {
        const [{ item }] = await Promise.all([send("item", { id: params.id, grant: params.grant }), folders]);
        if (mine !== loadSeq) return;
        original = item;
        showType(item.type);
        fillForm(item);
      } catch (err) {
        if (mine === loadSeq) error.textContent = errorText(err);
      }
    } else {
      typeSelect.value = String(params.type ?? TYPE_LOGIN);
      showType(Number(typeSelect.value));
      setFields([], Number(typeSelect.value));
      fillIdentity(null);
      uriList.replaceChildren();
      f("name").value = params.name ?? "";
      addUri(params.uri ?? "");
      await folders;
    }
  },
  // Covered by the generator: keep everything. Left for good: drop what was typed.
  leave(final) {
    if (!final) return;
    loadSeq++;
    form.reset();
    uriList.replaceChildren();
    clearFields();
    original = null;
  },
  // Back from the generator: the form keeps what was typed (and the generated password).
  resume() {},
};
