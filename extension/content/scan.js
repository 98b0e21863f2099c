// The collect: one snapshot of this frame's fields and forms (never their values), walked in
// rendering order through shadow roots, in time slices.
// What a field, form or container says of itself (names, labels, buttons…) is kept between
// collects while the page does not change it: a MutationObserver on the document and on every
// shadow root walked drops it all on any change of structure, text or of an attribute it reads.
// Each field's visibility is kept too, until anything at all changes that may move or restyle
// it: any mutation (style and class included), a scroll, a resize, the focus or the pointer
// moving (:focus-within and :hover menus), a running animation or transition, the page's size.
// The walk's list of fields and labels is kept the same way; a collect walks again when the
// page changed, or a custom element met without a shadow root has one now (an upgrade attaches
// it with no mutation record); what chrome.dom said of each built-in element is kept as well
// (shadow.js). A root attached to an element the page already had, with no change at all to the
// page, is found once the page next changes. A collect reads value, focus, disabled and
// read-only afresh; the fill checks visibility again before typing.
// The cache is warmed once the user acts in the page and after changes, in idle time (warmCollect).
import { D, VALUE, docTitle, textContent, localName, baseURI, norm, clip, str } from "./dom.js";
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

// The attributes the kept descriptions read (fields, labels, forms' buttons and links,
// containers); a change to any other (style, value of a text input, disabled…) is read afresh.
const READ_ATTRS = ["name", "id", "type", "autocomplete", "placeholder", "aria-label", "aria-labelledby", "title", "class", "maxlength", "minlength", "pattern", "inputmode", "for", "form", "action", "method", "formaction", "value", "alt", "role", "multiple", "label"];
const READ = new Set(READ_ATTRS);
const WATCH = { subtree: true, childList: true, characterData: true, attributes: true };
// What may restyle or move fields without a mutation record. The focus and the pointer moving
// (:focus-within and :hover menus) are compared at each collect instead (sameState): a listener
// on pointerover costs a call per frame on a page that re-renders under a still pointer.
const LAYOUT_EVENTS = ["scroll", "resize", "transitionrun", "transitionend", "transitioncancel", "animationstart", "animationend", "animationcancel", "toggle"];

const kept = {
  gen: 0, // bumped by every change the observer sees to what the descriptions read
  at: -1, // the gen the kept descriptions belong to
  url: "",
  layout: 0, // bumped by anything that may change a field's visibility
  page: "", // the page's scroll position and size when visibility was last read
  focus: null, // WeakRefs to the focused and the deepest hovered element then
  hover: null,
  fields: new WeakMap(), // field → its own description (without what is read afresh)
  roots: new WeakMap(), // element → its closed shadow root or null (shadowFinder)
  walked: null, // the last walk's fields, labels and rootless custom elements, and its gen and url
  forms: new Map(),
  sections: new Map(),
  boxMemo: new Map(),
};
let observer = null;
let observed = new WeakSet();
let rewarm = null;
// After a change the page is described again in idle time, later each time a warm-up is cut
// short by the page changing again (a page that re-renders every frame costs next to nothing).
const REWARM_MS = 1000;
const REWARM_MAX_MS = 60_000;
let rewarmDelay = REWARM_MS;
// No observer since the last change: what was kept may be stale in ways nobody saw.
let blind = true;

// A text input's value attribute is what frameworks sync while the user types: only buttons'
// values are read (their text).
const BUTTON_TYPES = new Set(["submit", "button", "image", "reset"]);
const matters = (r) =>
  r.type !== "attributes" ||
  (READ.has(r.attributeName) && (r.attributeName !== "value" || !(r.target instanceof HTMLInputElement) || BUTTON_TYPES.has(r.target.type)));
const moved = () => kept.layout++;

// Once the page changed what the descriptions read, they are stale until the next collect,
// which observes again: the observer stops meanwhile, so a page that keeps re-rendering makes no
// records for us. A style change only makes visibility be read again.
function changed(records) {
  if (!records.length) return;
  kept.layout++;
  if (records.some(matters)) {
    kept.gen++;
    kept.walked = null;
    if (observer) {
      observer.disconnect();
      observed = new WeakSet();
      blind = true;
    }
  }
  if (!rewarm) rewarm = setTimeout(() => ((rewarm = null), warmCollect()), rewarmDelay);
}

function watch(root) {
  if (typeof MutationObserver !== "function") return;
  if (!observer) {
    observer = new MutationObserver(changed);
    for (const t of LAYOUT_EVENTS) addEventListener(t, moved, { capture: true, passive: true });
  }
  if (observed.has(root)) return;
  if (root === document && blind) {
    // Watching again after a change: nothing kept from before can be trusted.
    blind = false;
    kept.gen++;
    kept.layout++;
  }
  observed.add(root);
  observer.observe(root, WATCH);
  // Events that do not leave their shadow tree (a popover's toggle, a scroll) are heard there.
  if (root instanceof ShadowRoot) for (const t of LAYOUT_EVENTS) root.addEventListener(t, moved, { capture: true, passive: true });
}

// Drops the kept descriptions when the page changed since they were made.
function freshen() {
  if (observer) changed(observer.takeRecords());
  // A running animation or transition may move or fade a field between two reads.
  if (typeof document.getAnimations === "function" && document.getAnimations().some((a) => a.playState === "running")) kept.layout++;
  const url = String(baseURI.call(document)); // forms' actions resolve against it
  if (kept.at === kept.gen && kept.url === url) return;
  kept.at = kept.gen;
  kept.url = url;
  kept.fields = new WeakMap();
  kept.roots = new WeakMap();
  kept.forms.clear();
  kept.sections.clear();
  kept.boxMemo.clear();
}

function own(el, shadow, labels) {
  let d = kept.fields.get(el);
  if (d && d.shadow === shadow) return d;
  const tag = el.localName;
  const form = el.form;
  let formId = null;
  if (form) {
    formId = opidOf(form, "__kfF");
    if (!kept.forms.has(form)) kept.forms.set(form, describeForm(form));
  }
  const box = sectionOf(el, form, kept.boxMemo);
  let section = null;
  if (box) {
    section = opidOf(box, "__kfS");
    if (!kept.sections.has(box)) kept.sections.set(box, describeSection(box));
  }
  d = {
    ref: new WeakRef(el),
    opid: opidOf(el, "__kf"),
    form: formId,
    formEl: form,
    section,
    box,
    tag,
    type: tag === "textarea" ? "textarea" : el.type,
    name: str(el.getAttribute("name")),
    htmlId: str(el.id),
    autocomplete: str(el.getAttribute("autocomplete") || "").trim().toLowerCase(),
    placeholder: str(el.getAttribute("placeholder")),
    label: labelOf(el, labels.get(el)),
    ariaLabel: str(el.getAttribute("aria-label")),
    title: str(el.getAttribute("title")),
    className: clip(str(el.getAttribute("class") || ""), 100),
    maxLength: num(el.maxLength),
    minLength: num(el.minLength),
    pattern: str(el.getAttribute("pattern")),
    inputMode: str(el.getAttribute("inputmode")),
    shadow,
    options: tag === "select" ? options(el) : [],
  };
  d.said = said(d);
  kept.fields.set(el, d);
  return d;
}

// What travels of a field besides opid, tag and type: each only when it is not the core's
// default ("" or null; false for the flags), since on a page of thousands of inputs most are
// empty and the details are carried to the worker and parsed by the core at each gesture
// (docs/extension.md "Page details").
const SAID = ["form", "section", "name", "htmlId", "autocomplete", "placeholder", "label", "ariaLabel", "title", "className", "maxLength", "minLength", "pattern", "inputMode"];

// The kept part of what travels, made once per description (describe copies it at each collect).
function said(d) {
  const out = { opid: d.opid, tag: d.tag, type: d.type };
  for (const k of SAID) if (d[k] !== "" && d[k] !== null) out[k] = d[k];
  return out;
}

function visibleNow(el, d, ctx) {
  if (d.visAt !== kept.layout) {
    d.vis = isVisible(el, ctx.memo, ctx.page);
    d.visAt = kept.layout;
  }
  return d.vis;
}

// The page's box as a key: a scroll, a resize or the page growing invalidates what was read.
const pageKey = (p) => `${p.x} ${p.y} ${p.w} ${p.h} ${p.clipX} ${p.clipY} ${innerWidth} ${innerHeight}`;

// The deepest element under the pointer, through shadow roots (a host is hovered when the
// pointer is inside its tree).
function deepHover(shadowOf) {
  let root = document;
  let el = null;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const chain = (root === document ? D : DocumentFragment.prototype).querySelectorAll.call(root, ":hover");
    if (!chain.length) break;
    el = chain[chain.length - 1];
    root = shadowOf(el);
    if (!root) break;
  }
  return el;
}

// Visibility read before is kept only while the focus and the hovered element are the same.
function sameState(active, shadowOf) {
  const hover = deepHover(shadowOf);
  const was = (ref) => (ref ? ref.deref() : null);
  if (was(kept.focus) === active && was(kept.hover) === hover) return;
  kept.focus = active ? new WeakRef(active) : null;
  kept.hover = hover ? new WeakRef(hover) : null;
  kept.layout++;
}

function describe(el, shadow, ctx) {
  const d = own(el, shadow, ctx.labels);
  if (d.formEl && !ctx.forms.has(d.formEl)) ctx.forms.set(d.formEl, kept.forms.get(d.formEl));
  if (d.box && !ctx.sections.has(d.box)) ctx.sections.set(d.box, kept.sections.get(d.box));
  ctx.refs.set(d.opid, d.ref);
  const out = { ...d.said };
  if (VALUE[d.tag].get.call(el) !== "") out.hasValue = true; // compared, never copied
  if (visibleNow(el, d, ctx)) out.visible = true;
  if (el.disabled) out.disabled = true;
  if (el.readOnly) out.readOnly = true;
  if (d.shadow !== "none") out.shadow = d.shadow;
  if (el === ctx.active) out.focused = true;
  if (d.options.length) out.options = d.options;
  return out;
}

export function isField(el, tag) {
  if (tag === "input") return el instanceof HTMLInputElement && !SKIP_TYPES.has(el.type);
  if (tag === "select") return el instanceof HTMLSelectElement;
  if (tag === "textarea") return el instanceof HTMLTextAreaElement;
  return false;
}

// One TreeWalker pass per root. A shadow host's root is walked where it is met (a stack, not
// recursion), so fields come in rendering order. A field under any closed root is "closed".
// Labels are gathered on the way to map them to their controls in one step afterwards, and
// custom elements without a root, which an upgrade may give one with no mutation record.
async function walk(found, labels, hosts, shadowOf, slice) {
  const newWalker = (root) => {
    watch(root);
    return D.createTreeWalker.call(document, root, NodeFilter.SHOW_ELEMENT);
  };
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
    if (!sr && tag.includes("-")) hosts.push(el);
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

// The first description waits for the user: a page nobody touches (most pages) pays nothing
// for it at load (on the 2,000-input page it is ~10 ms of idle work). Any trusted pointer, key,
// touch, wheel or focus event starts it; the fill shortcut's own modifier keys come before it.
const USE_EVENTS = ["pointermove", "pointerdown", "keydown", "focusin", "touchstart", "wheel"];
export function warmWhenUsed() {
  const opts = { capture: true, passive: true };
  const used = (e) => {
    if (!e.isTrusted) return;
    for (const t of USE_EVENTS) removeEventListener(t, used, opts);
    warmCollect();
  };
  for (const t of USE_EVENTS) addEventListener(t, used, opts);
}

// Describes the page's fields, forms and containers ahead of a collect, in idle time and in
// slices, so the collect a gesture makes only reads what may change without a mutation.
let warming = false;
export function warmCollect() {
  if (warming) return;
  warming = true;
  const run = () =>
    collectOnce(slicer(), true)
      .then((done) => {
        // Cut short (a field replaced, the page changed meanwhile): wait longer next time.
        const quiet = done && !rewarm;
        rewarmDelay = quiet ? REWARM_MS : Math.min(rewarmDelay * 2, REWARM_MAX_MS);
      })
      .catch(() => {})
      .finally(() => (warming = false));
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 0);
}

// The fields and labels of the page, walked again only when the page changed what a walk finds
// (any change of structure, or of an attribute that makes a field or ties a label, since the
// walk), or a custom element got its root; otherwise the last walk's (while it yielded, the
// page's changes were recorded: the freshen after it then makes the next collect walk again).
async function fieldsOf(shadowOf, slice) {
  const last = kept.walked;
  if (last && last.gen === kept.gen && last.url === kept.url && !last.hosts.some(shadowOf)) return last;
  const found = [];
  const labelEls = [];
  const hosts = [];
  if (!(await walk(found, labelEls, hosts, shadowOf, slice))) return null;
  const labels = new Map(); // control → its labels
  for (const l of labelEls) {
    const c = l.control;
    if (c) labels.has(c) ? labels.get(c).push(l) : labels.set(c, [l]);
  }
  return (kept.walked = { gen: kept.gen, url: kept.url, found, labels, hosts });
}

async function collectOnce(slice, warmOnly = false) {
  freshen();
  const shadowOf = shadowFinder(kept.roots);
  const active = deepActive(shadowOf);
  const walked = await fieldsOf(shadowOf, slice);
  if (!walked) return null;
  const { found, labels } = walked;
  const ctx = { forms: new Map(), sections: new Map(), refs: new Map(), memo: new Map(), page: pageBox(), labels, active };
  const samePage = () => {
    const key = pageKey(ctx.page);
    if (key !== kept.page) {
      kept.page = key;
      kept.layout++;
    }
  };
  samePage();
  sameState(active, shadowOf);
  // What the page changed while the walk yielded is described afresh (as before, fields read in
  // different slices may be of different moments; a replaced field makes the collect start over).
  freshen();
  const fields = [];
  for (const [el, shadow] of found) {
    if (slice.due()) {
      await slice.pause();
      ctx.page = pageBox(); // the page ran in between: rescroll, resize
      ctx.memo.clear();
      freshen();
      samePage();
      sameState(deepActive(shadowOf), shadowOf);
    }
    if (!el.isConnected) return null;
    fields.push(describe(el, shadow, ctx));
  }
  if (warmOnly) return true;
  const details = { fields, forms: [...ctx.forms.values()], sections: [...ctx.sections.values()], pageText: pageText() };
  return { refs: ctx.refs, details };
}
