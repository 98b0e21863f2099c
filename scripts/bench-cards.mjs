// Card and identity fills, measured in Debian's Chromium (headless) with the test build: the
// whole gesture (the context menu's Fill card: collect every frame, plan in the core, type the
// values) to values in fields on a checkout page, and the long tasks a card fill request causes
// on the page with 2,000 inputs. Needs `npm run build:test`.
import { launch, seedVault } from "../tests/e2e/support/browser.mjs";
import { startSites } from "../tests/e2e/support/site-server.mjs";

const RUNS = Number(process.env.RUNS ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => `${x.toFixed(1)} ms`;

const sites = await startSites();
const b = await launch();
try {
  await seedVault(b, "benchmark master password", {
    card: { type: 3, name: "Visa", card: { cardholderName: "Ada Lovelace", number: "4111111111111111", expMonth: "3", expYear: "2027", code: "123" } },
    home: { type: 4, name: "Home", identity: { firstName: "Ada", lastName: "Lovelace", address1: "12 rue de la Paix", city: "Paris", postalCode: "75002", country: "FR" } },
  });
  const gesture = (tabId, what) =>
    b.worker.evaluate(
      async ([id, w]) => {
        const tab = await chrome.tabs.get(id);
        const t = performance.now();
        const out = await self.keyfillGesture(tab, "contextMenu", w);
        if (out.status !== "filled") throw new Error(JSON.stringify(out));
        return performance.now() - t;
      },
      [tabId, what],
    );

  const page = await b.context.newPage();
  await page.goto(sites.url("shop.test", "/checkout/card.html"));
  const tabId = await b.tabIdOf(page);
  const cardTimes = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => document.querySelectorAll("input").forEach((el) => (el.value = "")));
    cardTimes.push(await gesture(tabId, "card"));
  }
  const popupTimes = [];
  const cardId = (await b.api("search", { query: "Visa", filters: {} })).rows[0].id;
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => document.querySelectorAll("input").forEach((el) => (el.value = "")));
    const t0 = performance.now();
    const out = await b.api("fill", { id: cardId, tabId });
    if (out.status !== "filled") throw new Error(JSON.stringify(out));
    popupTimes.push(performance.now() - t0);
  }
  await page.goto(sites.url("boutique.test", "/checkout/adresse.html"));
  const idTimes = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => document.querySelectorAll("input").forEach((el) => (el.value = "")));
    idTimes.push(await gesture(tabId, "identity"));
  }

  // The 2,000-input page: long tasks during a card fill request (nothing to fill there).
  const big = await b.context.newPage();
  await big.addInitScript(() => {
    self.__longTasks = [];
    new PerformanceObserver((l) => self.__longTasks.push(...l.getEntries().map((e) => e.duration))).observe({
      type: "longtask",
      buffered: true,
    });
  });
  await big.goto(sites.url("shop.test", "/perf/many-inputs.html"));
  await big.waitForTimeout(500);
  const atLoad = await big.evaluate(() => self.__longTasks.length);
  const bigTab = await b.tabIdOf(big);
  const t = performance.now();
  const out = await b.worker.evaluate(async (id) => self.keyfillGesture(await chrome.tabs.get(id), "contextMenu", "card"), bigTab);
  const requestMs = performance.now() - t;
  await big.waitForTimeout(200);
  const during = (await big.evaluate(() => self.__longTasks.length)) - atLoad;

  console.log(`Card fill (context menu to values in fields, checkout page): ${f(median(cardTimes))} median, ${f(Math.max(...cardTimes))} max (${RUNS} runs)`);
  console.log(`Card fill from the popup's Fill (message to values in fields, timed from the test process): ${f(median(popupTimes))} median, ${f(Math.max(...popupTimes))} max`);
  console.log(`Identity fill (French address form): ${f(median(idTimes))} median, ${f(Math.max(...idTimes))} max`);
  console.log(`Page with 2,000 inputs: a card fill request answered (${out.status}, ${out.reason ?? ""}) in ${f(requestMs)}; long tasks during it: ${during}`);
} finally {
  await b.close();
  await sites.close();
}
