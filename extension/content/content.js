// Keyfill content script, the entry (every frame). The build bundles it with the modules beside
// it into one classic script (MV3 content scripts are not modules), at this same path in dist/.
// It answers two worker messages: `collect` (a snapshot of THIS frame's fields, never their
// values) and `fill` (types values into fields of the last snapshot). At load it only registers
// the listener: pages pay nothing until the user asks for a fill. It never listens to the page
// (no postMessage, no custom events) and leaves no trace in the DOM (opids live in a WeakMap).
// Modules: scan (collect) → shadow, visibility, labels, forms, opids, slicer; fill → typing;
// messaging wires both to the runtime. Save capture and the inline menu get modules of their own.
import { listen } from "./messaging.js";

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

if (runtime && runtime.onMessage && firstCopy()) listen(runtime);
