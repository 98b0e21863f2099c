// A form as the planner sees it: where it posts (its action and its buttons' formaction),
// its method, its names, and the words around it by where they stand: button texts, headings
// (inside, and the nearest one before it), links inside and beside it ("Forgot password?",
// "Create an account"). Formless fields' containers are described the same way.
import { E, D, attrOf, baseURI, localName, formElements, str, norm, clip } from "./dom.js";
import { formText, textOf } from "./labels.js";
import { opidOf } from "./opids.js";

const MAX_SUBMIT_ACTIONS = 16;
const MAX_TEXTS = 8;
const TEXT_LEN = 80;
const BUTTONS = "button,input[type=submit],input[type=button],input[type=image],[role=button]";
const HEADINGS = "h1,h2,h3,h4,h5,h6,legend,[role=heading]";
const FIELDS = "input,select,textarea,form";

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

// A button's words: its text, else its value, label, alt or title.
export function buttonText(el) {
  const input = localName.call(el) === "input";
  const own = input ? norm(str(attrOf(el, "value") || "")) : textOf(el, null, TEXT_LEN);
  return clip(own || norm(str(attrOf(el, "aria-label") || attrOf(el, "alt") || attrOf(el, "title") || "")), TEXT_LEN);
}

function push(out, t) {
  if (t && out.length < MAX_TEXTS && !out.includes(t)) out.push(t);
}

function collectTexts(root, sel, read, out) {
  for (const n of E.querySelectorAll.call(root, sel)) {
    if (out.length >= MAX_TEXTS) break;
    push(out, read(n));
  }
}

const plainText = (n) => textOf(n, null, TEXT_LEN);

// The nearest heading before the box: its earlier siblings, then its parents' (a few steps).
function headingBefore(box) {
  let n = box;
  for (let up = 0; n && up < 3; up++, n = n.parentElement) {
    let steps = 0;
    for (let s = n.previousElementSibling; s && steps < 4; s = s.previousElementSibling, steps++) {
      if (E.matches.call(s, HEADINGS)) return plainText(s);
      // Another form's heading is not this one's.
      if (E.matches.call(s, FIELDS) || E.querySelector.call(s, FIELDS)) return "";
      const inner = E.querySelectorAll.call(s, HEADINGS);
      if (inner.length) return plainText(inner[inner.length - 1]);
    }
  }
  return "";
}

// Links in the box, then in the siblings just after and before it, stopping at one that holds
// fields (another form's links are not this one's).
function linksAround(box, out) {
  collectTexts(box, "a", plainText, out);
  for (const [dir, max] of [["nextElementSibling", 3], ["previousElementSibling", 2]]) {
    let steps = 0;
    for (let s = box[dir]; s && steps < max && out.length < MAX_TEXTS; s = s[dir], steps++) {
      if (E.matches.call(s, FIELDS) || E.querySelector.call(s, FIELDS)) break;
      if (localName.call(s) === "a") push(out, plainText(s));
      else collectTexts(s, "a", plainText, out);
    }
  }
  return out;
}

// Buttons, headings and links of a form or a container.
export function boxTexts(box) {
  const buttons = [];
  collectTexts(box, BUTTONS, buttonText, buttons);
  const headings = [];
  push(headings, headingBefore(box));
  collectTexts(box, HEADINGS, plainText, headings);
  return { buttons, headings, links: linksAround(box, []) };
}

export function describeForm(form) {
  const url = resolveAction(attrOf(form, "action"));
  const method = (attrOf(form, "method") || "get").toLowerCase();
  return {
    opid: opidOf(form, "__kfF"),
    action: url,
    submitActions: submitActions(form, url),
    method: method === "post" || method === "dialog" ? method : "get",
    htmlId: str(attrOf(form, "id")),
    name: str(attrOf(form, "name")),
    className: clip(str(attrOf(form, "class") || ""), 100),
    text: formText(form),
    ...boxTexts(form),
  };
}
