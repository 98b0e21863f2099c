// Background service worker: loads the wasm core once; every handler awaits `ready`.
// (MV3: static import of the wasm-bindgen --target web output, listeners registered at top level.)
import init, { Session } from "../pkg/keyfill.js";

export const ready = init({ module_or_path: new URL("../pkg/keyfill_bg.wasm", import.meta.url) }).then(
  () => new Session(),
);
