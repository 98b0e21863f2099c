// Shadow roots, open and closed: finding a host's root, the rendering parent across slots and
// roots, and the focused element through them.
import { docActive, localName, shadowRootOf, assignedSlot, parentElement, parentNode, hostOf } from "./dom.js";

// Elements that may carry a shadow root (attachShadow's allow-list, plus custom elements):
// only these are worth a chrome.dom call.
const HOST_TAGS = new Set(["article", "aside", "blockquote", "body", "div", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "main", "nav", "p", "section", "span"]);
export const MAX_DEPTH = 256; // nested shadow roots; a page nesting deeper is not a login page

// chrome.dom is read per collect: it may be missing (older browsers), then closed roots are skipped.
// `known` (a WeakMap, optional) keeps what chrome.dom said of built-in elements: the call costs
// ~3 µs, paid for every div of the page at each collect (6-9 ms on the 2,000-input page). A root
// once attached stays; an element without one may get one later, which the caller allows for by
// dropping `known` whenever the page changes (scan.js). Custom elements are always asked: their
// definition may load late and attach a root to an element already in the page, with no change
// anyone observes.
export function shadowFinder(known = null) {
  const dom = globalThis.chrome && globalThis.chrome.dom;
  const closed = dom && typeof dom.openOrClosedShadowRoot === "function" ? dom.openOrClosedShadowRoot.bind(dom) : null;
  const ask = (el) => {
    try {
      return closed(el) || null;
    } catch {
      return null;
    }
  };
  return (el) => {
    const open = shadowRootOf.call(el);
    if (open) return open;
    if (!closed) return null;
    const tag = localName.call(el);
    if (tag.includes("-")) return ask(el);
    if (!HOST_TAGS.has(tag)) return null;
    if (!known) return ask(el);
    let root = known.get(el);
    if (root === undefined) known.set(el, (root = ask(el)));
    return root;
  };
}

// Rendering parent: slotted nodes render under their slot, shadow roots under their host.
export const flatParent = (n) => {
  const up = assignedSlot.call(n) || parentElement.call(n);
  if (up) return up;
  const p = parentNode.call(n);
  return p instanceof ShadowRoot ? hostOf.call(p) : null;
};

// The focused element, looking through (open or closed) shadow roots.
export function deepActive(shadowOf) {
  let a = docActive.call(document);
  for (let i = 0; a && i < MAX_DEPTH; i++) {
    const sr = shadowOf(a);
    if (!sr || !sr.activeElement) break;
    a = sr.activeElement;
  }
  return a;
}
