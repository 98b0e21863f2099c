// Keyfill content script, the entry (every frame). The build bundles it with the modules beside
// it into one classic script (MV3 content scripts are not modules), at this same path in dist/.
// It answers the worker: `collect` (a snapshot of THIS frame's fields, never their values),
// `fill` (types values into fields of the last snapshot) and the save prompt's show and close.
// At load it registers that listener, the capture's trusted submit/click/Enter listeners, which
// act only when a group with a typed password is submitted, and the inline menu's trusted
// focus/click/key listeners, which act only in a field; once the user acts in the page, it
// describes its frame's fields in idle time for the next collect (scan.js keeps them, and drops
// what the page changes: it watches mutations and the scroll, resize and animation events, and
// acts on none). It never listens to the page (no postMessage, no custom events) and leaves no
// trace in the DOM but the prompt's host while it shows (opids live in a WeakMap) and the inline
// menu's hosts while they show.
// Modules: scan (collect) → shadow, visibility, labels, forms, opids, slicer; fill → typing;
// messaging wires both to the runtime; capture (submits, for the save prompt) and prompt-host
// (the prompt's frame in the page); menu (the inline menu on the field the user is in) and
// menu-host (its icon and frame in the page).
import { listen } from "./messaging.js";
import { watchSubmits } from "./capture.js";
import { watchFields } from "./menu.js";
import { warmWhenUsed } from "./scan.js";

const runtime = globalThis.chrome && globalThis.chrome.runtime;

// Double-injection guard, kept on our own `chrome` object (never visible to the page). A copy
// orphaned by an extension reload reports a dead runtime, so the new copy takes over.
function firstCopy() {
  const GUARD = Symbol.for("keyfill.content");
  try {
    if (typeof runtime[GUARD] === "function" && runtime[GUARD]()) return false;
    Object.defineProperty(runtime, GUARD, { value: () => Boolean(runtime.id), configurable: true });
  } catch {
    // A frozen runtime object: run anyway, a second listener would only answer twice.
  }
  return true;
}

if (runtime && runtime.onMessage && firstCopy()) {
  listen(runtime);
  warmWhenUsed();
  watchSubmits(runtime);
  watchFields(runtime);
}
