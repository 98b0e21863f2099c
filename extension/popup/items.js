// Item helpers shared by the list, item and edit views (Bitwarden export shape).

export const TYPE_LOGIN = 1;
export const TYPE_NOTE = 2;
export const TYPE_CARD = 3;
export const TYPE_IDENTITY = 4;

/** Search rows name the type `kind`, summaries name it `type`: accept both. */
export function rowType(row) {
  return row.type ?? row.kind;
}

// Keys of the decrypted view that are not part of the item itself.
const VIEW_ONLY = ["errors"];

/** The item to send back with saveItem, keeping every field the popup does not edit. */
export function exportShape(item) {
  const copy = structuredClone(item);
  for (const key of VIEW_ONLY) delete copy[key];
  return copy;
}

/** A URL the popup may open: http(s) only; a bare host gets https://. Null otherwise. */
export function launchUrl(uri) {
  const text = (uri ?? "").trim();
  if (!text) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

// A DNS name (labels of letters, digits, "-" and "_"; IDNs arrive punycoded) or an IPv4 address.
// Chromium's URL parser lets through hosts no site can have ("not a host" → "not%20a%20host").
const HOST_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/** A host name from what the user typed (host, or a URL); null when it is not one. */
export function hostOf(input) {
  const text = input.trim().toLowerCase();
  if (!text) return null;
  try {
    const url = new URL(text.includes("://") ? text : `https://${text}`);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    const host = url.hostname.replace(/\.$/, "");
    return HOST_NAME.test(host) ? host : null;
  } catch {
    return null;
  }
}
