// The inline menu seen from a test: its frame in the tab (an extension page), opening it with a
// real click in a field, its entries, and a real click on one of them.
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const MENU_PATH = "/extension/menu/menu.html";
/** The menu acts on a click only once it has been on screen this long (menu.js, plus margin). */
export const SETTLE_MS = 500;

/** The menu's frame in the test tab once it has rendered (null after `ms`). */
export async function menuFrame(s, ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const f = s.page.frames().find((fr) => !fr.isDetached() && fr.url().includes(MENU_PATH));
    if (f) {
      const ready = await f.waitForSelector("#list button, #note:not(:empty)", { timeout: 1000 }).catch(() => null);
      if (ready) return f;
    }
    if (Date.now() > deadline) return null;
    await sleep(50);
  }
}

/** Clicks in `selector` (a real click, so a trusted focus and click) in `frame` (default the top
 *  frame) and waits for the menu. */
export async function openMenu(s, selector, { frame = s.page.mainFrame(), ms = 4000 } = {}) {
  await frame.click(selector);
  const f = await menuFrame(s, ms);
  if (f) await sleep(SETTLE_MS);
  return f;
}

/** The entries' text, in order ("name detail"). */
export async function entries(f) {
  return f.$$eval("#list button", (bs) => bs.map((b) => [...b.children].map((c) => c.textContent).join(" ").trim()));
}

/** A real click on entry `i` (by index, or the first whose text contains `i`). */
export async function clickEntry(f, i) {
  const all = await f.$$("#list button");
  let target = typeof i === "number" ? all[i] : null;
  if (typeof i === "string") {
    for (const b of all) if ((await b.textContent()).includes(i)) target = b;
  }
  if (!target) throw new Error(`no menu entry ${i}`);
  await target.click();
  await sleep(400);
}

export const note = (f) => f.textContent('[data-testid="menu-note"]').catch(() => "");
