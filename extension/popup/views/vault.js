// Vault: the current tab's items (one-click Fill), then instant search with filter chips and a
// folder select. Lists are built in a DocumentFragment; clicks are delegated, not per row.
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, h, toast, confirmDialog } from "../dom.js";
import { errorText, confirmText, refuseText } from "../messages.js";
import { rowType } from "../items.js";
import { unsyncedText } from "../account.js";
import * as nav from "../nav.js";
import { folderOptions } from "./folders.js";
import { askMasterPassword } from "../reprompt.js";
import { showSaveOffer } from "../save-offer.js";

const LIMIT = 200;
const FILTERS = {
  all: {},
  logins: { type: 1 },
  cards: { type: 3 },
  identities: { type: 4 },
  notes: { type: 2 },
  favorites: { favoritesOnly: true },
  trash: { trash: true },
};

const el = $('[data-view="vault"]');
const search = $("#search");
const list = $("#result-list");
const empty = $("#result-empty");
const count = $("#result-count");
const tabList = $("#tab-list");
const tabEmpty = $("#tab-empty");
const fillGeneratedBtn = $("#tab-fill-generated");
const tabHeading = $("#tab-heading");
const banner = $("#insecure-banner");
const folderSelect = $("#folder-filter");
const offline = $("#offline-banner");
const unsynced = $("#unsynced");
const unsyncedTitle = $("#unsynced-title");
const unsyncedList = $("#unsynced-list");
const keptBoth = $("#kept-both");
const keptBothList = $("#kept-both-list");

let filter = "all";
let searchSeq = 0;
let tab = null; // last tabItems reply: {url, host, insecure}
let tabId; // set when the popup runs as a page for tests (?tabId=N)

// Rows are cloned from one prototype and their icons are CSS masks (no per-row SVG <use>
// shadow trees): together with content-visibility on result rows, 200 rows stay cheap.
const rowProto = h(
  "button",
  { type: "button", class: "row", "data-testid": "row", tabindex: "-1" },
  h("span", { class: "ti", "aria-hidden": "true" }),
  h("span", { class: "row-name" }),
  h("span", { class: "row-sub" }),
);

function rowButton(row, focusable) {
  const b = rowProto.cloneNode(true);
  b.dataset.id = row.id;
  b.dataset.type = rowType(row);
  if (focusable) b.tabIndex = 0;
  b.children[1].textContent = row.name || t("noName");
  if (row.subtitle) b.children[2].textContent = row.subtitle;
  else b.children[2].remove();
  if (row.favorite) {
    b.dataset.fav = "";
    b.append(h("span", { class: "sr-only", text: t("favorite") }));
  }
  return b;
}

function renderResults(rows) {
  const frag = document.createDocumentFragment();
  rows.forEach((row, i) => frag.append(h("li", {}, rowButton(row, i === 0))));
  list.replaceChildren(frag);
  empty.hidden = rows.length > 0;
  count.textContent = t("resultCount", [String(rows.length)]);
  // For the benchmark of popup opening (scripts/bench-extension.mjs).
  if (!performance.getEntriesByName("first-results").length) performance.mark("first-results");
}

function currentFilters() {
  const filters = { ...FILTERS[filter], limit: LIMIT };
  const folder = folderSelect.value;
  if (folder === "__unfiled") filters.unfiled = true;
  else if (folder) filters.folderId = folder;
  return filters;
}

// Every input searches (the core answers in about a millisecond); a reply that arrives after a
// newer request was sent is dropped, so the list always matches the box.
async function runSearch() {
  const mine = ++searchSeq;
  try {
    const fields = { query: search.value, filters: currentFilters() };
    const { rows } = await (early?.search && !search.value ? sendOrEarly("search", fields) : send("search", fields));
    if (mine === searchSeq) renderResults(rows ?? []);
  } catch (err) {
    if (mine === searchSeq) toast(errorText(err), "error");
  }
}

/** A row of the tab's list: the item and its Fill button. */
function tabRow(row) {
  const name = row.name || t("noName");
  return h(
    "li",
    {},
    rowButton(row, true),
    h("button", {
      type: "button",
      class: "primary fill-btn",
      "data-testid": "fill",
      "data-id": row.id,
      "aria-label": t("fillItem", [name]),
      text: t("fill"),
    }),
  );
}

function renderTab(reply) {
  tab = reply;
  banner.hidden = !reply?.insecure;
  tabHeading.textContent = reply?.host ? t("tabHeading", [reply.host]) : t("tabHeadingNone");
  const rows = reply?.rows ?? [];
  const frag = document.createDocumentFragment();
  for (const row of rows) frag.append(tabRow(row));
  tabList.replaceChildren(frag);
  tabEmpty.hidden = rows.length > 0;
  tabEmpty.textContent = reply ? t("tabEmpty") : t("tabUnavailable");
  fillGeneratedBtn.hidden = !reply;
}

/** The cards and identities the page's fields could take, after its logins. */
function appendWallet(rows) {
  for (const row of rows) tabList.append(tabRow(row));
  if (rows.length) tabEmpty.hidden = true;
}

// Requests sent while the popup was still asking for `status` (see `prefetch`), used once.
let early = null;

/** `send`, or the reply of the same request sent early, if there is one. */
function sendOrEarly(type, fields) {
  const got = early?.[type];
  if (got) {
    delete early[type];
    return got.then((reply) => (reply?.ok ? reply : send(type, fields)));
  }
  return send(type, fields);
}

async function loadTab() {
  try {
    renderTab(await sendOrEarly("tabItems", tabId == null ? {} : { tabId }));
  } catch {
    renderTab(null); // e.g. no_tab on a browser page: nothing to fill there
    return;
  }
  // Second: the worker reads the page's fields to know whether cards or identities fit there.
  try {
    const { rows } = await send("tabWallet", tabId == null ? {} : { tabId });
    appendWallet(rows ?? []);
  } catch {
    /* a page that cannot be read: its logins only */
  }
}

async function loadFolders() {
  try {
    const { folders } = await sendOrEarly("folders");
    folderOptions(folderSelect, folders ?? [], 2);
  } catch {
    /* the select keeps "all" and "no folder" */
  }
}

/**
 * Fill, asking the user about each warning the worker raises: accepting one sends back the id of
 * the confirmation the worker issued for that page (it fills nothing if the page changed since).
 * An item that asks for the master password again gets it asked here, for this one fill.
 */
async function fill(id, proof = {}) {
  let reply;
  try {
    reply = await send("fill", { id, ...proof, ...(tabId == null ? {} : { tabId }) });
  } catch (err) {
    return toast(errorText(err), "error");
  }
  if (reply.status === "filled") {
    toast(t("filled"));
    if (tabId == null) setTimeout(() => window.close(), 600); // done: get out of the way
  } else if (reply.status === "confirm") {
    const ok = await confirmDialog({
      text: confirmText(reply.reason),
      detail: reply.host ? t("confirmHost", [reply.host]) : "",
      ok: t("fillAnyway"),
      testid: "confirm-fill",
    });
    if (ok) return fill(id, { confirmation: reply.confirmation });
  } else if (reply.reason === "reprompt_required" && !proof.grant) {
    const grant = await askMasterPassword(id, "fill");
    if (grant) return fill(id, { grant });
  } else {
    toast(refuseText(reply.reason), "error");
  }
}

/** "Fill generated password": a new password into the page's new-password fields (kept in the
 *  generator history by the worker before it is typed), with the same confirmations as a fill. */
async function fillGenerated(proof = {}) {
  let reply;
  try {
    reply = await send("fillGenerated", { ...proof, ...(tabId == null ? {} : { tabId }) });
  } catch (err) {
    return toast(errorText(err), "error");
  }
  if (reply.status === "filled") {
    toast(t("filled"));
    if (tabId == null) setTimeout(() => window.close(), 600);
  } else if (reply.status === "confirm") {
    const ok = await confirmDialog({
      text: confirmText(reply.reason),
      detail: reply.host ? t("confirmHost", [reply.host]) : "",
      ok: t("fillAnyway"),
      testid: "confirm-fill",
    });
    if (ok) return fillGenerated({ confirmation: reply.confirmation });
  } else {
    toast(reply.reason === "no_fields" ? t("refuseNoNewPassword") : refuseText(reply.reason), "error");
  }
}
fillGeneratedBtn.addEventListener("click", () => fillGenerated());

// Arrow keys move between result rows (roving tabindex: one row in the tab order).
function moveFocus(from, to) {
  if (!to) return;
  from?.setAttribute("tabindex", "-1");
  to.setAttribute("tabindex", "0");
  to.focus();
}

list.addEventListener("keydown", (e) => {
  const row = e.target.closest(".row");
  if (!row) return;
  const li = row.parentElement;
  let to = null;
  if (e.key === "ArrowDown") to = li.nextElementSibling?.firstElementChild;
  else if (e.key === "ArrowUp") {
    to = li.previousElementSibling?.firstElementChild;
    if (!to) {
      e.preventDefault();
      return search.focus();
    }
  } else if (e.key === "Home") to = list.firstElementChild?.firstElementChild;
  else if (e.key === "End") to = list.lastElementChild?.firstElementChild;
  else return;
  e.preventDefault();
  moveFocus(row, to);
});

search.addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown") {
    e.preventDefault();
    const target = list.querySelector('.row[tabindex="0"]') ?? list.querySelector(".row");
    moveFocus(null, target);
  } else if (e.key === "Enter") {
    const first = list.querySelector(".row");
    if (first) nav.go("item", { id: first.dataset.id });
  }
});

search.addEventListener("input", runSearch);
folderSelect.addEventListener("change", runSearch);

$(".chips").addEventListener("click", (e) => {
  const chip = e.target.closest(".chip");
  if (!chip) return;
  filter = chip.dataset.filter;
  for (const c of el.querySelectorAll(".chip")) c.setAttribute("aria-pressed", String(c === chip));
  runSearch();
});

function openRow(e) {
  const fillBtn = e.target.closest('[data-testid="fill"]');
  if (fillBtn) return fill(fillBtn.dataset.id);
  const row = e.target.closest(".row");
  if (row) nav.go("item", { id: row.dataset.id });
}
list.addEventListener("click", openRow);
tabList.addEventListener("click", openRow);

$("#vault-add").addEventListener("click", () => {
  const uri = tab?.url && /^https?:/.test(tab.url) ? tab.url : "";
  nav.go("edit", { type: 1, uri, name: uri ? tab.host : "" });
});
$("#vault-generator").addEventListener("click", () => nav.go("generator"));
$("#vault-settings").addEventListener("click", () => nav.go("settings"));
$("#manage-folders").addEventListener("click", () => nav.go("folders"));
$("#vault-lock").addEventListener("click", async () => {
  try {
    await send("lock");
    nav.reset("unlock");
  } catch (err) {
    toast(errorText(err), "error"); // still unlocked: say so rather than pretend
  }
});

// What each queued operation is, in the user's words.
const OPS = {
  saveCipher: () => t("unsyncedOpSave"),
  partial: () => t("unsyncedOpPartial"),
  trash: () => t("unsyncedOpTrash"),
  restore: () => t("unsyncedOpRestore"),
  delete: () => t("unsyncedOpDelete"),
  saveFolder: () => t("unsyncedOpSaveFolder"),
  deleteFolder: () => t("unsyncedOpDeleteFolder"),
};

/** One edit the server has not stored: its item, what it does, why it is stuck, and the
 *  choices (keeping a local copy exists for a changed item only). */
function unsyncedRow(edit) {
  const name = edit.name || t("noName");
  const reason = edit.error
    ? edit.error.message || errorText(edit.error)
    : t("unsyncedWaiting");
  const action = (what, label, testid) =>
    h("button", { type: "button", class: "secondary", "data-testid": testid, "data-key": edit.key, "data-do": what, text: label });
  return h(
    "li",
    { "data-testid": "unsynced-edit" },
    h("p", {}, h("strong", { text: name }), ` — ${OPS[edit.op]?.() ?? edit.op}`),
    h("p", { class: "small", "data-testid": "unsynced-reason", text: reason }),
    h(
      "div",
      { class: "notice-actions" },
      edit.error && action("retryEdit", t("unsyncedRetry"), "unsynced-retry"),
      edit.error && edit.op === "saveCipher" && action("keepLocalCopy", t("unsyncedKeep"), "unsynced-keep"),
      action("discardEdit", t("unsyncedDiscard"), "unsynced-discard"),
    ),
  );
}

function keptRow(copy) {
  const name = copy.name || t("noName");
  return h(
    "li",
    { "data-testid": "kept-both-copy" },
    h("p", {}, h("strong", { text: name })),
    h(
      "div",
      { class: "notice-actions" },
      h("button", {
        type: "button", class: "secondary", "data-testid": "kept-both-open", "data-id": copy.id,
        "aria-label": t("keptBothOpenItem", [name]), text: t("keptBothOpen"),
      }),
      h("button", {
        type: "button", class: "secondary", "data-testid": "kept-both-resolve", "data-id": copy.id,
        "aria-label": t("keptBothResolveItem", [name]), text: t("keptBothResolve"),
      }),
    ),
  );
}

let shownEdits = [];

/** The edits the server refused, and those of the same items queued behind them; an edit that
 *  merely waits for the next sync (offline, not sent yet) is not "not synced" yet. */
function stuckEdits(all) {
  const failed = new Set();
  return all.filter((e) => {
    if (e.error) failed.add(e.itemId);
    return Boolean(e.error) || failed.has(e.itemId);
  });
}

/** The offline indicator, the edits not synced and the copies kept, from status.account. */
function renderAccount(account) {
  offline.hidden = account?.lastError?.code !== "server_unreachable";
  const edits = stuckEdits(Array.isArray(account?.unsynced) ? account.unsynced : []);
  shownEdits = edits;
  unsynced.hidden = edits.length === 0;
  unsyncedTitle.textContent = unsyncedText(edits.length);
  unsyncedList.replaceChildren(...edits.map(unsyncedRow));
  const kept = Array.isArray(account?.keptBoth) ? account.keptBoth.filter((k) => k && typeof k === "object") : [];
  keptBoth.hidden = kept.length === 0;
  keptBothList.replaceChildren(...kept.map(keptRow));
}

async function loadAccount() {
  try {
    renderAccount((await send("status")).account);
  } catch {
    renderAccount(null);
  }
}

// Retry, keep a local copy, discard (asked first: the edit is lost): each answers the new
// status.account, after the sync that follows.
unsynced.addEventListener("click", async (e) => {
  const button = e.target.closest("button[data-do]");
  if (!button || button.getAttribute("aria-busy") === "true") return;
  const what = button.dataset.do;
  const key = button.dataset.key;
  if (what === "discardEdit") {
    const edit = shownEdits.find((x) => x.key === key);
    const ok = await confirmDialog({
      text: t("unsyncedDiscardAsk", [edit?.name || t("noName")]),
      detail: t("unsyncedDiscardDetail"),
      ok: t("unsyncedDiscard"),
      danger: true,
      testid: "confirm-discard",
    });
    if (!ok) return;
  }
  button.setAttribute("aria-busy", "true");
  try {
    const reply = await send(what, { key });
    renderAccount(reply.account);
    if (what === "keepLocalCopy") toast(t("unsyncedKept"));
    runSearch(); // a kept copy, a discarded edit: the list changed
  } catch (err) {
    button.removeAttribute("aria-busy");
    toast(errorText(err), "error");
  }
});

keptBoth.addEventListener("click", async (e) => {
  const button = e.target.closest("button[data-id]");
  if (!button) return;
  if (button.dataset.testid === "kept-both-open") return nav.go("item", { id: button.dataset.id });
  try {
    const reply = await send("resolveKeptBoth", { id: button.dataset.id });
    renderAccount(reply.account);
    search.focus();
  } catch (err) {
    toast(errorText(err), "error");
  }
});

// The requests go out together: the popup's first results are one round trip away.
function refresh() {
  showSaveOffer(tabId);
  loadTab();
  loadFolders();
  runSearch();
  loadAccount();
}

export const vaultView = {
  el,
  setTabId(id) {
    tabId = id;
  },
  /** Asks for the first screen's data at once, before `status` says the vault is open: a locked
   *  or empty vault just answers with an error that nobody reads. */
  prefetch() {
    const raw = (type, fields = {}) => chrome.runtime.sendMessage({ type, ...fields }).catch(() => null);
    early = {
      tabItems: raw("tabItems", tabId == null ? {} : { tabId }),
      folders: raw("folders"),
      search: raw("search", { query: "", filters: currentFilters() }),
    };
    // Rows mean an open vault: the popup need not wait for `status` to show them.
    return early.search.then((reply) => Boolean(reply?.ok));
  },
  enter: refresh,
  resume: refresh, // items may have been edited, trashed or filed meanwhile
  leave() {
    searchSeq++;
  },
};
