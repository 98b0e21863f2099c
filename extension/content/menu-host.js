// The inline menu's place in the page (docs/autofill.md rule 9): the icon in the field and the
// menu under it. Each lives on a host element with a random tag name and forced inline styles,
// behind a closed shadow root, in the top layer (`popover`); the menu itself is an extension page
// in an iframe, so the page can neither read it nor click it. The page may still hide, cover,
// move or fight these hosts: this module notices (styles restored and counted, the top layer
// taken back and counted, the field's moves timed) and answers the worker's check before any
// fill (`check`).
import { E, localName } from "./dom.js";
import { flatParent } from "./shadow.js";
import { isVisible, pageBox } from "./visibility.js";

const ICON_PX = 18;
const MENU_H = 200;
const MENU_MIN_W = 260;
const MENU_MAX_W = 380;
/** A click this soon after the field or the menu moved is not trusted to be aimed (rule 9). */
export const MOVED_MS = 600;
/** Restyles, removals or top-layer grabs the page may do before the menu refuses to act. */
export const MAX_FIGHTS = 3;

const BASE =
  "all: initial !important; position: fixed !important; margin: 0 !important; padding: 0 !important; " +
  "border: 0 !important; background: transparent !important; opacity: 1 !important; transform: none !important; " +
  "filter: none !important; display: block !important; visibility: visible !important; " +
  "z-index: 2147483647 !important; overflow: visible !important; clip-path: none !important; pointer-events: auto !important;";
/** A menu loaded ahead and not shown (preload) or shown before and closed: out of the layout. */
const HELD = "all: initial !important; display: none !important; position: fixed !important;";
const place = (x, y, w, h) =>
  `${BASE} inset: ${Math.round(y)}px auto auto ${Math.round(x)}px !important; width: ${w}px !important; height: ${h}px !important;`;

const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">' +
  '<rect x="1" y="1" width="22" height="22" rx="6" fill="#1f5fbf"/>' +
  '<circle cx="9" cy="12" r="4" fill="none" stroke="#fff" stroke-width="2.2"/>' +
  '<path d="M13 12h8M18 12v3M21 12v2" stroke="#fff" stroke-width="2.2" fill="none" stroke-linecap="round"/></svg>';

function randomTag() {
  const b = crypto.getRandomValues(new Uint8Array(6));
  return `kf-${Array.from(b, (x) => x.toString(36).padStart(2, "0")).join("")}`;
}

/** Where the hosts go: a modal dialog or an open popover around the field keeps the rest of the
 *  page inert, so the hosts must sit inside it; otherwise the body. */
function containerFor(field) {
  for (let n = flatParent(field); n; n = flatParent(n)) {
    const tag = localName.call(n);
    try {
      if ((tag === "dialog" && E.matches.call(n, ":modal")) || E.matches.call(n, ":popover-open")) return n;
    } catch {
      // :modal or :popover-open unknown to this browser: the body.
    }
  }
  return document.body ?? document.documentElement;
}

/** One host: the element, its closed root, and the styles it must keep. */
class Host {
  constructor(container, onFight) {
    this.el = document.createElement(randomTag());
    this.root = this.el.attachShadow({ mode: "closed" });
    this.style = "";
    this.container = container;
    this.onFight = onFight;
    this.watch = new MutationObserver(() => {
      if (this.el.getAttribute("style") !== this.style || this.el.attributes.length !== 2) this.restore(true);
    });
  }

  /** Puts the host in the page with `style`, watched. Never moved once there: moving an
   *  iframe's host would load the frame again. */
  put(style) {
    this.style = style;
    this.el.setAttribute("style", style);
    this.el.popover = "manual";
    if (!this.el.isConnected) this.container.append(this.el);
    this.watch.observe(this.el, { attributes: true });
  }

  show(style) {
    this.put(style);
    this.raise();
  }

  /** In the page but not shown (its frame keeps its page loaded). */
  hold() {
    try {
      if (this.el.matches(":popover-open")) this.el.hidePopover();
    } catch {
      // No popover support: the style alone hides it.
    }
    this.put(HELD);
  }

  /** Puts the host back on top of the top layer. */
  raise() {
    try {
      if (this.el.matches(":popover-open")) this.el.hidePopover();
      this.el.showPopover();
    } catch {
      // No popover support: the fixed position and z-index still place it.
    }
  }

  move(style) {
    this.style = style;
    this.el.setAttribute("style", style);
  }

  /** The page restyled, stripped or removed the host: put it back, and count it. */
  restore(fought) {
    if (fought) this.onFight();
    for (const a of [...this.el.attributes]) if (a.name !== "style" && a.name !== "popover") this.el.removeAttribute(a.name);
    if (this.el.getAttribute("style") !== this.style) this.el.setAttribute("style", this.style);
    if (this.el.popover !== "manual") this.el.popover = "manual";
    if (!this.el.isConnected) this.container.append(this.el);
    if (this.style === HELD) return;
    try {
      if (!this.el.matches(":popover-open")) this.el.showPopover();
    } catch {
      // As in raise().
    }
  }

  intact() {
    try {
      return this.el.isConnected && this.el.getAttribute("style") === this.style && this.el.matches(":popover-open");
    } catch {
      return this.el.isConnected && this.el.getAttribute("style") === this.style;
    }
  }

  remove() {
    this.watch.disconnect();
    this.el.remove();
  }
}

/** The icon and, when open, the menu for one field. `onIcon` runs on a trusted click on the icon. */
export class MenuUi {
  constructor(field, { icon, onIcon }) {
    this.field = field;
    this.container = containerFor(field);
    this.fights = 0;
    this.movedAt = 0;
    this.rect = null;
    this.menu = null;
    this.frame = null;
    /** The menu's host and frame while loaded but not shown: {host, frame}. */
    this.spare = null;
    this.icon = null;
    const fight = () => (this.fights += 1);
    if (icon) {
      this.icon = new Host(this.container, fight);
      const button = document.createElement("span");
      button.setAttribute("style", "all: initial; display: block; width: 18px; height: 18px; cursor: pointer;");
      button.innerHTML = ICON_SVG;
      button.addEventListener("click", (e) => {
        if (e.isTrusted) onIcon();
      });
      // Keep the field's focus: the icon is a pointer target, not a place to type.
      button.addEventListener("mousedown", (e) => e.preventDefault());
      this.icon.root.append(button);
    }
    this.rect = field.getBoundingClientRect();
    this.icon?.show(this.iconStyle());
    // Another element entering the top layer above the menu: take the top back, and count it.
    this.onToggle = (e) => {
      if (!this.menu || e.newState !== "open" || e.target === this.menu.el || e.target === this.icon?.el) return;
      this.fights += 1;
      // A page that keeps taking the top back has lost the menu's trust (check refuses): no
      // endless tug of war with it.
      if (this.fights <= MAX_FIGHTS) this.menu.raise();
    };
    document.addEventListener("toggle", this.onToggle, true);
  }

  iconStyle() {
    const r = this.rect;
    const x = r.right - ICON_PX - Math.min(8, r.width / 8);
    const y = r.top + (r.height - ICON_PX) / 2;
    return place(x, y, ICON_PX, ICON_PX);
  }

  menuStyle() {
    const r = this.rect;
    const w = Math.max(MENU_MIN_W, Math.min(MENU_MAX_W, Math.round(r.width)));
    // Its height depends on the frame alone, never on what it lists (rule 10). In a small frame
    // it shrinks to fit, since a menu cut off by the frame's edge cannot be seen whole.
    const h = Math.max(60, Math.min(MENU_H, innerHeight - 8));
    const below = r.bottom + 4;
    let y = below;
    if (below + h > innerHeight) y = r.top - 4 - h >= 0 ? r.top - 4 - h : Math.max(0, innerHeight - h);
    const x = Math.max(0, Math.min(r.left, innerWidth - w));
    return place(x, y, w, h);
  }

  /** Loads the menu's page (bound by `url`'s token to this field) without showing it, once the
   *  field has the icon: a person's click comes ~100 ms after the focus, and an extension frame
   *  takes 30-50 ms to load, so the click only has to show it. The page asks for nothing until
   *  it is shown (the worker tells it), so it learns and reveals nothing meanwhile. */
  preload(url) {
    if (this.menu || this.spare) return;
    const host = new Host(this.container, () => (this.fights += 1));
    const frame = document.createElement("iframe");
    frame.setAttribute("style", "all: initial; width: 100%; height: 100%; border: 0; display: block; color-scheme: normal;");
    frame.setAttribute("title", "Keyfill");
    frame.src = url;
    host.root.append(frame);
    host.hold();
    this.spare = { host, frame };
  }

  /** Shows the menu (loading it first if it was not). */
  open(url) {
    if (this.menu) return;
    this.preload(url);
    ({ host: this.menu, frame: this.frame } = this.spare);
    this.spare = null;
    this.menu.show(this.menuStyle());
    this.openedAt = performance.now();
  }

  /** Hides the menu; its page stays loaded for the next open. */
  closeMenu() {
    if (!this.menu) return;
    this.menu.hold();
    this.spare = { host: this.menu, frame: this.frame };
    this.menu = null;
    this.frame = null;
  }

  isMenu(el) {
    return Boolean(this.menu) && (el === this.menu.el || el === this.frame);
  }

  /** One animation frame's upkeep: follow the field, notice moves and tampering. False when the
   *  field is gone (removed or no longer shown): the caller closes everything. */
  tick() {
    if (!this.field.isConnected) return false;
    const r = this.field.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const p = this.rect;
    if (Math.abs(r.left - p.left) > 1 || Math.abs(r.top - p.top) > 1 || Math.abs(r.width - p.width) > 1 || Math.abs(r.height - p.height) > 1) {
      this.rect = r;
      this.movedAt = performance.now();
      this.icon?.move(this.iconStyle());
      this.menu?.move(this.menuStyle());
    }
    for (const h of [this.icon, this.menu]) if (h && !h.intact()) h.restore(true);
    return true;
  }

  /** The worker's check before a fill: null when the menu may act, else a reason code. */
  check({ via, x, y }) {
    if (!this.menu) return "menu_gone";
    if (this.fights > MAX_FIGHTS) return "page_interferes";
    if (!this.field.isConnected) return "field_gone";
    // The field, its form, any ancestor or the page made transparent or hidden (rule 6 and 9).
    if (!isVisible(this.field, new Map(), pageBox())) return "field_hidden";
    if (!this.tick() || !this.menu.intact()) return "page_interferes";
    if (performance.now() - this.movedAt < MOVED_MS) return "field_moved";
    if (via !== "key") {
      const r = this.menu.el.getBoundingClientRect();
      if (!(x >= 0 && y >= 0 && x <= r.width && y <= r.height)) return "menu_covered";
      const root = this.menu.el.getRootNode();
      const at = (typeof root.elementsFromPoint === "function" ? root : document).elementsFromPoint(r.left + x, r.top + y);
      if (at[0] !== this.menu.el) return "menu_covered";
    }
    return null;
  }

  remove() {
    document.removeEventListener("toggle", this.onToggle, true);
    this.menu?.remove();
    this.spare?.host.remove();
    this.menu = this.frame = this.spare = null;
    this.icon?.remove();
    this.icon = null;
  }
}
