// The content script keeps what fields, forms and containers say of themselves, and each field's
// visibility, between collects (extension/content/scan.js). Every change the page makes after a
// collect must show in the next one: text, attributes, styles, structure, a shadow root attached
// by a late custom-element upgrade (which makes no mutation record), a scroll or a resize.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, inject, collect, byName } from "./support/content-harness.mjs";

test("a kept description follows the page's changes", async () => {
  const page = await openPage("/login/simple.html");
  await inject(page);
  let d = await collect(page);
  assert.equal(byName(d, "username").label, "Username");
  assert.equal(byName(d, "password").visible, true);

  // Label text, then attributes the descriptions read.
  await page.evaluate(() => (document.querySelector("label[for=username]").textContent = "E-mail address"));
  d = await collect(page);
  assert.equal(byName(d, "username").label, "E-mail address");
  await page.evaluate(() => {
    const u = document.getElementById("username");
    u.setAttribute("autocomplete", "username");
    u.setAttribute("placeholder", "you@example.com");
    document.querySelector("form").setAttribute("action", "/elsewhere");
  });
  d = await collect(page);
  assert.equal(byName(d, "username").autocomplete, "username");
  assert.equal(byName(d, "username").placeholder, "you@example.com");
  assert.match(d.forms[0].action, /\/elsewhere$/);

  // Visibility: a class a style sheet hides, an inline style, the hidden attribute.
  await page.evaluate(() => document.head.insertAdjacentHTML("beforeend", "<style>.gone{display:none}</style>"));
  d = await collect(page);
  assert.equal(byName(d, "password").visible, true);
  await page.evaluate(() => document.getElementById("password").classList.add("gone"));
  d = await collect(page);
  assert.equal(byName(d, "password").visible, false);
  await page.evaluate(() => document.getElementById("password").classList.remove("gone"));
  d = await collect(page);
  assert.equal(byName(d, "password").visible, true);
  await page.evaluate(() => (document.querySelector("form").style.opacity = "0.1"));
  d = await collect(page);
  assert.equal(byName(d, "password").visible, false);
  await page.evaluate(() => document.querySelector("form").removeAttribute("style"));
  d = await collect(page);
  assert.equal(byName(d, "password").visible, true);

  // Value, disabled, read-only and focus are read afresh (no mutation record for a typed value).
  await page.evaluate(() => {
    const p = document.getElementById("password");
    p.value = "typed";
    p.disabled = true;
  });
  d = await collect(page);
  assert.equal(byName(d, "password").hasValue, true);
  assert.equal(byName(d, "password").disabled, true);
  await page.evaluate(() => {
    const p = document.getElementById("password");
    p.disabled = false;
    p.focus();
  });
  d = await collect(page);
  assert.equal(byName(d, "password").focused, true);
  assert.equal(byName(d, "username").focused, false);
});

// Defines custom element `tag` now, for elements already in the page: its constructor attaches
// a root of `mode` holding `html`.
const defineLate = (page, tag, mode, html) =>
  page.evaluate(
    ([t, m, h]) =>
      customElements.define(
        t,
        class extends HTMLElement {
          constructor() {
            super();
            this.attachShadow({ mode: m }).innerHTML = h;
          }
        },
      ),
    [tag, mode, html],
  );

test("a shadow root attached by a late upgrade, and changes inside a shadow root", async () => {
  const page = await openPage("/login/simple.html");
  await inject(page);
  await page.evaluate(() => document.body.append(document.createElement("x-late")));
  let d = await collect(page);
  assert.equal(byName(d, "late"), undefined);
  // The upgrade attaches and fills the root: no mutation record anywhere observed.
  await defineLate(page, "x-late", "open", '<label for="l">Member number</label><input id="l" name="late">');
  d = await collect(page);
  assert.equal(byName(d, "late").label, "Member number");
  assert.equal(byName(d, "late").shadow, "open");
  await page.evaluate(() => (document.querySelector("x-late").shadowRoot.querySelector("label").textContent = "Card number"));
  d = await collect(page);
  assert.equal(byName(d, "late").label, "Card number");
  await page.evaluate(() => (document.querySelector("x-late").shadowRoot.getElementById("l").style.display = "none"));
  d = await collect(page);
  assert.equal(byName(d, "late").visible, false);
});

test("closed shadow roots: a late upgrade, and a root attached to a described element", async () => {
  // What chrome.dom says of an element is kept between collects (extension/content/shadow.js):
  // never for a custom element, whose definition may come later with no mutation record, and
  // for a built-in element only until the page changes.
  const page = await openPage("/login/simple.html");
  await inject(page);
  await page.evaluate(() => {
    document.body.append(document.createElement("x-closed"));
    document.body.append(Object.assign(document.createElement("div"), { id: "later" }));
  });
  let d = await collect(page);
  assert.equal(byName(d, "member"), undefined);
  d = await collect(page); // asked twice: the answers are kept
  await defineLate(page, "x-closed", "closed", '<label for="m">Member number</label><input id="m" name="member">');
  d = await collect(page);
  assert.equal(byName(d, "member").label, "Member number");
  assert.equal(byName(d, "member").shadow, "closed");
  assert.equal(byName(d, "code"), undefined);
  await page.evaluate(() => {
    document.querySelector("h1, p, label").append(" "); // the page changes…
    const root = document.getElementById("later").attachShadow({ mode: "closed" }); // …and the div gets a root
    root.innerHTML = '<input name="code" autocomplete="one-time-code">';
  });
  d = await collect(page);
  assert.equal(byName(d, "code").shadow, "closed");
});

test("a field moved off the page by a resize, and a field replaced by another", async () => {
  const page = await openPage("/login/simple.html");
  await inject(page);
  await page.evaluate(() => {
    document.documentElement.style.overflow = "hidden";
    const u = document.getElementById("username");
    u.style.position = "absolute";
    u.style.left = "700px";
  });
  await page.setViewportSize({ width: 1000, height: 600 });
  let d = await collect(page);
  assert.equal(byName(d, "username").visible, true);
  await page.setViewportSize({ width: 500, height: 600 });
  d = await collect(page);
  assert.equal(byName(d, "username").visible, false);

  const before = byName(d, "password").opid;
  await page.evaluate(() => {
    const p = document.getElementById("password");
    const q = p.cloneNode();
    q.name = "password";
    p.replaceWith(q);
  });
  d = await collect(page);
  assert.notEqual(byName(d, "password").opid, before);
  assert.equal(byName(d, "password").visible, true);
});

test("a field a :hover or :focus-within rule reveals is seen once the pointer or the focus is there", async () => {
  const page = await openPage("/login/simple.html");
  await inject(page);
  await page.evaluate(() => {
    document.head.insertAdjacentHTML("beforeend", "<style>.x{display:none} #hov:hover .x, #foc:focus-within .x{display:inline-block}</style>");
    document.body.insertAdjacentHTML(
      "afterbegin",
      '<div id="hov" style="padding:30px;background:#eee">Account <input class="x" name="hovered"></div><div id="foc"><input name="opener"><input class="x" name="revealed"></div>',
    );
  });
  const away = await page.locator("h1, form").last().boundingBox();
  await page.mouse.move(away.x + 2, away.y + away.height - 2);
  let d = await collect(page);
  assert.equal(byName(d, "hovered").visible, false);
  assert.equal(byName(d, "revealed").visible, false);
  // Neither the pointer nor the focus makes a mutation record.
  const box = await page.locator("#hov").boundingBox();
  await page.mouse.move(box.x + 5, box.y + 5);
  d = await collect(page);
  assert.equal(byName(d, "hovered").visible, true);
  await page.mouse.move(away.x + 2, away.y + away.height - 2);
  d = await collect(page);
  assert.equal(byName(d, "hovered").visible, false);
  await page.evaluate(() => document.querySelector("[name=opener]").focus());
  d = await collect(page);
  assert.equal(byName(d, "revealed").visible, true);
});
