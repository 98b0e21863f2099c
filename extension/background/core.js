// The wasm core's lifecycle. One Session lives in wasm memory while unlocked. Locking drops it,
// overwrites the whole linear memory (freed blocks keep their bytes otherwise) and instantiates a
// fresh module, so nothing of the old vault survives in the worker.
import init, * as wasm from "../pkg/keyfill.js";

let session = null;
/** Async core calls under way (a sync awaiting fetch, an unlock awaiting WebCrypto): wiping
 * while one is suspended inside the instance would resume it in a reset one. */
const inFlight = new Set();
/** Aborts the server requests of the calls under way when the vault locks. */
let aborter = new AbortController();
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

/** Whether nothing may be injected into a frame at `url` (the user's opt-out list). */
export const optedOut = (url, sites) => wasm.optedOut(url, JSON.stringify(sites ?? []));
/** The inline menu for field `opid` of a frame's details (keyfill::inline_menu), or null. */
export const menuField = (details, opid, stored) => JSON.parse(wasm.menuField(JSON.stringify(details), opid, stored === true));
export const generatePassword = (options) => wasm.generatePassword(JSON.stringify(options ?? {}));
export const passwordStrength = (password) => JSON.parse(wasm.passwordStrength(password));

// The binding's transport calls the global fetch; each request also listens to the lock's
// abort signal, so a lock ends a request still out at once (the core then sees an unreachable
// server: the edit stays queued, nothing is marked).
const nativeFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = (input, init = {}) => {
  const signal = init.signal ? AbortSignal.any([init.signal, aborter.signal]) : aborter.signal;
  return nativeFetch(input, { ...init, signal });
};

/** Tracks an async core call (or a task made of them) until it settles; returns it. */
export function track(promise) {
  inFlight.add(promise);
  const done = () => inFlight.delete(promise);
  promise.then(done, done);
  return promise;
}

/** Aborts the server requests under way, then waits for every tracked call to settle (an
 *  unlock's key derivation cannot be aborted: it ends by itself). Bounded, so a lock never
 *  hangs; past the bound the instance is wiped all the same. */
export async function settle(ms = 15_000) {
  aborter.abort();
  let timer;
  const bound = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.allSettled([...inFlight]), bound]);
  clearTimeout(timer);
  aborter = new AbortController();
}

/** The Session if one is live (never creates one). */
export const liveSession = () => session;

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
