// docs/autofill.md "Hostile" scenarios (and the rules behind them) through the whole extension in
// Chromium: transparent pages, a frame navigated between collect and fill, a page spoofing the
// extension over postMessage, DOM clobbering, a form posting elsewhere, the http: copy of an
// HTTPS site, look-alike and shared-host domains, site opt-out and a locked vault. A refusal is
// checked for its status and reason, for nothing filled in any frame, nothing sent and nothing
// the page could notice. Left for the in-page menu's issue: hostile/overlay.html and
// hostile/moving-field.html (they attack a menu that does not exist yet).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, MASTER, BANK, VICTIM, EXAMPLE } from "./support/scenario.mjs";

let s;
before(async () => (s = await Scenarios.start()));
after(async () => s?.close());

const U = BANK.user;
const P = BANK.pass;

for (const [name, path] of [
  ["a transparent <body>", "/hostile/transparent-body.html"],
  ["a transparent form under a decoy button", "/hostile/transparent-form.html"],
]) {
  test(`hostile: ${name} is not filled`, async () => {
    await s.open("bank.test", path);
    await s.watch();
    await s.expectNothing(await s.fill(s.ids.bank), "refused", "no_fields", "popup");
    await s.expectNothing(await s.gesture(), "refused", "no_fields", "shortcut");
    assert.deepEqual(await s.seen(), {}, "the page noticed nothing");
  });
}

test("hostile: a frame sent to another origin between collect and fill gets nothing", async () => {
  await s.open("bank.test", "/hostile/navigates-frame.html");
  const out = await s.fillWithHook(s.ids.bank, async () => {
    await s.page.evaluate(() => window.__navigate());
    await s.ready(); // the new document's content script is there to receive a fill
  });
  assert.equal(out.status, "refused", JSON.stringify(out));
  assert.equal(out.reason, "frame_changed");
  assert.ok(s.page.frames().some((f) => f.url().startsWith("https://evil.test:")), "the frame is on evil.test");
  await s.expectFilled({}, "nothing in either frame");
  assert.deepEqual(s.sites.submissions, []);

  // Asked again now, the frame is evil.test's: the bank item is refused there.
  await s.watch();
  await s.expectNothing(await s.fill(s.ids.bank), "refused", "frame_origin", "after the navigation");
  await s.expectNothing(await s.gesture(), "refused", "frame_origin", "shortcut");
  assert.deepEqual(await s.seen(), {}, "evil.test noticed nothing");
});

test("hostile: postMessage from the page pretending to be the extension does nothing", async () => {
  await s.open("bank.test", "/hostile/postmessage-spoof.html");
  await s.page.evaluate(() => window.__spoof()); // again, now that the content script listens
  await new Promise((r) => setTimeout(r, 50));
  await s.expectFilled({}, "the spoofed messages filled nothing");
  const out = await s.fill(s.ids.bank);
  assert.equal(out.status, "filled", JSON.stringify(out));
  await s.expectFilled({ username: U, password: P }, "the notes field stays empty");
  assert.deepEqual(await s.page.evaluate(() => window.__checkGlobals()), [], "no attribute, global or DOM trace");
  const got = await s.submit({ click: "button" });
  assert.deepEqual(got.fields, { username: U, password: P, notes: "" });
});

test("hostile: DOM clobbering does not redirect the fill or the form", async () => {
  await s.open("bank.test", "/hostile/clobbering.html");
  const out = await s.fill(s.ids.bank);
  assert.equal(out.status, "filled", JSON.stringify(out)); // the form really posts to /submit
  await s.expectFilled({ username: U, password: P });
  // Playwright's own click trips over the clobbered form (form.getAttribute): a script click.
  const click = (p) => p.evaluate(() => HTMLElement.prototype.click.call(Document.prototype.querySelector.call(document, "button")));
  const got = await s.submit({ run: click });
  assert.equal(got.host, "bank.test");
  assert.equal(got.path, "/submit");
  assert.equal(got.fields.username, U);
  assert.equal(got.fields.password, P);
  const others = Object.entries(got.fields).filter(([k]) => k !== "username" && k !== "password");
  assert.deepEqual(Object.fromEntries(others), {
    action: "https://evil.test/steal", method: "get", id: "x", name: "x", getAttribute: "", hasAttribute: "",
    querySelectorAll: "", querySelector: "", matches: "", localName: "", nodeType: "", parentNode: "",
    parentElement: "", previousSibling: "", assignedSlot: "", shadowRoot: "",
  });
});

test("hostile: a form posting to another origin needs the formAction confirmation", async () => {
  await s.open("bank.test", "/hostile/foreign-action.html");
  await s.watch();
  const out = await s.fill(s.ids.bank);
  await s.expectNothing(out, "confirm", "formAction", "popup");
  assert.equal(out.host, `other.test:${s.sites.httpsPort}`);
  await s.expectNothing(await s.gesture(), "confirm", "formAction", "shortcut");
  assert.deepEqual(await s.seen(), {}, "the page noticed nothing");

  assert.match(out.confirmation, /^[0-9a-f-]{36}$/, "the popup gets a confirmation id");
  const ok = await s.fill(s.ids.bank, { confirmation: out.confirmation });
  assert.equal(ok.status, "filled", JSON.stringify(ok));
  await s.expectFilled({ username: U, password: P });
  const got = await s.submit({ click: "button" });
  assert.equal(got.host, "other.test");
  assert.deepEqual(got.fields, { username: U, password: P });
});

test("hostile: the http: copy of an HTTPS site needs the insecure confirmation", async () => {
  await s.open("bank.test", "/login/simple.html", { http: true });
  const items = await s.api("tabItems", { tabId: s.tabId });
  assert.equal(items.insecure, true);
  assert.deepEqual(items.rows.map((r) => r.id), [s.ids.bank]);
  await s.watch();
  const out = await s.fill(s.ids.bank);
  await s.expectNothing(out, "confirm", "insecure", "popup");
  assert.equal(out.host, `bank.test:${s.sites.httpPort}`);
  // The shortcut cannot show the warning: it fills nothing either.
  await s.expectNothing(await s.gesture(), "confirm", "insecure", "shortcut");
  // Reasons are not taken from the popup any more: a message naming them is refused.
  const named = await s.api("fill", { id: s.ids.bank, tabId: s.tabId, confirm: ["insecure"] });
  assert.equal(named.error?.code, "bad_request", JSON.stringify(named));
  await s.expectFilled({}, "a reason list fills nothing");
  assert.deepEqual(await s.seen(), {}, "the page noticed nothing");

  const ok = await s.fill(s.ids.bank, { confirmation: out.confirmation });
  assert.equal(ok.status, "filled", JSON.stringify(ok));
  await s.expectFilled({ username: U, password: P });
  const got = await s.submit({ click: "button[type=submit]" });
  assert.equal(got.scheme, "http");
  assert.deepEqual(got.fields, { username: U, password: P });
});

for (const [name, host, real, item, cred] of [
  ["a look-alike domain (examp1e.com vs example.com)", "examp1e.com", "example.com", "example", EXAMPLE],
  ["another site on a shared host (evil.github.io vs victim.github.io)", "evil.github.io", "victim.github.io", "victim", VICTIM],
]) {
  test(`hostile: ${name}`, async () => {
    // The real site fills by the shortcut.
    await s.open(real, "/login/simple.html");
    assert.deepEqual((await s.api("tabItems", { tabId: s.tabId })).rows.map((r) => r.id), [s.ids[item]]);
    assert.equal((await s.gesture()).status, "filled");
    await s.expectFilled({ username: cred.user, password: cred.pass }, real);

    await s.open(host, "/login/simple.html");
    const items = await s.api("tabItems", { tabId: s.tabId });
    assert.equal(items.host, host);
    assert.deepEqual(items.rows, [], "no rows offered");
    await s.watch();
    await s.expectNothing(await s.gesture(), "refused", "no_match", "shortcut");
    await s.expectNothing(await s.gesture("contextMenu"), "refused", "no_match", "context menu");
    const out = await s.fill(s.ids[item]);
    await s.expectNothing(out, "confirm", "unmatched", "popup");
    assert.equal(out.host, `${host}:${s.sites.httpsPort}`);
    // The confirmation is for this item: spent on another one, it fills nothing.
    const other = item === "example" ? "victim" : "example";
    await s.expectNothing(await s.fill(s.ids[other], { confirmation: out.confirmation }), "refused", "confirmation_expired", "other item");
    assert.deepEqual(await s.seen(), {}, "the page noticed nothing");

    // The user picked this item in the popup and accepted the warning naming the host.
    const again = await s.fill(s.ids[item]);
    await s.expectNothing(again, "confirm", "unmatched", "asked again");
    const ok = await s.fill(s.ids[item], { confirmation: again.confirmation });
    assert.equal(ok.status, "filled", JSON.stringify(ok));
    await s.expectFilled({ username: cred.user, password: cred.pass });
    const got = await s.submit({ click: "button[type=submit]" });
    assert.equal(got.host, host);
    assert.deepEqual(got.fields, { username: cred.user, password: cred.pass });
  });
}

test("site opt-out: nothing injected, refused on the site and its subdomains, until removed", async () => {
  const set = await s.api("setSettings", { settings: { optOutSites: ["https://Bank.test/anything"] } });
  assert.deepEqual(set.settings.optOutSites, ["bank.test"]);
  try {
    for (const host of ["bank.test", "www.bank.test"]) {
      await s.open(host, "/login/simple.html", { script: false });
      await s.watch();
      await s.expectNothing(await s.fill(s.ids.bank), "refused", "opted_out", `${host} popup`);
      await s.expectNothing(await s.gesture(), "refused", "opted_out", `${host} shortcut`);
      await s.expectNothing(await s.gesture("contextMenu"), "refused", "opted_out", `${host} context menu`);
      assert.deepEqual(await s.seen(), {}, "the page noticed nothing");
    }
  } finally {
    assert.deepEqual((await s.api("setSettings", { settings: { optOutSites: [] } })).settings.optOutSites, []);
  }
  await s.open("bank.test", "/login/simple.html");
  assert.equal((await s.gesture()).status, "filled");
  await s.expectFilled({ username: U, password: P });
});

test("locked vault: the gesture is refused, nothing is filled, the page learns nothing", async () => {
  await s.open("bank.test", "/login/simple.html");
  assert.ok((await s.api("lock")).ok);
  try {
    await s.watch();
    await s.expectNothing(await s.gesture(), "refused", "locked", "shortcut");
    await s.expectNothing(await s.gesture("contextMenu"), "refused", "locked", "context menu");
    const popup = await s.api("fill", { id: s.ids.bank, tabId: s.tabId });
    assert.equal(popup.error?.code, "locked", JSON.stringify(popup));
    await s.expectFilled({});
    assert.deepEqual(await s.seen(), {}, "no event, no DOM change: the page cannot tell a locked vault");
  } finally {
    assert.ok((await s.api("unlock", { password: MASTER })).ok);
  }
  // The same watch does see a real fill: the check above is not blind.
  assert.equal((await s.gesture()).status, "filled");
  await s.expectFilled({ username: U, password: P });
  const seen = (await s.seen()).top ?? [];
  assert.ok(seen.includes("input:username") && seen.includes("input:password"), seen.join(" "));
});
