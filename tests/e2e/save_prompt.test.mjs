// docs/autofill.md "Save / update" through the whole extension in Chromium: after a submit the
// prompt shows (on the next page, or on the same page for a sign-in by fetch), and Save or Update
// stores exactly what was typed; nothing shows for forms that do not sign in, for what is stored
// already, or on a site the user said never to; a locked vault asks to unlock first, then saves.
// Hostile pages: the prompt lives in the top layer, so the page's transparency does not reach it;
// a page that puts its own element over it there gets a prompt that refuses clicks; the page
// cannot find or click it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, ITEMS, BANK, MASTER } from "./support/scenario.mjs";

let s;
before(async () => (s = await Scenarios.start({ bank: ITEMS.bank })));
after(async () => s?.close());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The prompt's frame in the test tab, once it shows (null after `ms`). */
async function promptFrame(ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const f = s.page.frames().find((fr) => fr.url().includes("/extension/prompt/bar.html"));
    if (f) {
      const ready = await f.waitForSelector('[data-testid="prompt-save"]:not([hidden]), #title:not(:empty)', { timeout: 2000 }).catch(() => null);
      if (ready) return f;
    }
    if (Date.now() > deadline) return null;
    await sleep(50);
  }
}

/** Clicks the prompt's button `id` as the user would, and returns once the prompt has answered and
 *  closed. The prompt refuses, with a note, a click that comes before it has been plainly on
 *  screen for a moment (bar.js), and on a busy machine that moment is longer: then it clicks
 *  again. A click that counts clears the note, so nothing acts twice. */
async function press(f, id) {
  const refused = () =>
    f.evaluate(() => document.getElementById("note").textContent === chrome.i18n.getMessage("promptCovered"));
  for (let i = 0; i < 20; i++) {
    await f.click(`[data-testid="${id}"]`).catch(() => {});
    if (f.isDetached() || !(await refused().catch(() => false))) break;
    await sleep(200);
  }
  for (let i = 0; i < 50 && !f.isDetached(); i++) await sleep(100);
}

async function typeAndSubmit(path, values, submit = "button") {
  await s.open("bank.test", path);
  for (const [sel, v] of Object.entries(values)) await s.page.fill(sel, v);
  await s.page.click(submit);
}

const items = async () => (await s.api("search", { query: "", filters: {} })).rows;

test("a sign-in with new credentials: Save on the next page stores them for the site", async () => {
  await typeAndSubmit("/login/simple.html", { "#username": "new-user", "#password": "New-pw-1!" });
  const f = await promptFrame();
  assert.ok(f, "the prompt shows");
  assert.equal(await f.textContent('[data-testid="prompt-user"]'), "new-user");
  assert.equal(await f.textContent('[data-testid="prompt-password"]'), "••••••••", "masked");
  // The prompt acts once it has been on screen a moment (longer on a busy machine).
  let shown = "";
  for (let i = 0; i < 20 && shown !== "New-pw-1!"; i++) {
    await sleep(300);
    await f.click('[data-testid="prompt-reveal"]');
    shown = await f.textContent('[data-testid="prompt-password"]');
  }
  assert.equal(shown, "New-pw-1!");
  await f.click('[data-testid="prompt-save"]');
  await sleep(300);
  const row = (await items()).find((r) => r.subtitle === "new-user");
  assert.ok(row, "saved");
  const { item } = await s.api("item", { id: row.id });
  assert.equal(item.login.password, "New-pw-1!");
  assert.match(item.login.uris[0].uri, /^https:\/\/bank\.test(:\d+)?$/);
  assert.equal(await promptFrame(500), null, "the prompt closed");
});

test("a changed password for a stored username: Update keeps the old one in the history", async () => {
  await typeAndSubmit("/login/simple.html", { "#username": BANK.user, "#password": "Changed-pw-2!" });
  const f = await promptFrame();
  assert.ok(f);
  assert.equal(await f.textContent('[data-testid="prompt-save"]'), "Update");
  await press(f, "prompt-save");
  await sleep(300);
  const { item } = await s.api("item", { id: s.ids.bank });
  assert.equal(item.login.password, "Changed-pw-2!");
  assert.deepEqual(item.passwordHistory.map((h) => h.password), [BANK.pass]);
});

test("no prompt for a search, for what is stored already, or for a fetch sign-in on a never-save site", async () => {
  await s.open("bank.test", "/negative/search.html");
  await s.page.fill("input", "shoes");
  await s.page.keyboard.press("Enter");
  assert.equal(await promptFrame(1200), null, "search");
  await typeAndSubmit("/login/simple.html", { "#username": BANK.user, "#password": "Changed-pw-2!" });
  assert.equal(await promptFrame(1200), null, "already stored");
  // A sign-in by fetch: the prompt shows on the same page; Never puts the site on the list.
  await typeAndSubmit("/login/formless-script-submit.html", { "#email": "fetch@bank.test", "#pw": "Fetch-pw-3" }, "#go");
  const f = await promptFrame();
  assert.ok(f, "fetch sign-in prompt");
  await press(f, "prompt-never");
  await sleep(300);
  const { settings } = await s.api("getSettings");
  assert.deepEqual(settings.neverSaveSites, ["bank.test"]);
  await typeAndSubmit("/login/simple.html", { "#username": "other", "#password": "Other-pw-4" });
  assert.equal(await promptFrame(1200), null, "never for this site");
  await s.api("setSettings", { settings: { neverSaveSites: [] } });
});

test("settings: offer to save off means no prompt; the never-save list is edited in the popup", async () => {
  const popup = await s.b.context.newPage();
  await popup.goto(s.b.popupUrl);
  await popup.click('[data-testid="settings"]');
  const box = popup.locator('[data-testid="set-offer-save"]');
  assert.equal(await box.isChecked(), true, "on by default");
  await box.uncheck();
  await popup.fill('[data-testid="neversave-input"]', "https://Never.Example/login");
  await popup.click('[data-testid="neversave-add"]');
  await popup.waitForSelector('[data-testid="neversave-remove"][data-host="never.example"]');
  let { settings } = await s.api("getSettings");
  assert.equal(settings.offerToSave, false);
  assert.deepEqual(settings.neverSaveSites, ["never.example"]);
  await typeAndSubmit("/login/simple.html", { "#username": "off-user", "#password": "Off-pw-10" });
  assert.equal(await promptFrame(1200), null, "offer to save is off");
  await popup.click('[data-testid="neversave-remove"][data-host="never.example"]');
  await box.check();
  await popup.waitForFunction(() => !document.querySelector('[data-testid="neversave-remove"]'));
  ({ settings } = await s.api("getSettings"));
  assert.equal(settings.offerToSave, true);
  assert.deepEqual(settings.neverSaveSites, []);
  await popup.close();
});

test("a two-step sign-in (e-mail, then password on the next page): the prompt saves both", async () => {
  await typeAndSubmit("/multistep/save-step1.html", { "#e": "two-step@bank.test" });
  await s.settle();
  await s.page.fill("#p", "Two-step-pw-11");
  await s.page.click("button");
  const f = await promptFrame();
  assert.ok(f, "the prompt shows after the password step");
  assert.equal(await f.textContent('[data-testid="prompt-user"]'), "two-step@bank.test");
  await press(f, "prompt-save");
  await sleep(300);
  const row = (await items()).find((r) => r.subtitle === "two-step@bank.test");
  assert.ok(row, "saved with the first step's e-mail");
  assert.equal((await s.api("item", { id: row.id })).item.login.password, "Two-step-pw-11");
});

test("a change-password form updates the login holding the current password", async () => {
  const current = (await s.api("item", { id: s.ids.bank })).item.login.password;
  await typeAndSubmit(
    "/login/change-password.html",
    { "[name=current]": current, "[name=new]": "Third-pw-5!", "[name=confirm]": "Third-pw-5!" },
  );
  const f = await promptFrame();
  assert.ok(f);
  await press(f, "prompt-save");
  await sleep(300);
  const { item } = await s.api("item", { id: s.ids.bank });
  assert.equal(item.login.password, "Third-pw-5!");
});

test("locked: the prompt asks to unlock, then saves once the vault is open", async () => {
  await s.api("lock");
  await typeAndSubmit("/login/simple.html", { "#username": "late-user", "#password": "Late-pw-6" });
  const f = await promptFrame();
  assert.ok(f);
  assert.match(await f.textContent("#title"), /Unlock/);
  assert.ok(await f.isHidden('[data-testid="prompt-save"]'));
  assert.ok((await s.api("unlock", { password: MASTER })).ok);
  await f.waitForSelector('[data-testid="prompt-save"]:not([hidden])', { timeout: 5000 });
  await press(f, "prompt-save");
  await sleep(300);
  assert.ok((await items()).some((r) => r.subtitle === "late-user"));
});

/** Whether the prompt's frame sees itself as visible (IntersectionObserver v2, as it checks). */
const seesItself = (f) =>
  f.evaluate(
    () =>
      new Promise((resolve) => {
        const io = new IntersectionObserver(
          (es) => {
            resolve(es[0].isVisible);
            io.disconnect();
          },
          { trackVisibility: true, delay: 100 },
        );
        io.observe(document.getElementById("bar"));
      }),
  );

for (const [name, attack] of [
  [
    "its own popover",
    () => {
      const d = document.createElement("div");
      d.popover = "manual";
      d.style.cssText = "position:fixed;inset:0;width:100vw;height:100vh;margin:0;border:0;background:#fff;pointer-events:none";
      document.body.append(d);
      d.showPopover();
    },
  ],
  [
    "a modal dialog",
    () => {
      const d = document.createElement("dialog");
      d.style.cssText = "position:fixed;inset:0;width:100vw;height:100vh;max-width:none;max-height:none;margin:0;border:0;background:#fff;pointer-events:none";
      document.body.append(d);
      d.showModal();
    },
  ],
]) {
  test(`hostile: the page puts ${name} over the prompt in the top layer: a click does nothing`, async () => {
    const user = `victim-${name.length}`;
    await typeAndSubmit("/login/simple.html", { "#username": user, "#password": "Hostile-pw-7" });
    const f = await promptFrame();
    assert.ok(f);
    await s.page.evaluate(attack);
    await sleep(700);
    // A modal dialog makes the rest of the page inert: the click does not even arrive.
    await f.click('[data-testid="prompt-save"]', { force: true, timeout: 3000 }).catch(() => {});
    await sleep(300);
    const note = await f.textContent('[data-testid="prompt-note"]');
    assert.ok(note === "" || /hidden or covered/.test(note), note);
    assert.ok(!(await items()).some((r) => r.subtitle === user), "nothing saved");
    await s.page.reload();
  });
}

test("hostile: transparency on the page, CSS aimed at open popovers, or styles set on the host do not hide the prompt", async () => {
  await typeAndSubmit("/login/simple.html", { "#username": "styled-user", "#password": "Styled-pw-9" });
  const f = await promptFrame();
  assert.ok(f);
  await s.page.evaluate(() => {
    document.documentElement.style.opacity = "0.05";
    document.body.style.filter = "opacity(0.05)";
    const st = document.createElement("style");
    st.textContent = ":popover-open, [popover] { opacity: 0 !important; visibility: hidden !important; }";
    document.head.append(st);
    for (const h of document.querySelectorAll("*")) if (h.localName.startsWith("kf-")) h.style.opacity = "0";
  });
  await sleep(400);
  assert.equal(await seesItself(f), true, "still plainly on screen (the top layer; the host's styles restored)");
  await f.click('[data-testid="prompt-close"]');
});

test("hostile: the page cannot find the prompt's frame or click it", async () => {
  await typeAndSubmit("/login/simple.html", { "#username": "reach-user", "#password": "Reach-pw-8" });
  assert.ok(await promptFrame());
  const seen = await s.page.evaluate(() => {
    const frames = document.querySelectorAll("iframe").length;
    const hosts = [...document.querySelectorAll("*")].filter((e) => e.localName.startsWith("kf-"));
    for (const h of hosts) h.click();
    return { frames, shadow: hosts.map((h) => h.shadowRoot) };
  });
  assert.equal(seen.frames, 0, "no iframe the page can query");
  assert.deepEqual(seen.shadow, [null], "closed shadow root");
  await sleep(300);
  assert.ok(!(await items()).some((r) => r.subtitle === "reach-user"));
});
