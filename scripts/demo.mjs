// The demo: Chromium with Keyfill loaded, a demo local vault (master password printed) and a
// bundled demo site (a sign-in page, its one-time-code step, a sign-up and a change-password
// page, a shop's checkout). With a display
// the browser stays open for you to try; without one the same tour runs headless: it fills the
// sign-in page from the popup's Fill and again from the inline menu in its e-mail field, the code
// step and the checkout (card and delivery address) from the popup's Fill buttons, signs up and saves the new login from the save prompt, fills it back on the sign-in
// page, writes screenshots, and prints a summary. It loads dist/, the shipped build (no test
// hooks).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, seedVault, login, ROOT, DIST } from "../tests/e2e/support/browser.mjs";
import { startSites } from "../tests/e2e/support/site-server.mjs";

const MASTER = "keyfill demo master password";
const headless = !process.env.DISPLAY;
const out = join(ROOT, "target", "demo");
mkdirSync(out, { recursive: true });

/** Opens the popup on the tab, presses Fill on the row named `name`, waits for `done` (page
 *  world) to hold. */
async function fillFromPopup(page, tabId, name, done) {
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(`${browser.popupUrl}?tabId=${tabId}`);
  const button = popup.getByRole("button", { name: new RegExp(`^.*${name}.*$`) }).and(popup.getByTestId("fill"));
  const ok = await button
    .first()
    .click({ timeout: 10_000 })
    .then(() => page.waitForFunction(done, null, { timeout: 10_000 }))
    .then(() => true, () => false);
  await popup.close();
  await page.bringToFront();
  return ok;
}

/** The save prompt's frame in the page, once it shows (null after a few seconds). */
async function waitForPrompt(page) {
  for (let i = 0; i < 100; i++) {
    const f = page.frames().find((fr) => fr.url().includes("/extension/prompt/bar.html"));
    if (f && (await f.locator('[data-testid="prompt-save"]:not([hidden])').count())) return f;
    await page.waitForTimeout(50);
  }
  return null;
}

/** The inline menu's frame in the page, once it lists something (null after a few seconds). */
async function waitForMenu(page) {
  for (let i = 0; i < 100; i++) {
    const f = page.frames().find((fr) => fr.url().includes("/extension/menu/menu.html"));
    if (f && (await f.locator("#list button").count())) return f;
    await page.waitForTimeout(50);
  }
  return null;
}

const sites = await startSites({ root: join(ROOT, "demo", "site") });
const signin = sites.url("demo-bank.test", "/");
const browser = await launch({ headless, dist: DIST });
try {
  await seedVault(browser, MASTER, {
    bank: login("Demo Bank", "alice@demo-bank.test", "correct-horse-42!", ["https://demo-bank.test"], {
      login: { totp: "JBSWY3DPEHPK3PXP" },
    }),
    home: {
      type: 4,
      name: "Alice at home",
      identity: { firstName: "Alice", lastName: "Demo", address1: "12 rue de la Paix", postalCode: "75002", city: "Paris", country: "FR" },
    },
    mail: login("Demo Mail", "alice", "mail-password-7", ["https://mail.demo.test"]),
    card: { type: 3, name: "Demo Visa", card: { cardholderName: "Alice Demo", brand: "Visa", number: "4111111111111111", expMonth: "12", expYear: "2030", code: "123" } },
    note: { type: 2, name: "Wi-Fi at home", notes: "network: keyfill-demo", secureNote: { type: 0 } },
  });
  console.log(`Keyfill demo: local vault created; master password: "${MASTER}"`);
  const page = await browser.context.newPage();
  await page.goto(signin);
  const tabId = await browser.tabIdOf(page);

  // The popup, as the toolbar button shows it, pointed at the sign-in tab.
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(`${browser.popupUrl}?tabId=${tabId}`);
  await popup.getByTestId("fill").first().waitFor({ timeout: 10_000 });
  await popup.screenshot({ path: join(out, "popup.png") });

  // The user's click on Fill (the first row is the sign-in page's match).
  const t0 = performance.now();
  await popup.getByTestId("fill").first().click();
  const filled = await page
    .waitForFunction(() => window.password.value.length > 0, null, { timeout: 10_000 })
    .then(() => true, () => false);
  const ms = performance.now() - t0;
  await popup.close();
  await page.bringToFront();
  const user = await page.evaluate(() => window.email.value);
  await page.screenshot({ path: join(out, "filled.png") });
  const ok = user === "alice@demo-bank.test" && filled;
  console.log(
    `Keyfill demo: ${ok ? "filled" : "did NOT fill"} ${user || "nothing"} into ${signin} in ${ms.toFixed(0)} ms; ` +
      `screenshots: ${join(out, "popup.png")}, ${join(out, "filled.png")}`,
  );
  if (!ok) process.exitCode = 1;

  // The inline menu: a click in the e-mail field of a fresh sign-in page opens Keyfill's menu
  // under it; a click on the login fills the form.
  await page.goto(signin);
  await page.waitForTimeout(300);
  await page.click("#email");
  const menu = await waitForMenu(page);
  let menuFilled = false;
  if (menu) {
    await page.waitForTimeout(600); // the menu acts once it has been plainly on screen a moment
    await page.screenshot({ path: join(out, "inline-menu.png") });
    await menu.click("#list button");
    menuFilled = await page
      .waitForFunction(() => window.password.value.length > 0, null, { timeout: 5000 })
      .then(() => true, () => false);
  }
  console.log(
    `Keyfill demo: inline menu ${menu ? "opened" : "did NOT open"} on the e-mail field, ${menuFilled ? "filled" : "did NOT fill"} the sign-in form; ` +
      `screenshot: ${join(out, "inline-menu.png")}`,
  );
  if (!menuFilled) process.exitCode = 1;

  // The one-time-code step: the same login's Fill types the current code, one digit per box.
  await page.goto(sites.url("demo-bank.test", "/code.html"));
  const codeFilled = await fillFromPopup(page, tabId, "Demo Bank", () =>
    [1, 2, 3, 4, 5, 6].every((n) => /^\d$/.test(document.querySelector(`[name=d${n}]`).value)),
  );
  await page.screenshot({ path: join(out, "code.png") });

  // The checkout: the popup lists the card and the identity for a page with their fields.
  await page.goto(sites.url("demo-shop.test", "/checkout.html"));
  const cardFilled = await fillFromPopup(page, tabId, "Demo Visa", () => document.querySelector("#cc").value.length > 0);
  const addressFilled = await fillFromPopup(page, tabId, "Alice at home", () => document.querySelector("#city").value === "Paris");
  await page.screenshot({ path: join(out, "checkout.png") });
  // The save prompt: a sign-up on the demo bank, saved from the prompt the next page shows,
  // then the sign-in page filled with what was saved.
  await page.goto(sites.url("demo-bank.test", "/signup.html"));
  await page.fill("#email", "new-user@demo-bank.test");
  await page.fill("#password", "Fresh-demo-pw-2026!");
  await page.fill("#confirm", "Fresh-demo-pw-2026!");
  await page.click("button");
  const prompt = await waitForPrompt(page);
  let saved = false;
  if (prompt) {
    await page.waitForTimeout(600); // the prompt acts once it has been plainly on screen a moment
    await page.screenshot({ path: join(out, "save-prompt.png") });
    await prompt.click('[data-testid="prompt-save"]');
    await page.goto(sites.url("demo-bank.test", "/"));
    saved = await fillFromPopup(page, tabId, "demo-bank.test", () => document.querySelector("#email").value === "new-user@demo-bank.test");
  }
  console.log(
    `Keyfill demo: sign-up ${prompt ? "prompted" : "NOT prompted"}, saved login ${saved ? "filled" : "NOT filled"} on the sign-in page; ` +
      `screenshot: ${join(out, "save-prompt.png")}`,
  );
  const tour = { code: codeFilled, card: cardFilled, address: addressFilled, saved };
  console.log(
    `Keyfill demo: code step ${codeFilled ? "filled" : "NOT filled"}, checkout card ${cardFilled ? "filled" : "NOT filled"}, ` +
      `address ${addressFilled ? "filled" : "NOT filled"}; screenshots: ${join(out, "code.png")}, ${join(out, "checkout.png")}`,
  );
  if (!Object.values(tour).every(Boolean)) process.exitCode = 1;
  if (!headless) {
    console.log("The browser stays open: press Ctrl+Shift+L on the sign-in page, or use the toolbar button. Close it to stop.");
    await new Promise((resolve) => browser.context.on("close", resolve));
  }
} finally {
  await browser.close();
  await sites.close();
}
