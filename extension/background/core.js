// The wasm core's lifecycle. One Session lives in wasm memory while unlocked. Locking drops it,
// overwrites the whole linear memory (freed blocks keep their bytes otherwise) and instantiates a
// fresh module, so nothing of the old vault survives in the worker.
import init, * as wasm from "../pkg/keyfill.js";

let session = null;
/** The memory of the last instance wiped, kept only in the test build (tests check it holds
 * nothing); the shipped build leaves it to the garbage collector. */
let wiped = null;
let keepWiped = false;

export const ready = init({ module_or_path: new URL("../pkg/keyfill_bg.wasm", import.meta.url) });

/** The one Session (created on first use after each wipe). */
export function core() {
  if (!session) session = new wasm.Session();
  return session;
}

export const generatePassword = (options) => wasm.generatePassword(JSON.stringify(options ?? {}));
export const passwordStrength = (password) => JSON.parse(wasm.passwordStrength(password));

/** Drops every key and decrypted value, then wipes and replaces the wasm instance. */
export function wipe() {
  if (session) {
    try {
      session.lock();
      session.free();
    } catch {
      // A trapped instance is replaced below anyway.
    }
    session = null;
  }
  const memory = wasm.wasmMemory();
  new Uint8Array(memory.buffer).fill(0);
  if (keepWiped) wiped = memory;
  // A fresh instance of the compiled module (wasm-bindgen --experimental-reset-state-function).
  wasm.__wbg_reset_state();
}

/** Test build: keep each wiped memory until the next wipe, for memoryBuffers. */
export const keepWipedMemory = () => (keepWiped = true);
/** The live and the last wiped linear memories (tests search them after lock). */
export const memoryBuffers = () => ({ live: wasm.wasmMemory().buffer, wiped: wiped?.buffer ?? null });
