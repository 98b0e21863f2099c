// The error reply every content-script answer uses: a stable code and a message, never a secret.
export const fail = (code, message) => ({ ok: false, error: { code, message } });
