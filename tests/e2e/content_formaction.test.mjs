// The content script reports where a form's submit buttons post (`forms[].submitActions`): the
// formaction of its own submit buttons and of those tied to it by form=, image buttons included,
// resolved and distinct; buttons that do not submit and targets equal to the form's action are
// left out. The planner weighs each (docs/autofill.md rule 7).
import { test } from "node:test";
import assert from "node:assert/strict";
import { sites, openPage, inject, collect } from "./support/content-harness.mjs";

test("forms[].submitActions lists where each submit button posts", async () => {
  const page = await openPage("/hostile/formaction-buttons.html");
  await inject(page);
  const d = await collect(page);
  const byId = Object.fromEntries(d.forms.map((f) => [f.htmlId, f]));
  assert.equal(byId.f.action, sites.url("bank.test", "/submit"));
  assert.deepEqual(
    [...byId.f.submitActions].sort(),
    [
      "https://button-outside.test/",
      "https://default-button.test/x",
      "https://image-outside.test/",
      "https://input-submit.test/",
      sites.url("bank.test", "/hostile/formaction-buttons.html"),
      sites.url("bank.test", "/local"),
    ].sort(),
  );
  assert.deepEqual(byId.g.submitActions, ["https://other-form.test/"]);
  await page.context().close();
});
