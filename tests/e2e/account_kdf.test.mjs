// Signing in again to an account whose server now asks for weaker key-derivation settings than
// this browser stored at its last sign-in: refused with kdf_downgrade before any password hash
// leaves the browser; the popup warns and offers to go on, and only then is the request sent.
// Against the Bitwarden-protocol test server (tests/server/bwserver.py, told the KDF through
// /__test/kdf); register.py makes the account with PBKDF2 100 000.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./support/bw-server.mjs";
import { launch } from "./support/browser.mjs";

const EMAIL = "fay@example.test";
const MASTER = "fay's master password";
let server;
let b;

before(async () => {
  server = await startServer({ mode: "vaultwarden" });
  server.register(EMAIL, MASTER);
  b = await launch();
});

after(async () => {
  await b?.close();
  await server?.cleanup();
});

const passwordGrants = async () => {
  const { requests } = await (await fetch(`${server.base}/__test/requests`)).json();
  return requests.filter((r) => r.method === "POST" && r.path.endsWith("/connect/token")).length;
};

test("a weaker KDF than last time is refused until the user confirms it in the popup", async () => {
  const first = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.ok(first.ok, JSON.stringify(first));
  // The server ends the session, then asks for fewer iterations.
  await server.control("security-stamp", { email: EMAIL });
  assert.equal((await b.api("syncNow")).error?.code, "logged_out");
  await server.control("kdf", { email: EMAIL, kdf: 0, kdfIterations: 20_000 });
  await server.control("reset-log", {});

  const refused = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.equal(refused.error?.code, "kdf_downgrade", JSON.stringify(refused));
  const mail = await b.api("sendEmailCode", { server: server.base, email: EMAIL, password: MASTER });
  assert.equal(mail.error?.code, "kdf_downgrade", JSON.stringify(mail));
  assert.equal(await passwordGrants(), 0, "a password hash went to the server");

  const popup = await b.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(b.popupUrl);
  await popup.getByTestId("settings").click();
  await popup.getByTestId("sign-in-again").click();
  await popup.getByTestId("account-password").fill(MASTER);
  await popup.getByTestId("account-submit").click();
  const confirm = popup.getByTestId("account-kdf-confirm");
  await confirm.waitFor({ state: "visible", timeout: 20_000 });
  assert.match(await popup.getByTestId("account-error").textContent(), /weaker key-derivation settings/);
  assert.equal(await passwordGrants(), 0);
  // Confirmed: the sign-in goes ahead (the account's hash was made with the real settings, so
  // this server refuses it: what an attacker posing as the server would have collected).
  await confirm.click();
  await popup.getByTestId("account-error").filter({ hasText: /password/i }).waitFor({ timeout: 20_000 });
  assert.ok(await confirm.isHidden());
  assert.equal(await passwordGrants(), 1);
  await popup.close();

  // The settings back as stored: no question asked.
  await server.control("kdf", { email: EMAIL, kdf: 0, kdfIterations: 100_000 });
  const again = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.ok(again.ok, JSON.stringify(again));
});

test("after a log-out, the settings of the last sign-in still guard the next one", async () => {
  assert.ok((await b.api("logOut")).ok);
  await server.control("kdf", { email: EMAIL, kdf: 0, kdfIterations: 20_000 });
  await server.control("reset-log", {});
  const refused = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.equal(refused.error?.code, "kdf_downgrade", JSON.stringify(refused));
  assert.equal(await passwordGrants(), 0, "a password hash went to the server");
  await server.control("kdf", { email: EMAIL, kdf: 0, kdfIterations: 100_000 });
  assert.ok((await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER })).ok);
});

const stored = (keys) => b.worker.evaluate((k) => chrome.storage.local.get(k), keys);

test("remembered-device tokens are sealed under the device secret; entries of earlier versions leave the disk", async () => {
  assert.ok((await b.api("logOut")).ok);
  await server.control("two-factor", { email: EMAIL, provider: 0 });
  const { code } = await (await fetch(`${server.base}/__test/totp?email=${encodeURIComponent(EMAIL)}`)).json();
  const signedIn = await b.api("addAccount", {
    server: server.base, email: EMAIL, password: MASTER, twoFactor: { provider: 0, token: code, remember: true },
  });
  assert.ok(signedIn.ok, JSON.stringify(signedIn));
  const who = `${server.base}|${EMAIL}`;
  const got = await stored(["account.remembered", "device.secret"]);
  assert.equal(got["account.remembered"].v, 2);
  assert.deepEqual(Object.keys(got["account.remembered"].tokens), [who]);
  assert.match(got["account.remembered"].tokens[who], /^2\./);
  assert.equal(atob(got["device.secret"]).length, 32);
  // The token signs in again without a code.
  assert.ok((await b.api("logOut")).ok);
  assert.ok((await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER })).ok);

  // An entry as earlier versions wrote it (a flat map, sealed under the master key) is dropped
  // at the next unlock: the second factor is asked for again at the next sign-in.
  await b.worker.evaluate((w) => chrome.storage.local.set({ "account.remembered": { [w]: "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" } }), who);
  assert.ok((await b.api("lock")).ok);
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  for (let i = 0; i < 50 && (await stored("account.remembered"))["account.remembered"].v !== 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual((await stored("account.remembered"))["account.remembered"], { v: 2, tokens: {} });
  assert.ok((await b.api("logOut")).ok);
  const asked = await b.api("addAccount", { server: server.base, email: EMAIL, password: MASTER });
  assert.equal(asked.error?.code, "two_factor_required", JSON.stringify(asked));
});
