// Keyfill content script (classic script, every frame). It answers two worker messages:
// `collect` (a snapshot of THIS frame's fields, never their values) and `fill` (types values into
// fields of the last snapshot). At load it only registers the listener: pages pay nothing until
// the user asks for a fill. It never listens to the page (no postMessage, no custom events) and
// leaves no trace in the DOM (opids live in a WeakMap, not in attributes).
(() => {
  "use strict";
  const runtime = globalThis.chrome && globalThis.chrome.runtime;
  if (!runtime || !runtime.onMessage) return;

  // Double-injection guard, kept on our own `chrome` object (never visible to the page). A copy
  // orphaned by an extension reload reports a dead runtime, so the new copy takes over.
  const GUARD = Symbol.for("keyfill.content");
  try {
    if (typeof runtime[GUARD] === "function" && runtime[GUARD]()) return;
    Object.defineProperty(runtime, GUARD, { value: () => Boolean(runtime.id), configurable: true });
  } catch {
    // A frozen runtime object: run anyway, a second listener would only answer twice.
  }

  // DOM clobbering: `<input name="action">` shadows form.action, `<input name="parentNode">`
  // form.parentNode, `<form name="title">` document.title. So anything that may be a form or the
  // document is read through the prototypes only (inputs, labels, shadow roots are not clobberable).
  const E = Element.prototype;
  const D = Document.prototype;
  const N = Node.prototype;
  const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const attrOf = (el, name) => E.getAttribute.call(el, name);
  const docTitle = getter(D, "title");
  const docActive = getter(D, "activeElement");
  const docElement = getter(D, "documentElement");
  const docBody = getter(D, "body");
  const baseURI = getter(N, "baseURI");
  const textContent = getter(N, "textContent");
  const nodeType = getter(N, "nodeType");
  const parentNode = getter(N, "parentNode");
  const parentElement = getter(N, "parentElement");
  const previousSibling = getter(N, "previousSibling");
  const localName = getter(E, "localName");
  const shadowRootOf = getter(E, "shadowRoot");
  const assignedSlot = getter(E, "assignedSlot");
  const hostOf = getter(ShadowRoot.prototype, "host");
  const formElements = getter(HTMLFormElement.prototype, "elements");
  const byId = (root, id) =>
    nodeType.call(root) === 9 ? D.getElementById.call(root, id) : DocumentFragment.prototype.getElementById.call(root, id);
  // Native setters: React & co. keep a per-element value tracker; only a prototype setter call
  // followed by an `input` event is seen as a user change.
  const VALUE = {
    input: Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value"),
    textarea: Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value"),
    select: Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value"),
  };

  const SKIP_TYPES = new Set(["hidden", "submit", "button", "image", "reset", "file", "checkbox", "radio", "range", "color"]);
  // Elements that may carry a shadow root (attachShadow's allow-list, plus custom elements):
  // only these are worth a chrome.dom call.
  const HOST_TAGS = new Set(["article", "aside", "blockquote", "body", "div", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "main", "nav", "p", "section", "span"]);
  const NO_TEXT = new Set(["script", "style", "noscript", "template", "select", "textarea", "input", "option", "svg"]);
  const FORM_TEXT = "h1,h2,h3,h4,h5,h6,legend,button,input[type=submit],input[type=button],a,[role=button]";
  const MAX_FIELDS = 5000;
  const MAX_DEPTH = 256; // nested shadow roots; a page nesting deeper is not a login page
  const MAX_STR = 256;
  const MAX_OPTIONS = 400;
  const MAX_SUBMIT_ACTIONS = 16;

  let counter = 0;
  const opids = new WeakMap(); // element → opid, stable for the element's life
  let lastCollect = new Map(); // opid → WeakRef(element), from the last collect only

  const opidOf = (el, prefix) => {
    let id = opids.get(el);
    if (!id) opids.set(el, (id = prefix + ++counter));
    return id;
  };
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const clip = (s, n = MAX_STR) => (s.length > n ? s.slice(0, n) : s);
  const str = (v) => (typeof v === "string" ? clip(v) : "");
  const fail = (code, message) => ({ ok: false, error: { code, message } });

  // chrome.dom is read per collect: it may be missing (older browsers), then closed roots are skipped.
  function shadowFinder() {
    const dom = globalThis.chrome && globalThis.chrome.dom;
    const closed = dom && typeof dom.openOrClosedShadowRoot === "function" ? dom.openOrClosedShadowRoot.bind(dom) : null;
    return (el) => {
      const open = shadowRootOf.call(el);
      if (open) return open;
      if (!closed) return null;
      const tag = localName.call(el);
      if (!HOST_TAGS.has(tag) && !tag.includes("-")) return null;
      try {
        return closed(el) || null;
      } catch {
        return null;
      }
    };
  }

  // Rendering parent: slotted nodes render under their slot, shadow roots under their host.
  const flatParent = (n) => {
    const up = assignedSlot.call(n) || parentElement.call(n);
    if (up) return up;
    const p = parentNode.call(n);
    return p instanceof ShadowRoot ? hostOf.call(p) : null;
  };

  // Opacity and clipping of an element's ancestor chain, memoized per pass so 2,000 fields that
  // share ancestors cost one getComputedStyle per distinct ancestor. Opacity is the product up the
  // chain (two 0.8 layers are 0.64 on screen). Iterative: no recursion on deep DOMs.
  const ROOT_STATE = { hidden: false, opacity: 1 };
  const clipped = (cs) => {
    const m = /^rect\(([-\d.]+)px,? ([-\d.]+)px,? ([-\d.]+)px,? ([-\d.]+)px\)$/.exec(cs.clip);
    return Boolean(m) && (m[2] - m[4] < 2 || m[3] - m[1] < 2); // clip: rect(0 0 0 0)
  };
  function chainState(el, memo, html, body) {
    const pending = [];
    let base = ROOT_STATE;
    for (let n = el; n; n = flatParent(n)) {
      const known = memo.get(n);
      if (known) {
        base = known;
        break;
      }
      pending.push(n);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const n = pending[i];
      if (!base.hidden) {
        const cs = getComputedStyle(n);
        const op = parseFloat(cs.opacity);
        let hidden = E.hasAttribute.call(n, "hidden") || cs.display === "none" || clipped(cs);
        // A tiny box that clips its content hides it ("visually hidden" wrappers). The root and
        // body hand their overflow to the viewport, and the field's own box is measured later.
        if (!hidden && n !== el && n !== html && n !== body && cs.overflow !== "visible" && cs.display !== "contents" && cs.display !== "inline") {
          const r = n.getBoundingClientRect();
          hidden = r.width < 2 || r.height < 2;
        }
        base = { hidden, opacity: base.opacity * (Number.isNaN(op) ? 1 : op) };
      }
      memo.set(n, base);
    }
    return base;
  }

  const CHECK = { visibilityProperty: true, checkVisibilityCSS: true, contentVisibilityAuto: false };
  // docs/autofill.md rule 6. Sub-2px boxes count as zero-size: the "visually hidden" honeypot.
  // visibility is judged on the field itself: it inherits, and a visible child of a hidden
  // parent is really on screen.
  function isVisible(el, memo, page) {
    if (!el.isConnected) return false;
    const st = chainState(el, memo, page.html, page.body);
    if (st.hidden || st.opacity < 0.7) return false;
    if (typeof el.checkVisibility === "function" && !el.checkVisibility(CHECK)) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    // Wholly off-screen: before the document's start, past its scrollable size, or outside the
    // viewport on an axis the page does not let the user scroll (overflow hidden on the root).
    const inX = page.clipX ? r.right > 0 && r.left < innerWidth : r.right + page.x > 0 && r.left + page.x < page.w;
    const inY = page.clipY ? r.bottom > 0 && r.top < innerHeight : r.bottom + page.y > 0 && r.top + page.y < page.h;
    return inX && inY;
  }

  function pageBox() {
    const html = docElement.call(document);
    const body = docBody.call(document);
    // The viewport scrolls per the root's overflow, or the body's when the root's is visible.
    let cs = html && getComputedStyle(html);
    if (cs && cs.overflowX === "visible" && cs.overflowY === "visible" && body) cs = getComputedStyle(body);
    const stuck = (v) => v === "hidden" || v === "clip";
    return {
      html,
      body,
      x: scrollX,
      y: scrollY,
      w: Math.max(html ? html.scrollWidth : 0, innerWidth),
      h: Math.max(html ? html.scrollHeight : 0, innerHeight),
      clipX: Boolean(cs) && stuck(cs.overflowX),
      clipY: Boolean(cs) && stuck(cs.overflowY),
    };
  }

  // Text of a subtree without form controls' own text (a wrapping label around a <select> must
  // not swallow its options); bounded so a huge label costs little.
  const textFilter = (skip) => ({
    acceptNode: (n) =>
      nodeType.call(n) === 1 && (n === skip || NO_TEXT.has(localName.call(n))) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  function textOf(node, skip, max = 200) {
    const type = nodeType.call(node);
    if (type === 3) return norm(node.data).slice(0, max);
    if (type !== 1 || NO_TEXT.has(localName.call(node))) return "";
    let out = "";
    const w = D.createTreeWalker.call(document, node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, textFilter(skip));
    for (let n = w.nextNode(); n && out.length < max; n = w.nextNode()) {
      if (nodeType.call(n) === 3) out += n.data + " ";
    }
    return norm(out).slice(0, max);
  }

  const FIELD_SEL = "input,select,textarea";
  // The nearest short text before the field in the same parent: "Username <input>".
  function precedingText(el) {
    let steps = 0;
    for (let n = previousSibling.call(el); n && steps < 6; n = previousSibling.call(n), steps++) {
      if (nodeType.call(n) === 1 && (E.matches.call(n, FIELD_SEL) || E.querySelector.call(n, FIELD_SEL))) return "";
      if (n instanceof HTMLLabelElement && n.control && n.control !== el) return ""; // another field's label
      const t = textOf(n, null, 101);
      if (t) return t.length <= 100 ? t : "";
    }
    return "";
  }

  // `labels`: the <label for> and wrapping labels of el, from the map built during the walk
  // (el.labels rescans the whole tree per call: quadratic on big pages).
  function labelOf(el, labels) {
    let text = "";
    if (labels) {
      for (const l of labels) {
        const t = textOf(l, el, 100);
        if (t) text = text ? `${text} ${t}` : t;
        if (text.length >= 100) break;
      }
    }
    if (!text) {
      const ids = el.getAttribute("aria-labelledby");
      if (ids) {
        const root = el.getRootNode();
        for (const id of ids.split(/\s+/).slice(0, 8)) {
          const type = nodeType.call(root);
          const n = id && (type === 9 || type === 11) ? byId(root, id) : null;
          const t = n ? textOf(n, el, 100) : "";
          if (t) text = text ? `${text} ${t}` : t;
        }
      }
    }
    if (!text) text = precedingText(el);
    return clip(text, 100);
  }

  function formText(form) {
    let out = "";
    for (const n of E.querySelectorAll.call(form, FORM_TEXT)) {
      const t = localName.call(n) === "input" ? norm(n.value || (n.type === "submit" ? "Submit" : "")) : textOf(n, null, 100);
      if (t) out = out ? `${out}  ${t}` : t;
      if (out.length >= 300) break;
    }
    return clip(out, 300);
  }

  // An action attribute as the browser resolves it; none or empty: the document URL.
  const resolveAction = (action) => {
    try {
      return new URL(action || "", baseURI.call(document)).href;
    } catch {
      return "";
    }
  };

  // Where the form's submit buttons send it when they override its action (`formaction`): its
  // own buttons and those tied to it by `form=`, image buttons included (form.elements leaves
  // those out). Pressing any of them posts there; the planner weighs each (docs/autofill.md rule 7)
  function submitActions(form, own) {
    const buttons = new Set(formElements.call(form));
    for (const el of E.querySelectorAll.call(form, "input[type=image]")) if (el.form === form) buttons.add(el);
    for (const el of D.querySelectorAll.call(document, "input[type=image][form]")) if (el.form === form) buttons.add(el);
    const out = [];
    for (const el of buttons) {
      if (out.length >= MAX_SUBMIT_ACTIONS) break;
      const tag = localName.call(el);
      const submits =
        (tag === "button" && el instanceof HTMLButtonElement && el.type === "submit") ||
        (tag === "input" && el instanceof HTMLInputElement && (el.type === "submit" || el.type === "image"));
      if (!submits || !E.hasAttribute.call(el, "formaction")) continue;
      const url = resolveAction(attrOf(el, "formaction"));
      if (url !== own && !out.includes(url)) out.push(url);
    }
    return out;
  }

  function describeForm(form) {
    const url = resolveAction(attrOf(form, "action"));
    const method = (attrOf(form, "method") || "get").toLowerCase();
    return {
      opid: opidOf(form, "__kfF"),
      action: url,
      submitActions: submitActions(form, url),
      method: method === "post" || method === "dialog" ? method : "get",
      htmlId: str(attrOf(form, "id")),
      name: str(attrOf(form, "name")),
      text: formText(form),
    };
  }

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
    const opid = opidOf(el, "__kf");
    ctx.refs.set(opid, new WeakRef(el));
    return {
      opid,
      form: formId,
      tag,
      type: tag === "textarea" ? "textarea" : el.type,
      name: str(el.getAttribute("name")),
      htmlId: str(el.id),
      autocomplete: str(el.getAttribute("autocomplete") || "").trim().toLowerCase(),
      placeholder: str(el.getAttribute("placeholder")),
      label: labelOf(el, ctx.labels.get(el)),
      ariaLabel: str(el.getAttribute("aria-label")),
      title: str(el.getAttribute("title")),
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

  function isField(el, tag) {
    if (tag === "input") return el instanceof HTMLInputElement && !SKIP_TYPES.has(el.type);
    if (tag === "select") return el instanceof HTMLSelectElement;
    if (tag === "textarea") return el instanceof HTMLTextAreaElement;
    return false;
  }

  // Collection runs in slices of at most SLICE_MS, yielding to the page in between, so even a
  // huge page gets no long task from us. scheduler.yield keeps our place in line; a private
  // MessageChannel is the fallback (timers are throttled in background tabs; no window message).
  const SLICE_MS = 8;
  function slicer() {
    let start = performance.now();
    const pause = () =>
      globalThis.scheduler && typeof scheduler.yield === "function"
        ? scheduler.yield()
        : new Promise((resolve) => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => resolve();
            ch.port2.postMessage(0);
          });
    return {
      due: () => performance.now() - start > SLICE_MS,
      async pause() {
        await pause();
        start = performance.now();
      },
    };
  }
  // The last resort for a page that rebuilds its fields faster than we can yield: one pass that
  // nothing interrupts, so what it collects is one consistent state of the page.
  const UNSLICED = { due: () => false, pause: async () => {} };
  const SLICED_TRIES = 2;

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

  // The focused element, looking through (open or closed) shadow roots.
  function deepActive(shadowOf) {
    let a = docActive.call(document);
    for (let i = 0; a && i < MAX_DEPTH; i++) {
      const sr = shadowOf(a);
      if (!sr || !sr.activeElement) break;
      a = sr.activeElement;
    }
    return a;
  }

  function pageText() {
    const h = D.querySelector.call(document, "h1, h2");
    const parts = [norm(String(docTitle.call(document) || "")), h ? norm(textContent.call(h) || "") : ""];
    return clip(parts.filter(Boolean).join(" "), 200);
  }

  // A page may replace its fields while we yield; a collect that met a replaced field is thrown
  // away and redone, so the fields reported always belong to one state of the page.
  async function collect() {
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
    const ctx = { forms: new Map(), refs: new Map(), memo: new Map(), page: pageBox(), labels, active };
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
    lastCollect = ctx.refs;
    return { fields, forms: [...ctx.forms.values()], pageText: pageText() };
  }

  // --- fill ---

  const key = (el, type, k) =>
    el.dispatchEvent(new KeyboardEvent(type, { key: k, bubbles: true, cancelable: true, composed: true }));

  function pickOption(el, v) {
    const want = v.trim().toLowerCase();
    let index = -1;
    for (let i = 0; i < el.options.length && index < 0; i++) if (el.options[i].value === v) index = i;
    for (let i = 0; i < el.options.length && index < 0; i++) if (norm(el.options[i].text).toLowerCase() === want) index = i;
    if (index < 0) return false;
    VALUE.select.set.call(el, el.options[index].value);
    return true;
  }

  // Types like a user would, cheaply: focus, key down, value, input, key up, change, blur.
  function typeInto(el, v) {
    el.focus();
    if (deepActive(shadowFinder()) !== el) {
      // The page refused focus (or the window is not focused): still announce it, as typing would.
      el.dispatchEvent(new FocusEvent("focus"));
      el.dispatchEvent(new FocusEvent("focusin", { bubbles: true, composed: true }));
    }
    // Some sites keep a field readonly until it is focused (an anti-autofill trick); recheck now.
    if (el.readOnly || el.disabled) {
      el.blur();
      return false;
    }
    const tag = el.localName;
    if (tag === "select") {
      if (!pickOption(el, v)) {
        el.blur();
        return false;
      }
      el.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    } else {
      const last = v.slice(-1);
      key(el, "keydown", last);
      VALUE[tag].set.call(el, v);
      el.dispatchEvent(new InputEvent("input", { bubbles: true, composed: true, inputType: "insertText", data: v }));
      key(el, "keyup", last);
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
    el.blur();
    return true;
  }

  function fill(msg) {
    const actions = Array.isArray(msg.actions) ? msg.actions : [];
    try {
      // A sandboxed/opaque frame is never filled (docs/autofill.md rule 4), whatever the worker says.
      if (globalThis.origin === "null" || location.origin === "null") return fail("opaque_origin", "this frame has an opaque origin");
      if (typeof msg.origin !== "string" || msg.origin !== location.origin) {
        return fail("origin_changed", "the frame is no longer on the expected origin");
      }
      let filled = 0;
      for (const a of actions) {
        if (!a || typeof a !== "object") continue;
        let v = typeof a.value === "string" ? a.value : null;
        a.value = ""; // drop the message's reference to the secret as soon as we hold it
        const ref = lastCollect.get(a.opid);
        const el = ref && ref.deref();
        // Fresh visibility check: the page may have hidden or moved the field since collect.
        if (el && v !== null && isField(el, localName.call(el)) && !el.disabled && isVisible(el, new Map(), pageBox()) && typeInto(el, v)) filled++;
        v = null;
      }
      return { ok: true, filled };
    } finally {
      for (const a of actions) if (a && typeof a === "object") a.value = "";
      actions.length = 0;
    }
  }

  runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (!msg || typeof msg !== "object") return false;
    if (sender && sender.id && sender.id !== runtime.id) return false; // only our own extension talks to us
    switch (msg.type) {
      case "collect":
        // Asynchronous (sliced): the details go out as pageDetails, then the reply.
        collect().then(
          (details) => {
            try {
              const p = runtime.sendMessage({ type: "pageDetails", token: msg.token, details });
              if (p && typeof p.catch === "function") p.catch(() => {});
            } catch {
              // Extension reloaded: this copy is orphaned, nothing to do.
            }
            sendResponse({ ok: true });
          },
          (e) => sendResponse(fail("collect_failed", String(e && e.message))),
        );
        return true;
      case "fill":
        sendResponse(fill(msg));
        return false;
      default:
        sendResponse(fail("unknown_message", "unknown message type"));
        return false;
    }
  });
})();
