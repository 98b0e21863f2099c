// docs/autofill.md "Multi-step" and "Negatives" scenarios through the whole extension in Chromium:
// each step filled from the popup or by the shortcut, exactly the fields of that step (and
// nothing else, in any frame), then what the site received. One-time codes are compared with
// the `totp` message's code, either side of a period boundary.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, BANK } from "./support/scenario.mjs";

let s;
before(async () => (s = await Scenarios.start()));
after(async () => s?.close());

const U = BANK.user;
const P = BANK.pass;

async function filledOk(out, what = "") {
  assert.equal(out.status, "filled", `${what} ${JSON.stringify(out)}`);
}

test("multi-step: username, then password on the same page", async () => {
  await s.open("bank.test", "/multistep/username-then-password.html");
  await filledOk(await s.fill(s.ids.bank), "step 1");
  await s.expectFilled({ username: U }, "step 1: the username only");
  await s.page.click("#next");
  await filledOk(await s.gesture(), "step 2");
  await s.expectFilled({ username: U, password: P }, "step 2");
  const got = await s.submit({ click: "#step2 button" });
  assert.deepEqual(got.fields, { username: U, password: P });
});

test("multi-step: username, then password after a navigation", async () => {
  await s.open("bank.test", "/multistep/username-page.html");
  await filledOk(await s.gesture(), "step 1");
  await s.expectFilled({ username: U });
  const first = await s.submit({ click: "button" });
  assert.deepEqual(first.fields, { username: U });
  assert.equal(new URL(s.page.url()).pathname, "/multistep/password-page.html");
  await s.settle();
  await filledOk(await s.fill(s.ids.bank), "step 2");
  // The page's own hidden username field (value "alice") is left alone.
  await s.expectFilled({ password: P });
  const second = await s.submit({ click: "button" });
  assert.deepEqual(second.fields, { username: "alice", password: P });
});

test("multi-step: e-mail, then password", async () => {
  await s.open("bank.test", "/multistep/email-then-password.html");
  await filledOk(await s.fill(s.ids.bank), "step 1");
  await s.expectFilled({ email: U });
  await s.page.click("#cont");
  await filledOk(await s.fill(s.ids.bank), "step 2");
  await s.expectFilled({ email: U, password: P });
  const got = await s.submit({ click: "#pwStep button" });
  assert.deepEqual(got.fields, { email: U, password: P });
});

test("multi-step: formless steps", async () => {
  await s.open("bank.test", "/multistep/formless.html");
  await filledOk(await s.gesture(), "step 1");
  await s.expectFilled({ u: U });
  await s.page.click("#next");
  await filledOk(await s.gesture(), "step 2");
  await s.expectFilled({ u: U, p: P });
  const got = await s.submit({ click: "#done", fetch: true });
  assert.deepEqual(got.fields, { username: U, password: P });
});

test("multi-step: inside a same-origin iframe", async () => {
  const F = "bank.test/multistep/username-then-password.html > ";
  await s.open("bank.test", "/multistep/in-iframe.html");
  await filledOk(await s.fill(s.ids.bank), "step 1");
  await s.expectFilled({ [`${F}username`]: U });
  const frame = s.page.frames().find((f) => f.url().includes("username-then-password"));
  await frame.click("#next");
  await filledOk(await s.fill(s.ids.bank), "step 2");
  await s.expectFilled({ [`${F}username`]: U, [`${F}password`]: P });
  const got = await s.submit({ click: "#step2 button", frame: "/username-then-password.html" });
  assert.deepEqual(got.fields, { username: U, password: P });
});

test("one-time code split over one box per digit", async () => {
  await s.open("mfa.test", "/multistep/otp-split.html");
  const { result, codes } = await s.totpAround(s.ids.mfa, () => s.fill(s.ids.mfa));
  await filledOk(result);
  const got = await s.filled();
  const names = ["d1", "d2", "d3", "d4", "d5", "d6"];
  assert.deepEqual(Object.keys(got), names, "each box, nothing else");
  const code = names.map((n) => got[n]).join("");
  assert.ok(codes.has(code), `${code} is not one of ${[...codes]}`);
  const sent = await s.submit({ click: "button" });
  assert.deepEqual(sent.fields, Object.fromEntries(names.map((n, i) => [n, code[i]])));
});

test("one-time code in a single input (shortcut)", async () => {
  await s.open("mfa.test", "/multistep/otp-single.html");
  const { result, codes } = await s.totpAround(s.ids.mfa, () => s.gesture());
  await filledOk(result);
  const got = await s.filled();
  assert.deepEqual(Object.keys(got), ["code"]);
  assert.match(got.code, /^\d{6}$/);
  assert.ok(codes.has(got.code), `${got.code} is not one of ${[...codes]}`);
  const sent = await s.submit({ click: "button" });
  assert.deepEqual(sent.fields, { code: got.code });
});

test("an item without a TOTP secret fills no one-time code", async () => {
  await s.open("mfa.test", "/multistep/otp-single.html");
  await s.expectNothing(await s.fill(s.ids.bank), "refused", "no_fields");
});

// Negatives: no fill at all, by either path, and the page notices nothing.
for (const [name, path] of [
  ["search box", "/negative/search.html"],
  ["newsletter e-mail field", "/negative/newsletter.html"],
  ["comment form", "/negative/comment.html"],
]) {
  test(`negative: ${name} is never filled`, async () => {
    await s.open("bank.test", path);
    await s.watch();
    await s.expectNothing(await s.fill(s.ids.bank), "refused", "no_fields", "popup");
    await s.expectNothing(await s.gesture(), "refused", "no_fields", "shortcut");
    assert.deepEqual(await s.seen(), {}, "the page noticed nothing");
  });
}

test("negative: a password-only login beside a newsletter form fills the password only", async () => {
  for (const how of ["shortcut", "popup"]) {
    await s.open("bank.test", "/negative/password-beside-newsletter.html");
    await filledOk(how === "popup" ? await s.fill(s.ids.bank) : await s.gesture(), how);
    await s.expectFilled({ password: P }, how);
  }
  const got = await s.submit({ click: "#login button" });
  assert.deepEqual(got.fields, { password: P });
});
