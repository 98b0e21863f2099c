// The collect: one snapshot of this frame's fields and forms (never their values), walked in
// rendering order through shadow roots, in time slices.
import { D, VALUE, docTitle, textContent, localName, norm, clip, str } from "./dom.js";
import { MAX_DEPTH, shadowFinder, deepActive } from "./shadow.js";
import { isVisible, pageBox } from "./visibility.js";
import { labelOf } from "./labels.js";
import { describeForm } from "./forms.js";
import { sectionOf, describeSection } from "./sections.js";
import { opidOf } from "./opids.js";
import { slicer, UNSLICED, SLICED_TRIES } from "./slicer.js";

const SKIP_TYPES = new Set(["hidden", "submit", "button", "image", "reset", "file", "checkbox", "radio", "range", "color"]);
const MAX_FIELDS = 5000;
const MAX_OPTIONS = 400;

function options(el) {
  const out = [];
  for (const o of el.options) {
    if (out.length >= MAX_OPTIONS) break;
    out.push({ value: clip(o.value), text: clip(norm(o.text), 100) });
  }
  return out;
}

function num(v) {
  return typeof v === "number" && v >= 0 ? v : null; // -1 means "not set"
}

function describe(el, shadow, ctx) {
  const tag = el.localName;
  const form = el.form;
  let formId = null;
  if (form) {
    formId = opidOf(form, "__kfF");
    if (!ctx.forms.has(form)) ctx.forms.set(form, describeForm(form));
  }
  const box = sectionOf(el, form, ctx.boxMemo);
  let section = null;
  if (box) {
    section = opidOf(box, "__kfS");
    if (!ctx.sections.has(box)) ctx.sections.set(box, describeSection(box));
  }
  const opid = opidOf(el, "__kf");
  ctx.refs.set(opid, new WeakRef(el));
  return {
    opid,
    form: formId,
    section,
    tag,
    type: tag === "textarea" ? "textarea" : el.type,
    name: str(el.getAttribute("name")),
    htmlId: str(el.id),
    autocomplete: str(el.getAttribute("autocomplete") || "").trim().toLowerCase(),
    placeholder: str(el.getAttribute("placeholder")),
    label: labelOf(el, ctx.labels.get(el)),
    ariaLabel: str(el.getAttribute("aria-label")),
    title: str(el.getAttribute("title")),
    className: clip(str(el.getAttribute("class") || ""), 100),
    maxLength: num(el.maxLength),
    minLength: num(el.minLength),
    pattern: str(el.getAttribute("pattern")),
    inputMode: str(el.getAttribute("inputmode")),
    hasValue: VALUE[tag].get.call(el) !== "", // compared, never copied
    visible: isVisible(el, ctx.memo, ctx.page),
    disabled: Boolean(el.disabled),
    readOnly: Boolean(el.readOnly),
    shadow,
    focused: el === ctx.active,
    options: tag === "select" ? options(el) : [],
  };
}

export function isField(el, tag) {
  if (tag === "input") return el instanceof HTMLInputElement && !SKIP_TYPES.has(el.type);
  if (tag === "select") return el instanceof HTMLSelectElement;
  if (tag === "textarea") return el instanceof HTMLTextAreaElement;
  return false;
}

// One TreeWalker pass per root. A shadow host's root is walked where it is met (a stack, not
// recursion), so fields come in rendering order. A field under any closed root is "closed".
// Labels are gathered on the way to map them to their controls in one step afterwards.
async function walk(found, labels, shadowOf, slice) {
  const newWalker = (root) => D.createTreeWalker.call(document, root, NodeFilter.SHOW_ELEMENT);
  const stack = [{ w: newWalker(document), shadow: "none" }];
  let seen = 0;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const el = top.w.nextNode();
    if (!el) {
      stack.pop();
      continue;
    }
    const tag = localName.call(el);
    if (tag === "label") labels.push(el);
    else if (isField(el, tag)) {
      if (found.length >= MAX_FIELDS) return true;
      found.push([el, top.shadow]);
    }
    const sr = stack.length < MAX_DEPTH ? shadowOf(el) : null;
    if (sr) stack.push({ w: newWalker(sr), shadow: top.shadow === "closed" || sr.mode === "closed" ? "closed" : "open" });
    if ((++seen & 127) === 0 && slice.due()) {
      await slice.pause();
      if (!top.w.currentNode.isConnected) return false; // the page moved our place away
    }
  }
  return true;
}

function pageText() {
  const h = D.querySelector.call(document, "h1, h2");
  const parts = [norm(String(docTitle.call(document) || "")), h ? norm(textContent.call(h) || "") : ""];
  return clip(parts.filter(Boolean).join(" "), 200);
}

// A page may replace its fields while we yield; a collect that met a replaced field is thrown
// away and redone, so the fields reported always belong to one state of the page.
// Resolves to { details, refs }: refs (opid → WeakRef(element)) is what a later fill may touch.
export async function collect() {
  for (let tries = 0; ; tries++) {
    const got = await collectOnce(tries < SLICED_TRIES ? slicer() : UNSLICED);
    if (got) return got;
  }
}

async function collectOnce(slice) {
  const shadowOf = shadowFinder();
  const active = deepActive(shadowOf);
  const found = [];
  const labelEls = [];
  if (!(await walk(found, labelEls, shadowOf, slice))) return null;
  const labels = new Map(); // control → its labels
  for (const l of labelEls) {
    const c = l.control;
    if (c) labels.has(c) ? labels.get(c).push(l) : labels.set(c, [l]);
  }
  const ctx = { forms: new Map(), sections: new Map(), boxMemo: new Map(), refs: new Map(), memo: new Map(), page: pageBox(), labels, active };
  const fields = [];
  for (const [el, shadow] of found) {
    if (slice.due()) {
      await slice.pause();
      ctx.page = pageBox(); // the page ran in between: rescroll, resize
      ctx.memo.clear();
    }
    if (!el.isConnected) return null;
    fields.push(describe(el, shadow, ctx));
  }
  const details = { fields, forms: [...ctx.forms.values()], sections: [...ctx.sections.values()], pageText: pageText() };
  return { refs: ctx.refs, details };
}
