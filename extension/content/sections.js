// Which container a field belongs to when no form says so: the nearest ancestor (across shadow
// roots, up to the field's form if any) that holds a button of its own, as a formless sign-in
// widget holds its "Sign in" button. "Show password" toggles do not count: they sit in the
// password's own row. Memoized per collect: 2,000 fields share their ancestors.
import { E, attrOf, localName, parentNode, hostOf, str } from "./dom.js";
import { buttonText, boxTexts } from "./forms.js";
import { opidOf } from "./opids.js";

const BUTTONS = "button,input[type=submit],input[type=button],input[type=image],[role=button]";
const TOGGLE = /show|hide|reveal|toggle|eye|visib|afficher|masquer|anzeigen|verbergen|mostrar|ocultar|mostra|nascondi/i;
const MAX_UP = 15;

const F = DocumentFragment.prototype;

// Whether an element or a shadow root holds a button that submits (not a show-password toggle).
function submits(root) {
  const all = root instanceof ShadowRoot ? F.querySelectorAll.call(root, BUTTONS) : E.querySelectorAll.call(root, BUTTONS);
  for (const b of all) {
    const words = `${buttonText(b)} ${str(attrOf(b, "class") || "")}`;
    if (!TOGGLE.test(words)) return true;
  }
  return false;
}

// memo: Map(node → boolean "holds a button"). Returns the container element or null.
export function sectionOf(el, form, memo) {
  let n = el;
  for (let up = 0; up < MAX_UP; up++) {
    const p = parentNode.call(n);
    if (!p) return null;
    if (p instanceof ShadowRoot) {
      // The root holds the widget: its host is the container the page shows.
      let has = memo.get(p);
      if (has === undefined) memo.set(p, (has = submits(p)));
      n = hostOf.call(p);
      if (has) return n;
      continue;
    }
    if (p === form || !(p instanceof Element)) return null;
    const tag = localName.call(p);
    if (tag === "body" || tag === "html") return null;
    let has = memo.get(p);
    if (has === undefined) memo.set(p, (has = submits(p)));
    if (has) return p;
    n = p;
  }
  return null;
}

export function describeSection(box) {
  return {
    opid: opidOf(box, "__kfS"),
    htmlId: str(attrOf(box, "id") || ""),
    name: "",
    className: str(attrOf(box, "class") || "").slice(0, 100),
    ...boxTexts(box),
  };
}
