// Whether a field is on screen for the user (docs/autofill.md rule 6): styles up the rendering
// chain, its own box, and where it sits against the page's scrollable area.
import { E, docElement, docBody } from "./dom.js";
import { flatParent } from "./shadow.js";

// Opacity and clipping of an element's ancestor chain, memoized per pass so 2,000 fields that
// share ancestors cost one getComputedStyle per distinct ancestor. Opacity is the product up the
// chain (two 0.8 layers are 0.64 on screen). Iterative: no recursion on deep DOMs.
const ROOT_STATE = { hidden: false, opacity: 1, scroller: null };
const SCROLLS = new Set(["auto", "scroll"]);
const clipped = (clip) => {
  if (clip === "auto") return false;
  const m = /^rect\(([-\d.]+)px,? ([-\d.]+)px,? ([-\d.]+)px,? ([-\d.]+)px\)$/.exec(clip);
  return Boolean(m) && (m[2] - m[4] < 2 || m[3] - m[1] < 2); // clip: rect(0 0 0 0)
};
// Each computed style is read once per property, and only those the answer needs: 2,000 fields
// and their parents make thousands of reads per collect.
function chainState(el, memo, html, body) {
  const pending = [];
  let base = ROOT_STATE;
  for (let n = el; n; n = flatParent(n)) {
    const known = memo.get(n);
    if (known) {
      base = known;
      break;
    }
    pending.push(n);
  }
  for (let i = pending.length - 1; i >= 0; i--) {
    const n = pending[i];
    if (!base.hidden) {
      const cs = getComputedStyle(n);
      const display = cs.display;
      const op = parseFloat(cs.opacity);
      let hidden = display === "none" || E.hasAttribute.call(n, "hidden") || clipped(cs.clip);
      let scrolls = false;
      if (!hidden && n !== el && n !== html && n !== body) {
        const ox = cs.overflowX;
        const oy = cs.overflowY;
        // A tiny box that clips its content hides it ("visually hidden" wrappers). The root and
        // body hand their overflow to the viewport, and the field's own box is measured later.
        if ((ox !== "visible" || oy !== "visible") && display !== "contents" && display !== "inline") {
          const r = n.getBoundingClientRect();
          hidden = r.width < 2 || r.height < 2;
        }
        // The nearest box the user can scroll: a field far down inside it is reachable.
        scrolls = SCROLLS.has(oy) || SCROLLS.has(ox);
      }
      base = { hidden, opacity: base.opacity * (Number.isNaN(op) ? 1 : op), scroller: scrolls ? n : base.scroller };
    }
    memo.set(n, base);
  }
  return base;
}

const CHECK = { visibilityProperty: true, checkVisibilityCSS: true, contentVisibilityAuto: false };
// docs/autofill.md rule 6. Sub-2px boxes count as zero-size: the "visually hidden" honeypot.
// visibility is judged on the field itself: it inherits, and a visible child of a hidden
// parent is really on screen.
export function isVisible(el, memo, page) {
  if (!el.isConnected) return false;
  const st = chainState(el, memo, page.html, page.body);
  if (st.hidden || st.opacity < 0.7) return false;
  if (typeof el.checkVisibility === "function" && !el.checkVisibility(CHECK)) return false;
  const r = el.getBoundingClientRect();
  if (r.width < 2 || r.height < 2) return false;
  // Wholly off-screen: before the document's start, past its scrollable size, or outside the
  // viewport on an axis the page does not let the user scroll (overflow hidden on the root).
  if (onPage(r, page)) return true;
  // Below the fold of a scrolling box (an app's main pane) is not off-screen: the field must lie
  // within the box's scrollable area, and the box on the page.
  const s = st.scroller;
  if (!s) return false;
  const sr = s.getBoundingClientRect();
  const top = r.top - sr.top + s.scrollTop;
  const left = r.left - sr.left + s.scrollLeft;
  const inBox = top + r.height > 0 && top < s.scrollHeight && left + r.width > 0 && left < s.scrollWidth;
  return inBox && onPage(sr, page);
}

function onPage(r, page) {
  const inX = page.clipX ? r.right > 0 && r.left < innerWidth : r.right + page.x > 0 && r.left + page.x < page.w;
  const inY = page.clipY ? r.bottom > 0 && r.top < innerHeight : r.bottom + page.y > 0 && r.top + page.y < page.h;
  return inX && inY;
}

export function pageBox() {
  const html = docElement.call(document);
  const body = docBody.call(document);
  // The viewport scrolls per the root's overflow, or the body's when the root's is visible.
  let cs = html && getComputedStyle(html);
  if (cs && cs.overflowX === "visible" && cs.overflowY === "visible" && body) cs = getComputedStyle(body);
  const stuck = (v) => v === "hidden" || v === "clip";
  return {
    html,
    body,
    x: scrollX,
    y: scrollY,
    w: Math.max(html ? html.scrollWidth : 0, innerWidth),
    h: Math.max(html ? html.scrollHeight : 0, innerHeight),
    clipX: Boolean(cs) && stuck(cs.overflowX),
    clipY: Boolean(cs) && stuck(cs.overflowY),
  };
}
