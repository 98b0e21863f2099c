// The popup's editor for identities and custom fields, driven in Chromium as a 360-px popup page:
// an identity made with every field and read back through `item` field for field, then one field
// edited with nothing else changed; custom fields of each type (text, hidden, boolean, linked)
// added, shown, edited, moved and removed on a login and on a card, an untouched save changing
// nothing; the identity form and field types in French. `api()` seeds and inspects only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, seedVault, ROOT } from "./support/browser.mjs";

const MASTER = "identity fields master 7";
const MASK = "••••••••";
const LOCALES = Object.fromEntries(
  ["en", "fr"].map((l) => [l, JSON.parse(readFileSync(join(ROOT, `_locales/${l}/messages.json`), "utf8"))]),
);
const msg = (key, lang = "en", subs = []) => LOCALES[lang][key].message.replace(/\$[A-Z]+\$/, subs[0] ?? "");

// Every identity field, the label key the popup shows for it, and a value.
const IDENTITY = [
  ["title", "identityTitle", "Dr"],
  ["firstName", "firstName", "Jane"],
  ["middleName", "middleName", "Q."],
  ["lastName", "lastName", "Doe-Martin"],
  ["company", "company", "Acme SA"],
  ["username", "username", "jdoe"],
  ["ssn", "ssn", "123-45-6789"],
  ["passportNumber", "passportNumber", "P1234567"],
  ["licenseNumber", "licenseNumber", "DL-99-0001"],
  ["email", "email", "jane@example.test"],
  ["phone", "phone", "+33 1 23 45 67 89"],
  ["address1", "address1", "12 rue des Lilas"],
  ["address2", "address2", "Bâtiment B"],
  ["address3", "address3", "3e étage"],
  ["city", "city", "Lyon"],
  ["state", "stateRegion", "Auvergne-Rhône-Alpes"],
  ["postalCode", "postalCode", "69003"],
  ["country", "country", "FR"],
];
const SECRET = new Set(["ssn", "passportNumber", "licenseNumber"]);
const field = (name, value, type, linkedId = null) => ({ name, value, type, linkedId });

const tid = (id) => `[data-testid="${id}"]`;
let b, p, folderId, ids;
const errors = [];

before(async () => {
  b = await launch();
  await seedVault(b, MASTER, {});
  folderId = (await b.api("saveFolder", { name: "Papers" })).id;
  ids = await saveAll({
    login: {
      type: 1,
      name: "Fields Login",
      notes: "login notes",
      favorite: true,
      folderId,
      reprompt: 1,
      passwordHistory: [{ password: "older-pass-1", lastUsedDate: "2024-05-01T10:00:00.000Z" }],
      login: {
        username: "fields-user",
        password: "fields-pass",
        totp: null,
        autofillOnPageLoad: true,
        uris: [
          { uri: "https://exact.test/login", match: 3 },
          { uri: "https://fields.test", match: null },
        ],
      },
      fields: [],
    },
    card: {
      type: 3,
      name: "Fields Card",
      favorite: false,
      card: { cardholderName: "J DOE", brand: "Visa", number: "4111111111111111", expMonth: "7", expYear: "2031", code: "123" },
      fields: [
        field("Text", "  spaced text  ", 0),
        field(null, "nameless hidden", 1),
        field("Flag", "false", 2),
        field("Flag odd", "yes", 2),
        field("Number link", null, 3, 305),
        field("Other client's link", null, 3, 999),
        field("", "", 0),
      ],
    },
    seededIdentity: {
      type: 4,
      name: "Seeded Identity",
      notes: "identity notes",
      favorite: true,
      folderId,
      identity: Object.fromEntries(IDENTITY.map(([k, , v]) => [k, v])),
      passwordHistory: [{ password: "old-hidden", lastUsedDate: "2023-01-02T03:04:05.000Z" }],
      fields: [field("City link", null, 3, 405), field("Member no.", "M-42", 1)],
    },
  });
  p = b.popup;
  p.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  p.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  await p.setViewportSize({ width: 360, height: 600 });
  await p.goto(b.popupUrl);
  await waitView("vault");
});

async function saveAll(items) {
  const out = {};
  for (const [key, item] of Object.entries(items)) {
    const saved = await b.api("saveItem", { item });
    assert.ok(saved.ok, `${key}: ${JSON.stringify(saved.error)}`);
    out[key] = saved.id;
  }
  return out;
}

after(async () => {
  await b?.close();
});

// ---- driving ----

const currentView = (page = p) => page.evaluate(() => document.querySelector("[data-view]:not([hidden])")?.dataset.view);
async function waitView(name, page = p, timeout = 15_000) {
  await page.waitForFunction((n) => document.querySelector("[data-view]:not([hidden])")?.dataset.view === n, name, { timeout });
}
const clickTo = async (sel, view) => (await p.click(sel), waitView(view));

/** Escape back to the list. */
async function toVault() {
  for (let i = 0; i < 5 && (await currentView()) !== "vault"; i++) {
    await p.keyboard.press("Escape");
    await p.waitForTimeout(50);
  }
  await waitView("vault");
}

/** Back to the list, search for `name`, Enter opens it (answering the master password prompt). */
async function openItem(name) {
  await toVault();
  await p.fill(tid("search"), name);
  await p.waitForFunction((q) => document.querySelector("#result-list .row-name")?.textContent === q, name);
  await p.focus(tid("search"));
  await p.keyboard.press("Enter");
  await waitView("item");
  const asked = await p
    .waitForSelector(`${tid("reprompt-password")}, #item-title:not(:empty)`, { timeout: 10_000 })
    .then((el) => el.getAttribute("data-testid"));
  if (asked === "reprompt-password") {
    await p.fill(tid("reprompt-password"), MASTER);
    await p.keyboard.press("Enter");
  }
  await p.waitForFunction((n) => document.querySelector("#item-title")?.textContent === n, name, { timeout: 30_000 });
}

async function editOpenItem(name) {
  await clickTo(tid("item-edit"), "edit");
  await p.waitForFunction((n) => document.querySelector("#edit-name").value === n, name);
}

async function save() {
  await clickTo(tid("edit-save"), "item");
  await p.waitForSelector("#item-body .kv");
}

/** The item as the worker holds it (asking for a view grant when it has a reprompt). */
async function read(id) {
  let r = await b.api("item", { id });
  if (!r.ok && r.error?.code === "reprompt_required") {
    const { grant } = await b.api("reprompt", { id, password: MASTER, purpose: "view" });
    r = await b.api("item", { id, grant });
  }
  assert.ok(r.ok, JSON.stringify(r.error));
  return r.item;
}
const stable = (item) => {
  const copy = structuredClone(item);
  delete copy.revisionDate;
  return copy;
};

async function idOf(name) {
  const { rows } = await b.api("search", { query: name, filters: {} });
  const row = rows.find((r) => r.name === name);
  assert.ok(row, `no item ${name}`);
  return row.id;
}

const row = (i) => p.locator(tid("edit-field")).nth(i);

/** Adds a custom field of `type` named `name`; `set(row)` gives it a value. */
async function addField(type, name, set) {
  const before = await p.locator(tid("edit-field")).count();
  await p.selectOption(tid("edit-field-type"), String(type));
  await p.click(tid("edit-add-field"));
  const r = row(before);
  assert.equal(await r.getAttribute("data-type"), String(type));
  // The new row's name has the focus: type into it as a user does.
  assert.equal(await p.evaluate(() => document.activeElement.dataset.testid), "edit-field-name");
  await p.keyboard.type(name);
  if (set) await set(r);
}

/** The item view's custom field lines: [label, shown value]. */
const shownFields = () =>
  p.$$eval('#item-body [data-testid="item-field"]', (els) =>
    els.map((v) => [v.closest(".kv").querySelector(".kv-label").textContent, v.textContent]),
  );

/** Every control of the edit form a user can reach has a name from a label, aria-label or text. */
async function assertNamed() {
  const unnamed = await p.evaluate(() =>
    [...document.querySelectorAll("#edit-form input, #edit-form select, #edit-form button, #edit-form textarea")]
      .filter((el) => el.checkVisibility())
      .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim()))
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `edit form scrolls sideways: ${width}`);
}

// ---- identities ----

test("a new identity with every field: saved field for field, every field shown, documents masked", async () => {
  await clickTo(tid("add"), "edit");
  await p.selectOption(tid("edit-type"), "4");
  for (const [key, labelKey] of IDENTITY) {
    assert.equal(await p.textContent(`label[for="edit-identity-${key}"]`), msg(labelKey), key);
  }
  await p.fill(tid("edit-name"), "Jane Doe");
  for (const [key, , value] of IDENTITY) await p.fill(tid(`edit-identity-${key}`), value);
  await assertNamed();
  await save();

  const item = await read(await idOf("Jane Doe"));
  assert.equal(item.type, 4);
  assert.deepEqual(item.identity, Object.fromEntries(IDENTITY.map(([k, , v]) => [k, v])));
  assert.deepEqual(item.fields, []);

  for (const [key, labelKey, value] of IDENTITY) {
    const line = p.locator(".kv", { has: p.locator(tid(`item-identity-${key}`)) });
    assert.equal(await line.locator(".kv-label").textContent(), msg(labelKey), key);
    const shown = line.locator(tid(`item-identity-${key}`));
    if (!SECRET.has(key)) {
      assert.equal(await shown.textContent(), value, key);
      continue;
    }
    assert.equal(await shown.textContent(), MASK, `${key} masked`);
    await line.locator(tid("reveal")).click();
    assert.equal(await shown.textContent(), value, `${key} revealed`);
    assert.equal(await line.locator(tid("copy")).count(), 1, `${key} has copy`);
  }
});

test("editing one identity field changes that field only (history, folder, favourite, fields kept)", async () => {
  const id = ids.seededIdentity;
  const before = stable(await read(id));
  await openItem("Seeded Identity");
  await editOpenItem("Seeded Identity");
  for (const [key, , value] of IDENTITY) assert.equal(await p.inputValue(tid(`edit-identity-${key}`)), value, key);
  // The masked document numbers reveal in the form too.
  assert.equal(await p.getAttribute(tid("edit-identity-ssn"), "type"), "password");
  await p.click('[data-reveal="edit-identity-ssn"]');
  assert.equal(await p.getAttribute(tid("edit-identity-ssn"), "type"), "text");
  await p.fill(tid("edit-identity-city"), "Grenoble");
  await save();

  const after = stable(await read(id));
  assert.equal(after.identity.city, "Grenoble");
  before.identity.city = "Grenoble";
  assert.deepEqual(after, before);
  // The linked field names the identity's city in the view.
  assert.deepEqual(await shownFields(), [
    ["City link", msg("linkedToField", "en", [msg("city")])],
    ["Member no.", MASK],
  ]);
});

// ---- custom fields ----

test("a login's custom fields of each type: added, shown, edited, moved, removed; the rest kept", async () => {
  const id = ids.login;
  const before = stable(await read(id));
  await openItem("Fields Login");
  await editOpenItem("Fields Login");
  await addField(0, "Text one", (r) => r.locator(tid("edit-field-value")).fill("plain value"));
  await addField(1, "PIN", async (r) => {
    const input = r.locator(tid("edit-field-value"));
    assert.equal(await input.getAttribute("type"), "password");
    await input.fill("1234");
  });
  await addField(2, "Remember", (r) => r.locator(tid("edit-field-value")).check());
  await addField(3, "User link", async (r) => {
    const options = await r.locator(`${tid("edit-field-linked")} option`).evaluateAll((o) => o.map((x) => [x.value, x.textContent]));
    assert.deepEqual(options, [
      ["100", msg("username")],
      ["101", msg("password")],
    ]);
    await r.locator(tid("edit-field-linked")).selectOption("101");
  });
  // A row added and left empty is not saved.
  await addField(0, "");
  await assertNamed();
  await save();

  const saved = stable(await read(id));
  assert.deepEqual(saved.fields, [
    field("Text one", "plain value", 0),
    field("PIN", "1234", 1),
    field("Remember", "true", 2),
    field("User link", null, 3, 101),
  ]);
  assert.deepEqual({ ...saved, fields: [] }, before, "everything but the fields as it was (reprompt, history, URIs, folder…)");

  assert.deepEqual(await shownFields(), [
    ["Text one", "plain value"],
    ["PIN", MASK],
    ["Remember", msg("yes")],
    ["User link", msg("linkedToField", "en", [msg("password")])],
  ]);
  const pin = p.locator(".kv", { has: p.locator(".kv-label", { hasText: "PIN" }) });
  await pin.locator(tid("reveal")).click();
  assert.equal(await pin.locator(tid("item-field")).textContent(), "1234");

  // Second edit: change a value, untick, move PIN below Remember, remove the link.
  await editOpenItem("Fields Login");
  assert.equal(await p.locator(tid("edit-field")).count(), 4);
  await row(0).locator(tid("edit-field-value")).fill("changed value");
  await row(2).locator(tid("edit-field-value")).uncheck();
  await row(1).locator(tid("edit-field-down")).click();
  await row(3).locator(tid("edit-field-remove")).click();
  await save();
  const again = stable(await read(id));
  assert.deepEqual(again.fields, [field("Text one", "changed value", 0), field("Remember", "false", 2), field("PIN", "1234", 1)]);
  assert.deepEqual({ ...again, fields: [] }, before);
});

test("a card's custom fields: an untouched save changes nothing; a link changed, one removed, one added", async () => {
  const id = ids.card;
  const before = stable(await read(id));
  await openItem("Fields Card");
  await editOpenItem("Fields Card");
  const linkOptions = await row(4)
    .locator(`${tid("edit-field-linked")} option`)
    .evaluateAll((o) => o.map((x) => Number(x.value)));
  assert.deepEqual([...linkOptions].sort(), [300, 301, 302, 303, 304, 305]);
  assert.equal(await row(4).locator(tid("edit-field-linked")).inputValue(), "305");
  // A number Keyfill does not know for cards stays selected as it is.
  assert.equal(await row(5).locator(tid("edit-field-linked")).inputValue(), "999");
  assert.equal(await row(3).locator(tid("edit-field-value")).isChecked(), false, '"yes" is not "true"');
  await save();
  assert.deepEqual(stable(await read(id)), before, "saved untouched: nothing changed");

  await editOpenItem("Fields Card");
  await row(4).locator(tid("edit-field-linked")).selectOption("303");
  await row(0).locator(tid("edit-field-remove")).click();
  await addField(1, "Online PIN", (r) => r.locator(tid("edit-field-value")).fill("9876"));
  await save();
  const after = stable(await read(id));
  assert.deepEqual(after.fields, [
    field(null, "nameless hidden", 1),
    field("Flag", "false", 2),
    field("Flag odd", "yes", 2),
    field("Number link", null, 3, 303),
    field("Other client's link", null, 3, 999),
    field("", "", 0),
    field("Online PIN", "9876", 1),
  ]);
  assert.deepEqual({ ...after, fields: before.fields }, before);
  const shown = await shownFields();
  assert.deepEqual(shown[3], ["Number link", msg("linkedToField", "en", [msg("securityCode")])]);
});

test("a new item's linked field follows the type chosen; a note offers no linked field", async () => {
  await toVault();
  await clickTo(tid("add"), "edit");
  await p.fill(tid("edit-name"), "Linked Identity");
  await addField(3, "Town");
  await p.selectOption(tid("edit-type"), "4");
  const options = await row(0)
    .locator(`${tid("edit-field-linked")} option`)
    .evaluateAll((o) => o.map((x) => Number(x.value)));
  assert.deepEqual(
    [...options].sort((x, y) => x - y),
    Array.from({ length: 19 }, (_, i) => 400 + i),
  );
  await row(0).locator(tid("edit-field-linked")).selectOption({ label: msg("city") });
  await p.fill(tid("edit-identity-city"), "Nantes");
  await save();
  const item = await read(await idOf("Linked Identity"));
  assert.deepEqual(item.fields, [field("Town", null, 3, 405)]);
  assert.equal(item.identity.city, "Nantes");

  await toVault();
  await clickTo(tid("add"), "edit");
  await p.selectOption(tid("edit-type"), "2");
  assert.equal(await p.locator(`${tid("edit-field-type")} option[value="3"]`).isDisabled(), true);
});

test("French: the identity form, field types and custom-field controls are in French", async () => {
  const fr = await launch({ extraArgs: ["--lang=fr"] });
  try {
    await seedVault(fr, MASTER, {});
    const page = fr.popup;
    await page.setViewportSize({ width: 360, height: 600 });
    await page.goto(fr.popupUrl);
    await waitView("vault", page);
    await page.click(tid("add"));
    await waitView("edit", page);
    await page.selectOption(tid("edit-type"), "4");
    assert.equal(await page.textContent(`${tid("edit-type")} option[value="4"]`), msg("typeIdentity", "fr"));
    for (const [key, labelKey] of IDENTITY) {
      assert.equal(await page.textContent(`label[for="edit-identity-${key}"]`), msg(labelKey, "fr"), key);
    }
    const types = await page.$$eval(`${tid("edit-field-type")} option`, (o) => o.map((x) => x.textContent));
    assert.deepEqual(types, ["fieldTypeText", "fieldTypeHidden", "fieldTypeBoolean", "fieldTypeLinked"].map((k) => msg(k, "fr")));
    assert.equal((await page.textContent(tid("edit-add-field"))).trim(), msg("addField", "fr"));
    await page.selectOption(tid("edit-field-type"), "3");
    await page.click(tid("edit-add-field"));
    assert.equal(await page.getAttribute(tid("edit-field-name"), "aria-label"), msg("customFieldName", "fr"));
    assert.equal(await page.getAttribute(tid("edit-field-remove"), "aria-label"), msg("removeField", "fr"));
    const first = await page.$eval(`${tid("edit-field-linked")} option`, (o) => o.textContent);
    assert.equal(first, msg("identityTitle", "fr"));
  } finally {
    await fr.close();
  }
});

test("the popup logged no error", () => {
  assert.deepEqual(errors, []);
});
