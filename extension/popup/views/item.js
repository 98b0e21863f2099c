// Item view: every field of one decrypted item, with copy / reveal / open; TOTP refreshed every
// second while shown; favourite, edit, trash / restore / delete forever. Secrets leave the DOM
// when the view is left.
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, h, icon, iconButton, setIcon, toast, confirmDialog, copyValue } from "../dom.js";
import { errorText } from "../messages.js";
import { exportShape, launchUrl, TYPE_LOGIN, TYPE_CARD, TYPE_IDENTITY } from "../items.js";
import * as nav from "../nav.js";
import { askMasterPassword } from "../reprompt.js";
import { IDENTITY_GROUPS } from "../identity.js";
import { FIELD_TEXT, FIELD_HIDDEN, FIELD_BOOLEAN, linkedLabel } from "../custom-fields.js";

const MASK = "••••••••"; // fixed length: the mask does not reveal the secret's length

const el = $('[data-view="item"]');
const title = $("#item-title");
const body = $("#item-body");
const favBtn = $("#item-fav");
const editBtn = $("#item-edit");
const trashNote = $("#item-trash-note");
const trashBtn = $("#item-trash");
const restoreBtn = $("#item-restore");
const purgeBtn = $("#item-purge");

let item = null;
let totpTimer = 0;
let totpSeq = 0;
let loadSeq = 0;
// An item that asks for the master password again: the worker's grant for reading it (`view`),
// asked for when the view opens, before any secret reaches the popup.
let grant = null;

function copyButton(value, what) {
  const b = iconButton("copy", t("copyWhat", [what]), { "data-testid": "copy" });
  b.addEventListener("click", () => copyValue(value, what));
  return b;
}

/** One label/value line; `secret` masks the value behind a reveal toggle. */
function kv(label, value, { secret = false, copy = true, mono = false, testid, extra = [] } = {}) {
  const valueEl = h("span", { class: `kv-value${mono || secret ? " mono" : ""}`, "data-testid": testid });
  const actions = h("div", { class: "kv-actions" });
  if (secret) {
    valueEl.textContent = MASK;
    valueEl.classList.add("masked");
    const reveal = iconButton("eye", t("showWhat", [label]), { "aria-pressed": "false", "data-testid": "reveal" });
    reveal.addEventListener("click", () => {
      const show = reveal.getAttribute("aria-pressed") !== "true";
      valueEl.textContent = show ? value : MASK;
      valueEl.classList.toggle("masked", !show);
      reveal.setAttribute("aria-pressed", String(show));
      const lbl = show ? t("hideWhat", [label]) : t("showWhat", [label]);
      reveal.setAttribute("aria-label", lbl);
      reveal.title = lbl;
      setIcon(reveal, show ? "eye-off" : "eye");
    });
    actions.append(reveal);
  } else {
    valueEl.textContent = value;
  }
  actions.append(...extra);
  if (copy) actions.append(copyButton(value, label));
  return h("div", { class: "kv" }, h("div", { class: "kv-main" }, h("span", { class: "kv-label", text: label }), valueEl), actions);
}

function group(heading, lines) {
  const kept = lines.filter(Boolean);
  if (!kept.length) return null;
  return [heading ? h("h2", { class: "group-title", text: heading }) : null, h("div", { class: "group" }, kept)];
}

function totpLine(id) {
  const code = h("span", { class: "kv-value mono totp-code", "data-testid": "totp-code" });
  const left = h("span", { class: "totp-left", "data-testid": "totp-remaining" });
  const copy = iconButton("copy", t("copyWhat", [t("totp")]), { "data-testid": "copy-totp" });
  copy.addEventListener("click", () => code.dataset.code && copyValue(code.dataset.code, t("totp")));
  const tick = async () => {
    const mine = ++totpSeq;
    try {
      const r = await send("totp", { id, grant });
      if (mine !== totpSeq) return;
      code.dataset.code = r.code;
      // Split in two halves for reading it out, as authenticator apps do.
      const half = Math.ceil(r.code.length / 2);
      code.textContent = `${r.code.slice(0, half)} ${r.code.slice(half)}`;
      left.textContent = t("totpRemaining", [String(r.remaining)]);
      left.classList.toggle("low", r.remaining <= 5);
    } catch {
      if (mine === totpSeq) left.textContent = t("totpError");
    }
  };
  tick();
  totpTimer = setInterval(tick, 1000);
  return h(
    "div",
    { class: "kv" },
    h("div", { class: "kv-main" }, h("span", { class: "kv-label", text: t("totp") }), code, left),
    h("div", { class: "kv-actions" }, copy),
  );
}

function uriLine(entry) {
  const uri = entry?.uri;
  if (!uri) return null;
  const href = launchUrl(uri);
  // Only http(s) links are opened: a stored "javascript:" or "data:" URI stays plain text.
  const open = href
    ? h(
        "a",
        { class: "icon-btn", href, target: "_blank", rel: "noopener noreferrer", "aria-label": t("openWhat", [uri]), title: t("open") },
        icon("open"),
      )
    : null;
  return kv(t("website"), uri, { extra: open ? [open] : [] });
}

function loginLines(login, id) {
  return [
    login.username && kv(t("username"), login.username, { testid: "item-username" }),
    login.password && kv(t("password"), login.password, { secret: true, testid: "item-password" }),
    login.totp && totpLine(id),
  ];
}

function cardLines(card) {
  const exp = [card.expMonth, card.expYear].filter(Boolean).join(" / ");
  return [
    card.cardholderName && kv(t("cardholderName"), card.cardholderName),
    card.brand && kv(t("cardBrand"), card.brand, { copy: false }),
    card.number && kv(t("cardNumber"), card.number, { secret: true }),
    exp && kv(t("expiration"), exp, { copy: false }),
    card.code && kv(t("securityCode"), card.code, { secret: true }),
  ];
}

/** One group per part of the identity (personal, documents, contact), every field it has. */
function identityGroups(identity) {
  return IDENTITY_GROUPS.map((g) =>
    group(
      g.heading(),
      g.fields.map(({ key, label, secret }) => identity[key] && kv(label(), identity[key], { secret, testid: `item-identity-${key}` })),
    ),
  );
}

function fieldLine(f) {
  const label = f.name || t("noName");
  const testid = "item-field";
  if (f.type === FIELD_BOOLEAN) return kv(label, f.value === "true" ? t("yes") : t("no"), { copy: false, testid });
  if (f.type === FIELD_HIDDEN) return kv(label, f.value ?? "", { secret: true, testid });
  if (f.type === FIELD_TEXT) return kv(label, f.value ?? "", { testid });
  // Linked: the value is the item's own field it names, shown there, not here.
  const target = linkedLabel(item.type, f.linkedId);
  return kv(label, target ? t("linkedToField", [target]) : t("linkedField"), { copy: false, testid });
}

function render() {
  const deleted = Boolean(item.deletedDate);
  title.textContent = item.name || t("noName");
  favBtn.setAttribute("aria-pressed", String(Boolean(item.favorite)));
  const favLabel = item.favorite ? t("unfavorite") : t("addFavorite");
  favBtn.setAttribute("aria-label", favLabel);
  favBtn.title = favLabel;
  favBtn.hidden = editBtn.hidden = deleted;
  trashNote.hidden = !deleted;
  trashBtn.hidden = deleted;
  restoreBtn.hidden = purgeBtn.hidden = !deleted;

  const parts = [];
  if (item.type === TYPE_LOGIN && item.login) {
    parts.push(group("", loginLines(item.login, item.id)));
    parts.push(group(t("uris"), (item.login.uris ?? []).map(uriLine)));
  }
  if (item.type === TYPE_CARD && item.card) parts.push(group("", cardLines(item.card)));
  if (item.type === TYPE_IDENTITY && item.identity) parts.push(...identityGroups(item.identity));
  if (item.notes) {
    parts.push(
      h("h2", { class: "group-title", text: t("notes") }),
      h("div", { class: "group" }, h("p", { class: "kv-value", "data-testid": "item-notes", text: item.notes })),
    );
  }
  if (item.fields?.length) parts.push(group(t("customFields"), item.fields.map(fieldLine)));
  const frag = document.createDocumentFragment();
  frag.append(...parts.flat(2).filter(Boolean));
  body.replaceChildren(frag);
}

function stopTotp() {
  clearInterval(totpTimer);
  totpSeq++;
}

async function load(id) {
  const mine = ++loadSeq;
  stopTotp();
  try {
    const reply = await send("item", { id, grant });
    if (mine !== loadSeq) return;
    item = reply.item;
    render();
  } catch (err) {
    if (mine !== loadSeq) return;
    if (err.code === "reprompt_required") {
      grant = await askMasterPassword(id, "view");
      if (mine !== loadSeq) return;
      if (grant) return load(id);
      return nav.back(); // cancelled: nothing of the item was shown
    }
    body.replaceChildren(h("p", { class: "error", text: errorText(err) }));
  }
}

// One action on the shown item; `after` runs on success.
async function act(fn, after) {
  try {
    await fn();
    after();
  } catch (err) {
    toast(errorText(err), "error");
  }
}

favBtn.addEventListener("click", () =>
  act(
    () => send("saveItem", { item: { ...exportShape(item), favorite: !item.favorite } }),
    () => load(item.id),
  ),
);
editBtn.addEventListener("click", () => nav.go("edit", { id: item.id, grant }));
trashBtn.addEventListener("click", () =>
  act(
    () => send("trashItem", { id: item.id }),
    () => {
      toast(t("movedToTrash"));
      nav.back();
    },
  ),
);
restoreBtn.addEventListener("click", () =>
  act(
    () => send("restoreItem", { id: item.id }),
    () => {
      toast(t("restored"));
      load(item.id);
    },
  ),
);
purgeBtn.addEventListener("click", async () => {
  const ok = await confirmDialog({
    text: t("purgeConfirm", [item.name || t("noName")]),
    detail: t("purgeDetail"),
    ok: t("deleteForever"),
    danger: true,
    testid: "confirm-purge",
  });
  if (!ok) return;
  act(
    () => send("purgeItem", { id: item.id }),
    () => {
      toast(t("deletedForever"));
      nav.back();
    },
  );
});

export const itemView = {
  el,
  enter({ id }) {
    item = null;
    grant = null;
    title.textContent = "";
    body.replaceChildren();
    load(id);
  },
  resume({ id }) {
    load(id);
  },
  leave(final) {
    stopTotp();
    loadSeq++;
    body.replaceChildren(); // no decrypted values left in a hidden view
    if (final) grant = null;
  },
};
