// Clobber-proof DOM access and small text helpers shared by the content script's modules.
// DOM clobbering: `<input name="action">` shadows form.action, `<input name="parentNode">`
// form.parentNode, `<form name="title">` document.title. So anything that may be a form or the
// document is read through the prototypes only (inputs, labels, shadow roots are not clobberable).
export const E = Element.prototype;
export const D = Document.prototype;
const N = Node.prototype;
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
export const attrOf = (el, name) => E.getAttribute.call(el, name);
export const docTitle = getter(D, "title");
export const docActive = getter(D, "activeElement");
export const docElement = getter(D, "documentElement");
export const docBody = getter(D, "body");
export const baseURI = getter(N, "baseURI");
export const textContent = getter(N, "textContent");
export const nodeType = getter(N, "nodeType");
export const parentNode = getter(N, "parentNode");
export const parentElement = getter(N, "parentElement");
export const previousSibling = getter(N, "previousSibling");
export const firstChild = getter(N, "firstChild");
export const lastChild = getter(N, "lastChild");
export const localName = getter(E, "localName");
export const shadowRootOf = getter(E, "shadowRoot");
export const assignedSlot = getter(E, "assignedSlot");
export const hostOf = getter(ShadowRoot.prototype, "host");
export const formElements = getter(HTMLFormElement.prototype, "elements");
export const byId = (root, id) =>
  nodeType.call(root) === 9 ? D.getElementById.call(root, id) : DocumentFragment.prototype.getElementById.call(root, id);
// Native setters: React & co. keep a per-element value tracker; only a prototype setter call
// followed by an `input` event is seen as a user change.
export const VALUE = {
  input: Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value"),
  textarea: Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value"),
  select: Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value"),
};

export const MAX_STR = 256;
export const norm = (s) => s.replace(/\s+/g, " ").trim();
export const clip = (s, n = MAX_STR) => (s.length > n ? s.slice(0, n) : s);
export const str = (v) => (typeof v === "string" ? clip(v) : "");
