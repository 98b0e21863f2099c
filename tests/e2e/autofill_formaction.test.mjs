// docs/autofill.md rule 7 through a submit button: a form whose action is its own origin but whose
// submit button (inside it, or tied to it by form=) has a formaction to another origin posts
// elsewhere, so a fill needs the formAction confirmation naming that host, and the shortcut fills
// nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios } from "./support/scenario.mjs";

let s;
before(async () => (s = await Scenarios.start()));
after(async () => s?.close());

for (const [name, path] of [
  ["its submit button's formaction", "/hostile/foreign-formaction.html"],
  ["an image button tied to it by form=", "/hostile/foreign-formaction-outside.html"],
]) {
  test(`hostile: a form posting home but elsewhere by ${name} needs the formAction confirmation`, async () => {
    await s.open("bank.test", path);
    await s.watch();
    const out = await s.fill(s.ids.bank);
    await s.expectNothing(out, "confirm", "formAction", "popup");
    assert.equal(out.host, `other.test:${s.sites.httpsPort}`);
    await s.expectNothing(await s.gesture(), "confirm", "formAction", "shortcut");
    assert.deepEqual(await s.seen(), {}, "the page noticed nothing");
  });
}
