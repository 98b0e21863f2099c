// A form as the planner sees it: where it posts (its action and its buttons' formaction),
// its method, its names and its text.
import { E, D, attrOf, baseURI, localName, formElements, str } from "./dom.js";
import { formText } from "./labels.js";
import { opidOf } from "./opids.js";

const MAX_SUBMIT_ACTIONS = 16;

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
    text: formText(form),
  };
}
