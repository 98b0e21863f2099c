// docs/autofill.md "Inline menu" through the whole extension in Chromium: the icon and the menu
// on the fields Keyfill recognises (a login form, a sign-up form, open and closed shadow roots,
// a same-origin iframe, a <dialog> and a popover, a field that appears later), a fill from a
// click and from the keyboard, Generate on a sign-up form, Unlock when locked, and none of it on
// negatives or opted-out sites. The hostile pages are in inline_menu_hostile.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, ITEMS, BANK } from "./support/scenario.mjs";
import { menuFrame, openMenu, entries, clickEntry, note } from "./support/inline-menu.mjs";

let s;
before(async () => (s = await Scenarios.start({ bank: ITEMS.bank })));
after(async () => s?.close());

test("a sign-in form: a click in the username field opens the menu; a click on the login fills the form", async () => {
  await s.open("bank.test", "/login/simple.html");
  const f = await openMenu(s, "#username");
  assert.ok(f, "the menu opened");
  assert.deepEqual(await entries(f), [`Bank of Tests ${BANK.user}`], await note(f));
  await clickEntry(f, 0);
  await s.expectFilled({ username: BANK.user, password: BANK.pass });
  assert.equal(await menuFrame(s, 500), null, "the menu closed after the fill");
});
