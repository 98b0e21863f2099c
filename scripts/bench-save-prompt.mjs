// The save prompt, measured in Debian's Chromium (headless) with the test build:
// - on the page with 2,000 inputs (40 nested shadow roots), the main-thread time Keyfill's
//   listeners take per submit (a sign-in form's button clicked: pointer-down, click and submit;
//   Enter in a formless sign-in's password field) and the long tasks a submit causes;
// - how soon the prompt shows: after a sign-in by fetch that stays on the page (from the submit),
//   and on the next page after a form post (from that page's load event).
// The page's own window listeners, registered before the content script, stamp each event; a
// `document` capture listener stamps it again once every window listener ran: the gap is
// Keyfill's work (the capture, and the inline menu's own listeners), script and style reads
// included. The prompt is "shown" when its title and Save button are filled in, as seen by
// polling its frame from here every few ms (an upper bound).
// Needs `npm run build:test`. RUNS=N (default 15).
import { launch, seedVault } from "../tests/e2e/support/browser.mjs";
import { startSites } from "../tests/e2e/support/site-server.mjs";

const RUNS = Number(process.env.RUNS ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => `${x.toFixed(2)} ms`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Page world, before any other script: long tasks, and each event's time in Keyfill's window
// listeners (page listener first → document capture listener after them).
function stamps() {
  self.__longTasks = [];
  new PerformanceObserver((l) => self.__longTasks.push(...l.getEntries().map((e) => e.duration))).observe({
    type: "longtask",
    buffered: true,
  });
  self.__spent = [];
  self.__submitAt = 0;
  for (const type of ["pointerdown", "click", "submit", "keydown"]) {
    let t0 = 0;
    addEventListener(type, () => (t0 = performance.now()), true);
    document.addEventListener(type, (e) => {
      if (e.isTrusted) self.__spent.push({ type, ms: performance.now() - t0 });
    }, true);
  }
  addEventListener("submit", () => (self.__submitAt = performance.timeOrigin + performance.now()), true);
  addEventListener("click", (e) => e.isTrusted && (self.__submitAt = performance.timeOrigin + performance.now()), true);
  addEventListener("keydown", (e) => {
    if (e.key === "Enter") self.__submitAt = performance.timeOrigin + performance.now();
  }, true);
}

// Page world: a sign-in at the top of the page, a form (`form`) or formless (`div`), that signs
// in by fetch and stays; a fresh one each run, so no run is taken for the previous one's repeat.
function addSignIn(kind) {
  document.getElementById("kf-bench")?.remove();
  const box = document.createElement(kind);
  box.id = "kf-bench";
  box.innerHTML =
    '<h2>Sign in</h2><input id="u" name="username" autocomplete="username"><input id="p" name="password" type="password">' +
    (kind === "form" ? "<button>Sign in</button>" : "");
  const send = () => fetch("/submit", { method: "POST", body: "x" });
  if (kind === "form") box.addEventListener("submit", (e) => (e.preventDefault(), send()));
  else box.querySelector("#p").addEventListener("keydown", (e) => e.key === "Enter" && send());
  document.body.prepend(box);
}

/** Waits for the prompt's frame in `page` to be filled in; returns when, as epoch ms. */
async function promptShown(page) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const frame = page.frames().find((fr) => fr.url().includes("/extension/prompt/bar.html"));
    const got = await frame
      ?.evaluate(() => {
        const save = document.getElementById("save");
        if (!document.getElementById("title").textContent || save.hidden || !save.textContent) return null;
        return performance.timeOrigin + performance.now();
      })
      .catch(() => null);
    if (got) return got;
    await sleep(2);
  }
  throw new Error("no prompt");
}

const sites = await startSites();
const b = await launch();
try {
  await seedVault(b, "benchmark master password", {});

  // 1. Keyfill's listeners per submit on the 2,000-input page.
  const big = await b.context.newPage();
  await big.addInitScript(stamps);
  await big.goto(sites.url("bench.test", "/perf/many-inputs.html"));
  await big.waitForFunction(() => self.__built);
  await big.waitForTimeout(500);
  const byType = { pointerdown: [], click: [], submit: [], keydown: [] };
  let longTasks = 0;
  for (let i = 0; i < RUNS; i++) {
    for (const kind of ["form", "div"]) {
      await big.evaluate(addSignIn, kind);
      await big.fill("#u", `user${i}`);
      await big.fill("#p", `Bench-pw-${i}-${kind}`);
      const before = await big.evaluate(() => ((self.__spent = []), self.__longTasks.length));
      if (kind === "form") await big.click("button");
      else await big.press("#p", "Enter");
      await big.waitForTimeout(100);
      const { spent, tasks } = await big.evaluate(() => ({ spent: self.__spent, tasks: self.__longTasks.length }));
      longTasks += tasks - before;
      for (const { type, ms } of spent) byType[type].push(ms);
    }
  }
  const perSubmitForm = [];
  const perSubmitEnter = byType.keydown;
  for (let i = 0; i < byType.click.length; i++) perSubmitForm.push(byType.pointerdown[i] + byType.click[i] + byType.submit[i]);

  // 2. The prompt after a sign-in by fetch that stays on the page: from the click event.
  const page = await b.context.newPage();
  await page.addInitScript(stamps);
  const samePage = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(sites.url("shop.test", "/login/formless-script-submit.html"));
    await page.fill("#email", `same${i}@shop.test`);
    await page.fill("#pw", `Same-pw-${i}`);
    await page.click("#go");
    const shown = await promptShown(page);
    samePage.push(shown - (await page.evaluate(() => self.__submitAt)));
  }

  // 3. The prompt on the next page after a form post: from that page's load event.
  const nextPage = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(sites.url("shop.test", "/login/simple.html"));
    await page.fill("#username", `next${i}`);
    await page.fill("#password", `Next-pw-${i}`);
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button")]);
    const loaded = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByType("navigation")[0].loadEventEnd);
    nextPage.push((await promptShown(page)) - loaded);
  }

  const n = perSubmitForm.length;
  console.log(`Page with 2,000 inputs, Keyfill's listeners per submit (${n} runs each):`);
  console.log(`  form, button clicked (pointer-down + click + submit): ${f(median(perSubmitForm))} median, ${f(Math.max(...perSubmitForm))} max`);
  console.log(`    pointer-down ${f(median(byType.pointerdown))}, click ${f(median(byType.click))}, submit ${f(median(byType.submit))} (medians)`);
  console.log(`  formless, Enter in the password: ${f(median(perSubmitEnter))} median, ${f(Math.max(...perSubmitEnter))} max`);
  console.log(`  long tasks during the ${2 * RUNS} submits: ${longTasks}`);
  console.log(`Prompt after a sign-in by fetch (from the click event): ${f(median(samePage))} median, ${f(Math.max(...samePage))} max`);
  console.log(`Prompt on the next page (from its load event): ${f(median(nextPage))} median, ${f(Math.max(...nextPage))} max`);
} finally {
  await b.close();
  await sites.close();
}
