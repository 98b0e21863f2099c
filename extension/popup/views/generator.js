// Password generator: length 5–128 and character sets; a new password on every change. Opened
// from the edit form, "Use this password" hands the value back. Options (not passwords) are
// remembered in localStorage. Below, the history of passwords filled into pages (opened by the
// worker from its sealed copy, only when the user unfolds it).
import { send } from "../api.js";
import { t } from "../i18n.js";
import { $, h, copyValue } from "../dom.js";
import { errorText } from "../messages.js";
import * as nav from "../nav.js";

const STORE_KEY = "keyfill.generatorOptions";
const el = $('[data-view="generator"]');
const out = $("#gen-output");
const length = $("#gen-length");
const lengthOut = $("#gen-length-out");
const error = $("#gen-error");
const useBtn = $("#gen-use");
const boxes = {
  lower: $("#gen-lower"),
  upper: $("#gen-upper"),
  digits: $("#gen-digits"),
  symbols: $("#gen-symbols"),
  avoidAmbiguous: $("#gen-ambiguous"),
};
const SETS = ["lower", "upper", "digits", "symbols"];

let onUse = null;
let seq = 0;

function options() {
  const o = { length: Number(length.value) };
  for (const [k, box] of Object.entries(boxes)) o[k] = box.checked;
  return o;
}

function restore() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE_KEY) ?? "null");
    if (!saved) return;
    if (saved.length >= 5 && saved.length <= 128) length.value = saved.length;
    for (const [k, box] of Object.entries(boxes)) if (typeof saved[k] === "boolean") box.checked = saved[k];
    if (!SETS.some((k) => boxes[k].checked)) boxes.lower.checked = true;
  } catch {
    /* defaults */
  }
}

async function generate() {
  const mine = ++seq;
  const opts = options();
  lengthOut.textContent = String(opts.length);
  error.textContent = "";
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(opts));
  } catch {
    /* storage full or disabled: not worth bothering the user */
  }
  try {
    const { password } = await send("generate", { options: opts });
    if (mine === seq) out.textContent = password;
  } catch (err) {
    if (mine === seq) error.textContent = errorText(err);
  }
}

length.addEventListener("input", generate);
for (const k of SETS) {
  // At least one character set stays on: unchecking the last one is undone.
  boxes[k].addEventListener("change", () => {
    if (!SETS.some((s) => boxes[s].checked)) boxes[k].checked = true;
    generate();
  });
}
boxes.avoidAmbiguous.addEventListener("change", generate);
$("#gen-refresh").addEventListener("click", generate);
$("#gen-copy").addEventListener("click", () => out.textContent && copyValue(out.textContent, t("password")));
const history = $("#gen-history");
const historyList = $("#gen-history-list");
const historyEmpty = $("#gen-history-empty");

async function showHistory() {
  historyList.replaceChildren();
  historyEmpty.hidden = true;
  try {
    const { entries } = await send("generatorHistory");
    for (const e of entries ?? []) {
      const when = new Date(e.date);
      historyList.append(
        h(
          "li",
          {},
          h("span", { class: "mono", text: e.password }),
          h("span", { class: "muted small", text: Number.isNaN(when.getTime()) ? "" : when.toLocaleString() }),
          h("button", { type: "button", class: "secondary", text: t("copy"), onclick: () => copyValue(e.password, t("password")) }),
        ),
      );
    }
    historyEmpty.hidden = (entries ?? []).length > 0;
  } catch (err) {
    error.textContent = errorText(err);
  }
}
history.addEventListener("toggle", () => (history.open ? showHistory() : historyList.replaceChildren()));

useBtn.addEventListener("click", () => {
  const use = onUse;
  const value = out.textContent;
  if (!use || !value) return;
  nav.back();
  use(value);
});

export const generatorView = {
  el,
  enter(params = {}) {
    onUse = typeof params.onUse === "function" ? params.onUse : null;
    useBtn.hidden = !onUse;
    restore();
    generate();
  },
  leave() {
    seq++;
    onUse = null;
    out.textContent = "";
    history.open = false;
    historyList.replaceChildren();
  },
};
