// The worker's offscreen document for the clipboard (it has no window and no focus, so it uses
// execCommand on a textarea). It copies the one-time code the worker asks it to after a fill.
// After a copy from the popup (or that one) it waits the chosen delay, reads the
// clipboard and empties it only if it still holds what was copied: it gets a SHA-256 of that
// value, never the value, and anything the user copied since is left alone.
const area = document.getElementById("area");
const OWN = chrome.runtime.getURL("");
let timer = 0;

async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function readClipboard() {
  area.value = "";
  area.focus();
  document.execCommand("paste");
  const text = area.value;
  area.value = "";
  return text;
}

function writeClipboard(text) {
  const put = (e) => {
    e.clipboardData.setData("text/plain", text);
    e.preventDefault();
  };
  document.addEventListener("copy", put, { once: true });
  return document.execCommand("copy");
}

function emptyClipboard() {
  writeClipboard("");
}

async function clearIfStill(hash) {
  const now = readClipboard();
  if (now !== "" && (await sha256(now)) === hash) emptyClipboard();
}

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  // Only the worker talks to this page (content scripts' messages reach every extension page).
  if (sender.id !== chrome.runtime.id || sender.tab || !(sender.url ?? "").startsWith(OWN)) return;
  if (msg?.target !== "offscreen-clipboard") return;
  if (msg.type === "write" && typeof msg.text === "string") {
    // A one-time code the worker copies after a fill; the clear is scheduled right after.
    reply({ ok: writeClipboard(msg.text) });
    return;
  }
  if (typeof msg.hash !== "string") return;
  clearTimeout(timer);
  if (msg.type === "clearLater") {
    timer = setTimeout(() => clearIfStill(msg.hash), Math.max(0, Number(msg.delayMs) || 0));
    reply({ ok: true });
  } else if (msg.type === "clearNow") {
    clearIfStill(msg.hash).then(() => reply({ ok: true }));
    return true;
  }
});
