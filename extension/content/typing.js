// Setting a value the way a user would: focus, key down, the native setter, input, key up,
// change, blur; a select by option value or text.
import { VALUE, norm } from "./dom.js";
import { shadowFinder, deepActive } from "./shadow.js";

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
export function typeInto(el, v) {
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
