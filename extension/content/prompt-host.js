// The save prompt's place in the page: an extension page (its own origin, so the site can
// neither read it nor click it) in an iframe, inside a closed shadow root on a host element with
// a random tag name and forced inline styles, in the top layer. The page may still hide or cover
// it; the prompt page itself refuses clicks while it is not fully visible (IntersectionObserver
// v2), so a hidden or covered prompt saves nothing.
let current = null;

const STYLE =
  "all: initial !important; position: fixed !important; top: 8px !important; right: 8px !important; " +
  "left: auto !important; bottom: auto !important; width: 380px !important; height: 232px !important; " +
  "margin: 0 !important; padding: 0 !important; border: 0 !important; background: transparent !important; " +
  "opacity: 1 !important; transform: none !important; filter: none !important; display: block !important; " +
  "visibility: visible !important; z-index: 2147483647 !important; overflow: visible !important; inset: 8px 8px auto auto !important;";

function randomTag() {
  const b = crypto.getRandomValues(new Uint8Array(6));
  return `kf-${Array.from(b, (x) => x.toString(36).padStart(2, "0")).join("")}`;
}

export function showPrompt(runtime, token) {
  // The worker asks again on the page that follows a submit: the same prompt stays.
  if (current && current.token === token && current.host.isConnected) return;
  closePrompt();
  const host = document.createElement(randomTag());
  host.setAttribute("style", STYLE);
  const root = host.attachShadow({ mode: "closed" });
  const frame = document.createElement("iframe");
  frame.setAttribute("style", "all: initial; width: 100%; height: 100%; border: 0; display: block; color-scheme: normal;");
  frame.setAttribute("title", "Keyfill");
  frame.src = `${runtime.getURL("extension/prompt/bar.html")}#${token}`;
  root.append(frame);
  host.popover = "manual";
  (document.body ?? document.documentElement).append(host);
  try {
    host.showPopover();
  } catch {
    // No popover support or a page that blocks it: the host's fixed position still shows it.
  }
  // A page that restyles or removes the host: restore the styles; the prompt page checks its
  // own visibility before acting on any click.
  const watch = new MutationObserver(() => {
    if (host.getAttribute("style") !== STYLE) host.setAttribute("style", STYLE);
  });
  watch.observe(host, { attributes: true });
  current = { host, watch, token };
}

export function closePrompt() {
  if (!current) return;
  current.watch.disconnect();
  current.host.remove();
  current = null;
}
