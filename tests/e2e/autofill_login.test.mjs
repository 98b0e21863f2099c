// docs/autofill.md "Login" scenarios through the whole extension in Chromium: the popup's `fill`
// message and the keyboard-shortcut path, each on its fixture page. Every test states which
// fields of which frame get which value (so anything else filled fails it) and what the site
// received on submit. Also: sign-up (a generated password on request only), change-password (current only), a
// React-like page, shortcut cycling and the context-menu path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, BANK, MEMBER, CYCLE_A, CYCLE_B } from "./support/scenario.mjs";

let s;
before(async () => (s = await Scenarios.start()));
after(async () => s?.close());

const U = BANK.user;
const P = BANK.pass;
const INNER = "bank.test/login/iframe-inner.html > ";

/**
 * One page, filled twice: by the shortcut (then reloaded), then from the popup, and submitted.
 * `expect`: every field that must hold a value afterwards, nothing else; `received`: the whole
 * request the site must get; `submit` says how the user submits (Scenarios.submit).
 */
const LOGIN = [
  {
    name: "simple form",
    path: "/login/simple.html",
    expect: { username: U, password: P },
    submit: { click: "button[type=submit]" },
    received: { username: U, password: P },
  },
  {
    name: "full autocomplete attributes",
    path: "/login/autocomplete-full.html",
    expect: { email: U, password: P },
    submit: { click: "input[type=submit]" },
    received: { email: U, password: P },
  },
  {
    name: "autocomplete=off does not stop a requested fill",
    path: "/login/autocomplete-off.html",
    expect: { userid: U, pass: P },
    submit: { click: "button" },
    received: { userid: U, pass: P },
  },
  {
    name: "no <form>, script-driven submit",
    path: "/login/formless-script-submit.html",
    expect: { email: U, pw: P },
    submit: { click: "#go", fetch: true },
    received: { email: U, password: P },
  },
  {
    name: "ambiguous unlabeled text inputs: the one before the password",
    path: "/login/ambiguous-unlabeled.html",
    expect: { f3: U, f4: P },
    submit: { click: "button" },
    received: { f1: "", f2: "", f3: U, f4: P },
  },
  {
    name: "same-origin iframe",
    path: "/login/same-origin-iframe.html",
    expect: { [`${INNER}username`]: U, [`${INNER}password`]: P },
    submit: { click: "button", frame: "/iframe-inner.html" },
    received: { username: U, password: P },
  },
  {
    name: "nested same-origin iframes",
    path: "/login/nested-iframes.html",
    expect: { [`${INNER}username`]: U, [`${INNER}password`]: P },
    submit: { click: "button", frame: "/iframe-inner.html" },
    received: { username: U, password: P },
  },
  {
    name: "pattern and length constraints",
    host: "member.test",
    item: "member",
    path: "/login/constraints.html",
    expect: { member: MEMBER.user, password: MEMBER.pass },
    submit: { click: "button" },
    received: { member: MEMBER.user, password: MEMBER.pass },
  },
  {
    name: "honeypot fields stay empty",
    path: "/login/honeypot.html",
    expect: { username: U, password: P },
    submit: { click: "button" },
    received: {
      username: U, password: P, user: "", email: "", login: "", user_name: "", pass: "", email2: "",
      username2: "", mail: "", nickname: "", phone: "", account: "", password2: "", far: "",
    },
  },
  {
    name: "inputs in an open shadow root",
    path: "/login/open-shadow.html",
    expect: { username: U, password: P },
    submit: { click: "login-box button" },
    received: { username: U, password: P },
  },
  {
    name: "inputs in a closed shadow root",
    path: "/login/closed-shadow.html",
    expect: { username: U, password: P },
    // Locators cannot enter a closed root: the page-world handle the instrumentation keeps can.
    submit: { run: (p) => p.evaluate(() => window.__kfShadow(document.querySelector("login-box")).querySelector("button").click()) },
    received: { username: U, password: P },
  },
  {
    name: "form inside a modal <dialog>",
    path: "/login/dialog.html",
    expect: { email: U, password: P },
    submit: { click: "dialog button" },
    received: { email: U, password: P },
  },
  {
    name: "form inside a popover",
    path: "/login/popover.html",
    expect: { username: U, password: P },
    submit: { click: "#pop button" },
    received: { username: U, password: P },
  },
  {
    name: "username + password + security question: the question stays untouched",
    path: "/login/security-question.html",
    expect: { customer: U, password: P },
    submit: { click: "button" },
    received: { customer: U, password: P, question: "", answer: "" },
  },
];

for (const c of LOGIN) {
  test(`login: ${c.name}`, async () => {
    const host = c.host ?? "bank.test";
    const id = s.ids[c.item ?? "bank"];

    await s.open(host, c.path);
    const viaShortcut = await s.gesture("shortcut");
    assert.equal(viaShortcut.status, "filled", `shortcut: ${JSON.stringify(viaShortcut)}`);
    await s.expectFilled(c.expect, "shortcut");
    assert.deepEqual(s.sites.submissions, [], "a fill never submits");

    await s.open(host, c.path);
    const viaPopup = await s.fill(id);
    assert.equal(viaPopup.status, "filled", `popup: ${JSON.stringify(viaPopup)}`);
    await s.expectFilled(c.expect, "popup");
    assert.deepEqual(s.sites.submissions, [], "a fill never submits");

    const got = await s.submit(c.submit);
    assert.equal(got.host, host);
    assert.equal(got.scheme, "https");
    assert.deepEqual(got.fields, c.received);
  });
}

test("login: form revealed later by a click", async () => {
  await s.open("bank.test", "/login/revealed-later.html");
  await s.expectNothing(await s.fill(s.ids.bank), "refused", "no_fields", "before the form exists");
  await s.page.click("#reveal");
  const out = await s.fill(s.ids.bank);
  assert.equal(out.status, "filled", JSON.stringify(out));
  await s.expectFilled({ email: U, password: P });
  const got = await s.submit({ click: "#slot button" });
  assert.deepEqual(got.fields, { email: U, password: P });
});

test("login: cross-origin iframe is refused (popup and shortcut)", async () => {
  await s.open("bank.test", "/login/cross-origin-iframe.html");
  await s.watch();
  await s.expectNothing(await s.fill(s.ids.bank), "refused", "frame_origin", "popup");
  await s.expectNothing(await s.gesture(), "refused", "frame_origin", "shortcut");
  assert.deepEqual(await s.seen(), {}, "the frames noticed nothing");
});

test("login: sandboxed iframe is refused (popup and shortcut)", async () => {
  await s.open("bank.test", "/login/sandboxed-iframe.html");
  await s.watch();
  await s.expectNothing(await s.fill(s.ids.bank), "refused", "opaque_origin", "popup");
  await s.expectNothing(await s.gesture(), "refused", "opaque_origin", "shortcut");
  // A made-up confirmation opens nothing: only ids the worker issued count.
  await s.expectNothing(await s.fill(s.ids.bank, { confirmation: crypto.randomUUID() }), "refused", "confirmation_expired", "forged");
  assert.deepEqual(await s.seen(), {}, "the frames noticed nothing");
});

test("sign-up with new-password: nothing from the stored login; a generated password, the same in both fields, when asked", async () => {
  await s.open("bank.test", "/login/signup-new-password.html");
  await s.expectNothing(await s.fill(s.ids.bank), "refused", "sign_up_form", "popup");
  await s.expectNothing(await s.gesture(), "refused", "sign_up_form", "shortcut");
  const out = await s.api("fillGenerated", { tabId: s.tabId });
  assert.equal(out.status, "filled", JSON.stringify(out));
  const got = await s.filled();
  assert.deepEqual(Object.keys(got).sort(), ["confirm", "password"]);
  assert.equal(got.password, got.confirm, "confirmation = password");
  assert.notEqual(got.password, P, "not the stored password");
  assert.ok(got.password.length >= 12, `a real generated password: ${got.password.length} chars`);
  const sent = await s.submit({ click: "button" });
  assert.deepEqual(sent.fields, { email: "", password: got.password, confirm: got.password });

  // Another request generates another password.
  await s.open("bank.test", "/login/signup-new-password.html");
  assert.equal((await s.api("fillGenerated", { tabId: s.tabId })).status, "filled");
  const again = await s.filled();
  assert.equal(again.password, again.confirm);
  assert.notEqual(again.password, got.password);
  assert.notEqual(again.password, P);
});

test("change-password: current gets the stored password, new and confirm stay empty", async () => {
  for (const how of ["popup", "shortcut"]) {
    await s.open("bank.test", "/login/change-password.html");
    const out = how === "popup" ? await s.fill(s.ids.bank) : await s.gesture();
    assert.equal(out.status, "filled", `${how}: ${JSON.stringify(out)}`);
    await s.expectFilled({ current: P }, how);
  }
  const sent = await s.submit({ click: "button" });
  assert.deepEqual(sent.fields, { username: "alice", current: P, new: "", confirm: "" });
});

test("React-like controlled inputs: the submitted state has the values", async () => {
  await s.open("bank.test", "/login/react-like.html");
  const out = await s.fill(s.ids.bank);
  assert.equal(out.status, "filled", JSON.stringify(out));
  await s.expectFilled({ email: U, password: P });
  assert.deepEqual(await s.page.evaluate(() => window.__state), { email: U, password: P });
  const sent = await s.submit({ click: "button", fetch: true });
  assert.deepEqual(sent.fields, { email: U, password: P });
});

test("shortcut cycling: two items for one site, each gesture fills the next", async () => {
  await s.open("cycle.test", "/login/simple.html");
  const { rows } = await s.api("tabItems", { tabId: s.tabId });
  const byId = { [s.ids.cycleA]: CYCLE_A, [s.ids.cycleB]: CYCLE_B };
  assert.deepEqual(rows.map((r) => r.id).sort(), [s.ids.cycleA, s.ids.cycleB].sort());
  const order = rows.map((r) => byId[r.id]);
  for (const want of [order[0], order[1], order[0]]) {
    const out = await s.gesture();
    assert.equal(out.status, "filled", JSON.stringify(out));
    await s.expectFilled({ username: want.user, password: want.pass });
  }
  const sent = await s.submit({ click: "button[type=submit]" });
  assert.deepEqual(sent.fields, { username: order[0].user, password: order[0].pass });
});

test("context-menu path fills like the shortcut", async () => {
  await s.open("bank.test", "/login/autocomplete-full.html");
  const out = await s.gesture("contextMenu");
  assert.equal(out.status, "filled", JSON.stringify(out));
  await s.expectFilled({ email: U, password: P });
  const sent = await s.submit({ click: "input[type=submit]" });
  assert.deepEqual(sent.fields, { email: U, password: P });
});

test("a page loaded before the content script was registered gets it on the fill, unless opted out", async () => {
  // As after an install or an update: tabs already open have no content script.
  await s.b.worker.evaluate(() => chrome.scripting.unregisterContentScripts({ ids: ["keyfill-content"] }));
  try {
    await s.open("bank.test", "/login/simple.html", { script: false });
    const out = await s.fill(s.ids.bank);
    assert.equal(out.status, "filled", JSON.stringify(out));
    await s.expectFilled({ username: U, password: P });

    assert.ok((await s.api("setSettings", { settings: { optOutSites: ["bank.test"] } })).ok);
    await s.b.worker.evaluate(() => chrome.scripting.unregisterContentScripts({ ids: ["keyfill-content"] }));
    await s.open("bank.test", "/login/simple.html", { script: false });
    await s.expectNothing(await s.fill(s.ids.bank), "refused", "opted_out");
    await s.noScript();
  } finally {
    assert.ok((await s.api("setSettings", { settings: { optOutSites: [] } })).ok);
  }
});

test("the worker's copy of the settings follows a write it did not make", async () => {
  // extension/background/storage.js keeps the settings it read; a change written to storage by
  // anything else must reach the next fill.
  await s.open("bank.test", "/login/simple.html");
  assert.equal((await s.fill(s.ids.bank)).status, "filled");
  await s.b.worker.evaluate(async () => {
    const { settings } = await chrome.storage.local.get("settings");
    await chrome.storage.local.set({ settings: { ...settings, optOutSites: ["bank.test"] } });
  });
  try {
    let out;
    for (let i = 0; i < 20 && out?.reason !== "opted_out"; i++) {
      await s.open("bank.test", "/login/simple.html");
      out = await s.fill(s.ids.bank);
    }
    await s.expectNothing(out, "refused", "opted_out");
  } finally {
    assert.ok((await s.api("setSettings", { settings: { optOutSites: [] } })).ok);
  }
});
