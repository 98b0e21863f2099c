// The fill: types the worker's values into fields of the last collect, after checking this
// frame is still on the origin the worker planned for and each field is still fillable.
import { localName } from "./dom.js";
import { isField } from "./scan.js";
import { isVisible, pageBox } from "./visibility.js";
import { typeInto } from "./typing.js";
import { fail } from "./reply.js";

// `refs`: opid → WeakRef(element), from the last collect only.
export function fill(msg, refs) {
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
      const ref = refs.get(a.opid);
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
