// The one way the popup talks to the worker (docs/extension.md): a `{type, ...fields}` message,
// answered `{ok: true, ...}` or `{ok: false, error: {code, message}}`.

let lockedHandler = null;

/** Called when any request finds the vault locked (auto-lock while the popup was open). */
export function onLocked(fn) {
  lockedHandler = fn;
}

// Extra fields of an error ride along on the Error: `providers` of two_factor_required.
function apiError(code, message, extra = {}) {
  const err = new Error(message || code);
  for (const key in extra) if (key !== "code" && key !== "message" && key !== "stack") err[key] = extra[key];
  err.code = code;
  return err;
}

// Requests for which `locked` is an expected answer, not a sign the vault locked under us.
const LOCK_AWARE = new Set(["status", "unlock", "createVault", "lock"]);

/**
 * Sends one message; resolves to the reply, or throws an Error with `.code` (and any other field
 * of `reply.error`, e.g. `.providers`) when `ok` is false.
 */
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
    const err = apiError(reply.error?.code || "unknown", reply.error?.message, reply.error ?? {});
    if (err.code === "locked" && !LOCK_AWARE.has(type)) lockedHandler?.();
    throw err;
  }
  return reply;
}
