// Folders: create, rename, delete (items in a deleted folder become unfiled, as in Bitwarden).
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, h, iconButton, toast, confirmDialog } from "../dom.js";
import { errorText } from "../messages.js";

const el = $('[data-view="folders"]');
const list = $("#folder-list");
const empty = $("#folder-empty");
const error = $("#folders-error");
const newForm = $("#folder-new-form");
const newName = $("#folder-new");

/** Refills a <select> with folders after its first `keep` fixed options; keeps the choice if it still exists. */
export function folderOptions(select, folders, keep) {
  const chosen = select.value;
  while (select.options.length > keep) select.remove(keep);
  const frag = document.createDocumentFragment();
  for (const f of folders) frag.append(h("option", { value: f.id, text: f.name }));
  select.append(frag);
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : select.options[0]?.value ?? "";
}

function folderRow(folder) {
  const input = h("input", {
    value: folder.name,
    autocomplete: "off",
    "aria-label": t("folderNameOf", [folder.name]),
    "data-testid": "folder-name",
  });
  const form = h(
    "form",
    { novalidate: true },
    input,
    h("button", { type: "submit", class: "secondary", "data-testid": "folder-rename", text: t("rename") }),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) return input.focus();
    save({ id: folder.id, name }, t("folderRenamed"));
  });
  const del = iconButton("trash", t("deleteFolderNamed", [folder.name]), { "data-testid": "folder-delete" });
  del.addEventListener("click", () => remove(folder));
  return h("li", { class: "folder-row", "data-id": folder.id }, form, del);
}

async function load() {
  error.textContent = "";
  try {
    const { folders } = await send("folders");
    const frag = document.createDocumentFragment();
    for (const f of folders ?? []) frag.append(folderRow(f));
    list.replaceChildren(frag);
    empty.hidden = (folders ?? []).length > 0;
  } catch (err) {
    error.textContent = errorText(err);
  }
}

async function save(fields, done) {
  error.textContent = "";
  try {
    await send("saveFolder", fields);
    toast(done);
    await load();
    return true;
  } catch (err) {
    error.textContent = errorText(err);
    return false;
  }
}

async function remove(folder) {
  const ok = await confirmDialog({
    text: t("deleteFolderConfirm", [folder.name]),
    detail: t("deleteFolderDetail"),
    ok: t("delete"),
    danger: true,
    testid: "confirm-delete-folder",
  });
  if (!ok) return;
  try {
    await send("deleteFolder", { id: folder.id });
    toast(t("folderDeleted"));
    await load();
    newName.focus();
  } catch (err) {
    error.textContent = errorText(err);
  }
}

newForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = newName.value.trim();
  if (!name) return newName.focus();
  if (await save({ name }, t("folderCreated"))) newName.value = "";
});

export const foldersView = { el, enter: load };
