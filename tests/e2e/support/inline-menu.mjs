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

/** How many of Keyfill's hosts (icon, menu) the top document holds: elements whose tag starts
 *  with `kf-`, wherever they are. */
export async function hostCount(s, frame = s.page.mainFrame()) {
  return frame.evaluate(() => [...document.querySelectorAll("*")].filter((e) => e.localName.startsWith("kf-")).length);
}

/** A real click in the first input of the page's `login-box` shadow root (open or closed: the
 *  page world's instrument keeps closed roots for the tests). */
export async function clickInside(s) {
  const box = await s.page.evaluate(() => {
    const host = document.querySelector("login-box");
    const input = window.__kfShadow(host).querySelector("input");
    const r = input.getBoundingClientRect();
    return { x: r.left + 10, y: r.top + r.height / 2 };
  });
  await s.page.mouse.click(box.x, box.y);
}

/** Counts the worker's calls to open the popup, in place of opening it (headless Chromium opens
 *  it where the test cannot see it, and it would take what the menu left for it): the test opens
 *  popup.html itself, as the user's popup. Returns a function that reads the count. */
export async function countPopups(s) {
  await s.b.worker.evaluate(() => {
    if (self.__kfPopups) return;
    self.__kfPopups = { n: 0 };
    chrome.action.openPopup = async () => {
      self.__kfPopups.n += 1;
    };
  });
  return () => s.b.worker.evaluate(() => self.__kfPopups.n);
}
