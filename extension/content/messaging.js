// The worker's messages to this frame: `collect` (answered with a pageDetails message, then the
// reply), `fill`, `savePrompt` / `closeSavePrompt` (the save prompt, top frame only), and the
// inline menu's `menuCheck` / `menuClose`. Only our own extension is listened to; never the page.
import { collect } from "./scan.js";
import { fill } from "./fill.js";
import { fail } from "./reply.js";
import { showPrompt, closePrompt } from "./prompt-host.js";
import { menuAnchor, menuCheck, menuClose } from "./menu.js";

export function listen(runtime) {
  let lastCollect = new Map(); // opid → WeakRef(element), from the last collect only

  runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (!msg || typeof msg !== "object") return false;
    if (sender && sender.id && sender.id !== runtime.id) return false; // only our own extension talks to us
    switch (msg.type) {
      case "collect":
        // Asynchronous (sliced): the details go out as pageDetails, then the reply.
        collect().then(
          ({ refs, details }) => {
            lastCollect = refs;
            // A fill from the inline menu: its field is the one the user is in, though the focus
            // went into the menu.
            const anchor = typeof msg.anchor === "string" ? menuAnchor(msg.anchor) : null;
            if (anchor) {
              for (const f of details.fields) {
                if (refs.get(f.opid)?.deref() === anchor) f.focused = true;
                else delete f.focused; // left out when false, as scan.js does
              }
            }
            try {
              const p = runtime.sendMessage({ type: "pageDetails", token: msg.token, details });
              if (p && typeof p.catch === "function") p.catch(() => {});
            } catch {
              // Extension reloaded: this copy is orphaned, nothing to do.
            }
            sendResponse({ ok: true });
          },
          (e) => sendResponse(fail("collect_failed", String(e && e.message))),
        );
        return true;
      case "fill":
        sendResponse(fill(msg, lastCollect));
        return false;
      case "savePrompt":
        // Top frame only: the worker sends it there after a capture (or on the next page).
        if (typeof msg.token === "string" && window === window.top) showPrompt(runtime, msg.token);
        sendResponse({ ok: true });
        return false;
      case "menuCheck": {
        const refused = menuCheck(msg);
        sendResponse(refused ? fail(refused, "the menu may not act now") : { ok: true });
        return false;
      }
      case "menuClose":
        menuClose(msg.token);
        sendResponse({ ok: true });
        return false;
      case "closeSavePrompt":
        closePrompt();
        sendResponse({ ok: true });
        return false;
      default:
        sendResponse(fail("unknown_message", "unknown message type"));
        return false;
    }
  });
}
