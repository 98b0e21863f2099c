// docs/autofill.md "Cards and identities" through the whole extension in Chromium: a card or an
// identity filled from the popup into a checkout's fields, each value in the shape the field
// asks for, nothing else changed, and the site receiving exactly those values; the popup lists
// cards and identities only where the page has their fields; a card form in a payment frame of
// another origin fills only after the user confirms that frame's host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scenarios, ITEMS } from "./support/scenario.mjs";

const CARD = {
  type: 3,
  name: "My Visa",
  card: { cardholderName: "Ada Lovelace", brand: "Visa", number: "4111 1111 1111 1111", expMonth: "3", expYear: "2027", code: "123" },
};
const HOME = {
  type: 4,
  name: "Home",
  identity: {
    title: "Mrs", firstName: "Ada", lastName: "Lovelace", address1: "12 rue de la Paix", address2: "Bâtiment B",
    postalCode: "75002", city: "Paris", country: "FR", phone: "+33 1 23 45 67 89", email: "ada@example.org",
  },
};

const SHOPPER = {
  type: 1,
  name: "Shop member",
  login: { username: "shopper", password: "Shop-pw-e2e-1", uris: [{ uri: "https://shop.test", match: null }] },
  fields: [
    { name: "Member number", value: "M-4242", type: 0 },
    { name: "unused", value: "nothing here", type: 1 },
  ],
};

let s;
before(async () => (s = await Scenarios.start({ bank: ITEMS.bank, card: CARD, home: HOME, shopper: SHOPPER })));
after(async () => s?.close());

test("a card into one expiry field (MM / YY); the promo code stays empty; the site receives it", async () => {
  await s.open("shop.test", "/checkout/card.html");
  assert.deepEqual(await s.fill(s.ids.card), { status: "filled", warnings: [] });
  const want = { cardnumber: "4111111111111111", holder: "Ada Lovelace", exp: "03 / 27", cvc: "123" };
  await s.expectFilled(want);
  assert.deepEqual((await s.submit({ click: "button" })).fields, { ...want, promo: "" });
});

test("a card into selects: month by name, two-digit year, card type", async () => {
  await s.open("shop.test", "/checkout/card-selects.html");
  assert.equal((await s.fill(s.ids.card)).status, "filled");
  const want = { card_type: "VI", card_number: "4111111111111111", exp_month: "mar", exp_year: "27", cvv: "123" };
  await s.expectFilled(want);
  assert.deepEqual((await s.submit({ click: "button" })).fields, want);
});

test("an identity into a French address form; the note stays empty", async () => {
  await s.open("boutique.test", "/checkout/adresse.html");
  assert.equal((await s.fill(s.ids.home)).status, "filled");
  const want = {
    civilite: "mme", prenom: "Ada", nom: "Lovelace", adresse: "12 rue de la Paix", complement: "Bâtiment B",
    cp: "75002", ville: "Paris", pays: "France", telephone: "+33 1 23 45 67 89",
  };
  await s.expectFilled(want);
  assert.deepEqual((await s.submit({ click: "button" })).fields, { ...want, note: "" });
});

test("a card into split month and year inputs (MM, YYYY)", async () => {
  await s.open("shop.test", "/checkout/card-split-inputs.html");
  assert.equal((await s.fill(s.ids.card)).status, "filled");
  const want = { num: "4111111111111111", mm: "03", yyyy: "2027", cvc: "123" };
  await s.expectFilled(want);
  assert.deepEqual((await s.submit({ click: "button" })).fields, want);
});

test("a card into number selects: month 1–12, four-digit year", async () => {
  await s.open("shop.test", "/checkout/card-number-selects.html");
  assert.equal((await s.fill(s.ids.card)).status, "filled");
  const want = { ccnumber: "4111111111111111", ccmonth: "3", ccyear: "2027" };
  await s.expectFilled(want);
  assert.deepEqual((await s.submit({ click: "button" })).fields, want);
});

test("an identity into an English address form with the country as text; the newsletter stays empty", async () => {
  await s.open("shop.test", "/checkout/address-en.html");
  assert.equal((await s.fill(s.ids.home)).status, "filled");
  const want = {
    fullname: "Ada Lovelace", address_line1: "12 rue de la Paix", address_line2: "Bâtiment B", city: "Paris",
    zip: "75002", country: "FR", phone: "+33 1 23 45 67 89",
  };
  await s.expectFilled(want);
  assert.deepEqual((await s.submit({ click: "button" })).fields, { ...want, company: "" });
});

test("a login's custom field fills the field it names; the one naming nothing stays out", async () => {
  await s.open("shop.test", "/login/custom-fields.html");
  assert.equal((await s.fill(s.ids.shopper)).status, "filled");
  const want = { member: "M-4242", username: "shopper", password: "Shop-pw-e2e-1" };
  await s.expectFilled(want);
  assert.deepEqual((await s.submit({ click: "button" })).fields, want);
});

test("the popup lists the card on a payment page and the identity on an address page, neither on a sign-in page", async () => {
  const wallet = async () => (await s.api("tabWallet", { tabId: s.tabId })).rows.map((r) => r.name).sort();
  await s.open("shop.test", "/checkout/card.html");
  assert.deepEqual(await wallet(), ["My Visa"]);
  await s.open("boutique.test", "/checkout/adresse.html");
  assert.deepEqual(await wallet(), ["Home"]);
  await s.open("bank.test", "/login/simple.html");
  assert.deepEqual(await wallet(), []);
});

test("the popup, opened on a checkout, lists the card after the page's logins and fills it with its Fill button", async () => {
  await s.open("shop.test", "/checkout/card.html");
  const popup = await s.b.context.newPage();
  await popup.goto(`${s.b.popupUrl}?tabId=${s.tabId}`);
  const fill = popup.locator(`[data-testid="fill"][data-id="${s.ids.card}"]`);
  await fill.waitFor({ timeout: 10_000 });
  assert.equal(await popup.locator(`[data-testid="fill"][data-id="${s.ids.home}"]`).count(), 0, "no address fields here");
  await fill.click();
  await popup.close().catch(() => {});
  await s.page.bringToFront();
  await s.page.waitForFunction(() => document.querySelector("#cc").value !== "");
  await s.expectFilled({ cardnumber: "4111111111111111", holder: "Ada Lovelace", exp: "03 / 27", cvc: "123" });
});

test("a card form in a payment frame of another origin: asked first, naming the frame's host; filled once confirmed", async () => {
  await s.open("shop.test", "/checkout/payment-frame.html");
  const asked = await s.fill(s.ids.card);
  assert.equal(asked.status, "confirm");
  assert.equal(asked.reason, "otherOriginFrame");
  assert.match(asked.host, /^pay\.test(:\d+)?$/);
  await s.expectFilled({}, "nothing before the user confirms");
  assert.equal((await s.fill(s.ids.card, { confirmation: asked.confirmation })).status, "filled");
  const inner = "pay.test/checkout/payment-inner.html > ";
  await s.expectFilled({ [`${inner}number`]: "4111111111111111", [`${inner}expiry`]: "03/27", [`${inner}cvc`]: "123" });
});

test("a card split over the page and three frames of the payment provider: one question naming its host, then one fill", async () => {
  await s.open("shop.test", "/checkout/split-frames.html");
  const asked = await s.fill(s.ids.card);
  assert.equal(asked.status, "confirm");
  assert.equal(asked.reason, "otherOriginFrame");
  assert.match(asked.host, /^pay\.test(:\d+)?$/);
  await s.expectFilled({}, "nothing before the user confirms");
  assert.equal((await s.fill(s.ids.card, { confirmation: asked.confirmation })).status, "filled");
  await s.expectFilled({
    holder: "Ada Lovelace",
    "pay.test/checkout/field-number.html > number": "4111111111111111",
    "pay.test/checkout/field-expiry.html > expiry": "03 / 27",
    "pay.test/checkout/field-cvc.html > cvc": "123",
  });
});

test("the context menu's Fill card and Fill identity fill the page's card and address fields", async () => {
  await s.open("shop.test", "/checkout/card.html");
  assert.equal((await s.gesture("contextMenu", "identity")).status, "refused", "no address fields here");
  assert.equal((await s.gesture("contextMenu", "card")).status, "filled");
  await s.expectFilled({ cardnumber: "4111111111111111", holder: "Ada Lovelace", exp: "03 / 27", cvc: "123" });
  await s.open("boutique.test", "/checkout/adresse.html");
  assert.equal((await s.gesture("contextMenu", "identity")).status, "filled");
  assert.equal((await s.filled()).ville, "Paris");
});

test("the keyboard shortcut never fills a card (it fills logins)", async () => {
  await s.open("shop.test", "/checkout/card.html");
  await s.gesture("shortcut");
  await s.expectFilled({});
});
