// Form understanding through the whole extension in Chromium: one page of our own per failure
// kind of a sign-in page filled wrongly (docs/autofill.md "Form understanding"): a sign-up beside
// a sign-in, a sign-up alone, "create" in a sign-in password's name, new-password on a plain
// sign-in, a shipping e-mail and a send-to-a-friend e-mail, a password read-only until focused,
// a username step with the next step's password hidden, fields far down a long page (and down an
// app's scrolling pane). Also the generated password: only when the user asks (the popup's
// "Fill generated password", or the shortcut on a new-password field of a site with no login),
// and kept sealed in the generator history.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, BANK } from "./support/scenario.mjs";

let s;
before(async () => (s = await Scenarios.start()));
after(async () => s?.close());

const U = BANK.user;
const P = BANK.pass;

/** Fills by the shortcut and, reloaded, from the popup: both must give `expect` exactly. */
async function bothWays(path, expect) {
  for (const how of ["shortcut", "popup"]) {
    await s.open("bank.test", path);
    const out = how === "popup" ? await s.fill(s.ids.bank) : await s.gesture();
    assert.equal(out.status, "filled", `${path} ${how}: ${JSON.stringify(out)}`);
    await s.expectFilled(expect, `${path} ${how}`);
  }
}

/** Neither the shortcut nor the popup fills anything: `reason` says why. */
async function neverFilled(path, reason) {
  for (const how of ["shortcut", "popup"]) {
    await s.open("bank.test", path);
    const out = how === "popup" ? await s.fill(s.ids.bank) : await s.gesture();
    await s.expectNothing(out, "refused", reason, `${path} ${how}`);
  }
}

const history = () => s.b.worker.evaluate(async () => (await chrome.storage.local.get("generator.history"))["generator.history"] ?? []);

test("a sign-up beside a sign-in: the sign-in form gets the login, the sign-up form nothing", async () => {
  await bothWays("/forms/signup-beside-signin.html", { email: U, password: P });
  const sent = await s.submit({ click: "text=Sign in" });
  assert.deepEqual(sent.fields, { email: U, password: P });
});

test("a sign-up form alone gets nothing from the stored login, whatever its fields say", async () => {
  await neverFilled("/forms/signup-alone.html", "sign_up_form");
  await neverFilled("/login/signup-new-password.html", "sign_up_form");
});

test("'create' in a sign-in password's name: the stored password, not a generated one", async () => {
  const name = "user_create_session_form";
  await bothWays("/forms/create-session-name.html", { [`${name}[email]`]: U, [`${name}[password]`]: P });
});

test("autocomplete=new-password on a plain sign-in: the stored password", async () => {
  await bothWays("/forms/new-password-signin.html", { login: U, pass: P });
});

test("a shipping e-mail and a send-to-a-friend e-mail are not usernames", async () => {
  await neverFilled("/forms/shipping-email.html", "no_fields");
  await neverFilled("/forms/send-to-friend.html", "no_fields");
});

test("a password read-only until focused is filled", async () => {
  await bothWays("/forms/readonly-password.html", { email: U, password: P });
  const sent = await s.submit({ click: "button" });
  assert.deepEqual(sent.fields, { email: U, password: P });
});

test("a username step leaves the next step's hidden password empty", async () => {
  await bothWays("/forms/username-first-hidden-password.html", { identifier: U });
});

test("fields far down a long page, or down an app's scrolling pane, are filled", async () => {
  await bothWays("/forms/long-page.html", { username: U, password: P });
  await bothWays("/forms/long-pane.html", { username: U, password: P });
});

test("Fill generated password: one new password in new and confirm, kept sealed in the history first", async () => {
  const kept = (await history()).length;
  await s.open("bank.test", "/login/signup-new-password.html");
  const out = await s.api("fillGenerated", { tabId: s.tabId });
  assert.equal(out.status, "filled", JSON.stringify(out));
  const got = await s.filled();
  assert.deepEqual(Object.keys(got).sort(), ["confirm", "password"], "nothing from the stored login");
  assert.equal(got.password, got.confirm, "confirmation = password");
  assert.notEqual(got.password, P);
  assert.ok(got.password.length >= 12, `a real generated password: ${got.password.length} chars`);
  const list = await history();
  assert.equal(list.length, kept + 1, "kept in the generator history");
  assert.match(list[0].password, /^2\.[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/, "sealed (an EncString)");
  assert.ok(!JSON.stringify(list).includes(got.password), "never in plain text");
  assert.ok(Date.parse(list[0].date) > 0);
  // The popup opens it: the password typed, as typed.
  const opened = await s.api("generatorHistory", {});
  assert.ok(opened.ok, JSON.stringify(opened));
  assert.equal(opened.entries[0].password, got.password);
  assert.equal(opened.entries.length, list.length);

  // Another one: another password, another entry.
  await s.open("bank.test", "/login/signup-new-password.html");
  assert.equal((await s.api("fillGenerated", { tabId: s.tabId })).status, "filled");
  const again = await s.filled();
  assert.equal(again.password, again.confirm);
  assert.notEqual(again.password, got.password);
  assert.equal((await history()).length, kept + 2);

  // On a page with no field for a new password, nothing (and nothing kept).
  await s.open("bank.test", "/forms/shipping-email.html");
  await s.expectNothing(await s.api("fillGenerated", { tabId: s.tabId }).then(({ ok, ...r }) => (assert.ok(ok), r)), "refused", "no_fields");
  assert.equal((await history()).length, kept + 2);
});

test("the shortcut on a site with no login: a generated password only on a field asking for a new one", async () => {
  const kept = (await history()).length;
  // No focus: nothing, and the user hears "no login for this site".
  await s.open("fresh.test", "/forms/signup-alone.html");
  await s.expectNothing(await s.gesture(), "refused", "no_match", "no focus");
  // The new password focused: the generated password in it and its repeat.
  await s.open("fresh.test", "/forms/signup-alone.html");
  await s.page.focus("input[name=password]");
  const out = await s.gesture();
  assert.equal(out.status, "filled", JSON.stringify(out));
  const got = await s.filled();
  assert.deepEqual(Object.keys(got).sort(), ["password", "password_repeat"]);
  assert.equal(got.password, got.password_repeat);
  assert.equal((await history()).length, kept + 1);
  // A sign-in's password focused: nothing.
  await s.open("fresh.test", "/forms/new-password-signin.html");
  await s.page.focus("input[name=pass]");
  await s.expectNothing(await s.gesture(), "refused", "no_match", "sign-in focused");
});
