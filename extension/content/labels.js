// The words around a field or form: its labels, aria-labelledby, the text before it, a form's
// headings and buttons. Bounded so a huge label costs little.
import { E, D, nodeType, localName, previousSibling, firstChild, lastChild, byId, norm, clip } from "./dom.js";

const NO_TEXT = new Set(["script", "style", "noscript", "template", "select", "textarea", "input", "option", "svg"]);
const FORM_TEXT = "h1,h2,h3,h4,h5,h6,legend,button,input[type=submit],input[type=button],a,[role=button]";

// Text of a subtree without form controls' own text (a wrapping label around a <select> must
// not swallow its options); bounded so a huge label costs little.
const textFilter = (skip) => ({
  acceptNode: (n) =>
    nodeType.call(n) === 1 && (n === skip || NO_TEXT.has(localName.call(n))) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
});
export function textOf(node, skip, max = 200) {
  const type = nodeType.call(node);
  if (type === 3) return norm(node.data).slice(0, max);
  if (type !== 1 || NO_TEXT.has(localName.call(node))) return "";
  // Most labels hold one text node: read it without a walker (whose filter is a call into this
  // script per node, half the idle description's time on a page of 2,000 labelled inputs).
  const only = firstChild.call(node);
  if (!only) return "";
  if (only === lastChild.call(node) && nodeType.call(only) === 3) return norm(only.data).slice(0, max);
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
export function labelOf(el, labels) {
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

export function formText(form) {
  let out = "";
  for (const n of E.querySelectorAll.call(form, FORM_TEXT)) {
    const t = localName.call(n) === "input" ? norm(n.value || (n.type === "submit" ? "Submit" : "")) : textOf(n, null, 100);
    if (t) out = out ? `${out}  ${t}` : t;
    if (out.length >= 300) break;
  }
  return clip(out, 300);
}
