// The one way the popup talks to the worker (docs/extension.md): a `{type, ...fields}` message,
// answered `{ok: true, ...}` or `{ok: false, error: {code, message}}`.

let lockedHandler = null;

/** Called when any request finds the vault locked (auto-lock while the popup was open). */
export function onLocked(fn) {
  lockedHandler = fn;
}

function apiError(code, message) {
  const err = new Error(message || code);
  err.code = code;
  return err;
}

// Requests for which `locked` is an expected answer, not a sign the vault locked under us.
const LOCK_AWARE = new Set(["status", "unlock", "createVault", "lock"]);

/** Sends one message; resolves to the reply, or throws an Error with `.code` when `ok` is false. */
export async function send(type, fields = {}) {
  let reply;
  try {
    reply = await chrome.runtime.sendMessage({ type, ...fields });
  } catch (e) {
    // No worker listening (still starting, crashed): not a vault error.
    throw apiError("unavailable", e?.message);
  }
  if (!reply || typeof reply !== "object") throw apiError("unavailable", "empty reply");
  if (!reply.ok) {
    const err = apiError(reply.error?.code || "unknown", reply.error?.message);
    if (err.code === "locked" && !LOCK_AWARE.has(type)) lockedHandler?.();
    throw err;
  }
  return reply;
}
