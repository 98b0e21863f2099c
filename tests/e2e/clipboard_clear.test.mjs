// The clipboard is emptied after the chosen delay even when the popup has closed, and only if it
// still holds what Keyfill copied: the worker's offscreen document checks a SHA-256 of the copy.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, seedVault, login, ROOT } from "./support/browser.mjs";
import { startSites } from "./support/site-server.mjs";

const MASTER = "Kf-clipboard-master-7171";
const PASS = "Clip-pw-e2e-5150!";
const EN = JSON.parse(readFileSync(join(ROOT, "_locales/en/messages.json"), "utf8"));
const tid = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let sites, b, ids, reader;

before(async () => {
  sites = await startSites();
  b = await launch();
  ids = await seedVault(b, MASTER, {
    bank: login("Clip bank", "clip@bank.test", PASS, ["https://bank.test"]),
    mfa: login("Clip MFA", "mfa@mfa.test", "Mfa-clip-pw-8080", ["https://mfa.test"], { login: { totp: "JBSWY3DPEHPK3PXP" } }),
  });
  // A web page allowed to read and write the clipboard: it stands for the user's other apps.
  reader = await b.context.newPage();
  await reader.goto(sites.url("bank.test", "/login/simple.html"));
  await b.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(reader.url()).origin });
  await b.api("setSettings", { settings: { clearClipboardSeconds: 2 } });
});

after(async () => {
  await b?.close();
  await sites?.close();
});

const clipboard = async () => {
  await reader.bringToFront();
  return reader.evaluate(() => navigator.clipboard.readText());
};

/** Opens the item in a popup page, copies its password, closes the popup. */
async function copyPasswordAndClose() {
  const popup = await b.context.newPage();
  await popup.goto(b.popupUrl);
  await popup.bringToFront();
  await popup.waitForSelector(`#result-list .row[data-id="${ids.bank}"]`);
  await popup.click(`#result-list .row[data-id="${ids.bank}"]`);
  const label = EN.copyWhat.message.replace(/\$WHAT\$/, EN.password.message);
  await popup.click(`${tid("item-view")} ${tid("copy")}[aria-label="${label}"]`);
  // The toast says it was copied once the worker has the request.
  await popup.waitForFunction(() => document.querySelector("#toast")?.textContent.length > 0);
  await sleep(200);
  await popup.close();
}

test("settings: the delay is a whole number of seconds from 2 to 3600, or never", async () => {
  assert.equal((await b.api("getSettings")).settings.clearClipboardSeconds, 2);
  for (const bad of [0, 1, 1.5, 3601, "30"]) {
    const out = await b.api("setSettings", { settings: { clearClipboardSeconds: bad } });
    assert.equal(out.error?.code, "bad_request", `${bad}: ${JSON.stringify(out)}`);
  }
  assert.equal((await b.api("getSettings")).settings.clearClipboardSeconds, 2);
});

test("copied from the popup, the popup closed: the clipboard is empty after the delay", async () => {
  await copyPasswordAndClose();
  assert.equal(await clipboard(), PASS, "copied");
  await sleep(3500);
  assert.equal(await clipboard(), "", "emptied with the popup closed");
});

test("something else copied meanwhile is left alone", async () => {
  await copyPasswordAndClose();
  assert.equal(await clipboard(), PASS, "copied");
  await reader.evaluate(() => navigator.clipboard.writeText("the user's own text"));
  await sleep(3500);
  assert.equal(await clipboard(), "the user's own text");
});

test("the worker keeps a hash of the copy, never the value", async () => {
  await copyPasswordAndClose();
  const stored = await b.worker.evaluate(() => chrome.storage.session.get(null));
  assert.ok(!JSON.stringify(stored).includes(PASS), "no plaintext in session storage");
  assert.match(stored["session.clipboard"]?.hash ?? "", /^[0-9a-f]{64}$/);
  await sleep(3500);
  assert.equal(await clipboard(), "");
});

test("after a login fill, the item's one-time code is copied when the setting is on, then emptied", async () => {
  const page = await b.context.newPage();
  await page.goto(sites.url("mfa.test", "/login/simple.html"));
  const tabId = await b.tabIdOf(page);
  await reader.evaluate(() => navigator.clipboard.writeText("before"));
  const fill = async () => {
    await page.bringToFront();
    const out = await b.api("fill", { id: ids.mfa, tabId });
    assert.equal(out.status, "filled", JSON.stringify(out));
  };
  await fill();
  await sleep(300);
  assert.equal(await clipboard(), "before", "off by default: nothing copied");
  await b.api("setSettings", { settings: { copyTotpAfterFill: true } });
  const before = (await b.api("totp", { id: ids.mfa })).code;
  await fill();
  await sleep(300);
  const copied = await clipboard();
  const after = (await b.api("totp", { id: ids.mfa })).code;
  // The item's code of the moment (a 30 s step may turn between the two reads).
  assert.match(copied, /^\d{6}$/);
  assert.ok(copied === before || copied === after, `copied ${copied}, codes ${before} / ${after}`);
  await sleep(3500);
  assert.equal(await clipboard(), "", "emptied after the delay");
  await b.api("setSettings", { settings: { copyTotpAfterFill: false } });
  await page.close();
});
