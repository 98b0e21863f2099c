// What the official Bitwarden CLI writes, Keyfill reads. The official CLI (@bitwarden/cli
// 2026.9.0) signs in to the test server over HTTPS, creates folders and items of every type
// (logins with several URIs and every match type, TOTP, custom fields of every type, password
// history, notes, cards, identities, an SSH key, favourites, re-prompt), edits, trashes and
// restores; then `keyfill sync` reads the same account and its export must equal, field for
// field, `bw export --format json` of that account. The official CLI writes per-item keys (the
// server advertises cipher-key encryption as the official one does), so Keyfill reads those too.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { startHttpsServer, officialCli, keyfill, requireOfficialCli, comparable } from "./support/official-cli.mjs";

const PASSWORD = "official «CLI» password ✓";
let server;
const clis = [];

before(async () => {
  requireOfficialCli();
  server = await startHttpsServer({ mode: "vaultwarden" });
});

after(async () => {
  for (const c of clis) c.cleanup();
  await server?.stop();
});

function newCli(s = server) {
  const c = officialCli(s);
  clis.push(c);
  return c;
}

// Long, but under the server's 10 000-character limit once encrypted (Vaultwarden's).
const LONG_NOTE = Array.from({ length: 45 }, (_, i) => `line ${i}: «quoted» "double" 'single' \\ tab\there — ünïcödé ✓ 日本語`).join("\n");

function sshKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).trim(),
    keyFingerprint: "SHA256:test-fingerprint",
  };
}

/** The items the official CLI creates (its `bw create item` JSON, Bitwarden's export shape). */
function items(folders) {
  return [
    {
      type: 1,
      name: 'Bank «Crédit» "quoted"',
      folderId: folders.work,
      favorite: true,
      reprompt: 1,
      notes: "line 1\nline 2 — ünïcödé",
      login: {
        username: "alice@bank.test",
        password: 'p@ss "w0rd" ✓',
        totp: "otpauth://totp/Bank:alice?secret=JBSWY3DPEHPK3PXP&issuer=Bank",
        uris: [
          { uri: "https://bank.test/login", match: null },
          { uri: "bank.example", match: 0 },
          { uri: "https://host.bank.test:8443", match: 1 },
          { uri: "https://bank.test/app", match: 2 },
          { uri: "https://bank.test/exact?x=1", match: 3 },
          { uri: "^https://.*\\.bank\\.test/", match: 4 },
          { uri: "https://never.bank.test", match: 5 },
        ],
      },
      fields: [
        { name: "Branch", value: "Main St", type: 0 },
        { name: "PIN", value: "1234", type: 1 },
        { name: "Paperless", value: "true", type: 2 },
        { name: "User (linked)", value: null, type: 3, linkedId: 100 },
      ],
      passwordHistory: [{ password: "older «one»", lastUsedDate: "2025-01-02T03:04:05.000Z" }],
    },
    { type: 1, name: "Mail", folderId: folders.personal, login: { username: "zoë", password: "mail pw", totp: "JBSW Y3DP EHPK 3PXP", uris: [{ uri: "mail.test", match: null }] } },
    { type: 2, name: "Recovery codes", notes: LONG_NOTE, secureNote: { type: 0 }, fields: [{ name: "Hint", value: "in the safe\nsecond line", type: 0 }] },
    { type: 3, name: "Visa", card: { cardholderName: "Zoë O'Brien", brand: "Visa", number: "4111111111111111", expMonth: "7", expYear: "2031", code: "123" } },
    {
      type: 4,
      name: "Me",
      identity: {
        title: "Dr",
        firstName: "Zoë",
        middleName: "Q",
        lastName: "Ünal",
        address1: "1 «Rue» de l'Église",
        address2: "Bât. B",
        address3: null,
        city: "Zürich",
        state: "ZH",
        postalCode: "8001",
        country: "CH",
        company: 'ACME "Ltd"',
        email: "zoe@example.test",
        phone: "+41 44 000 00 00",
        ssn: "756.1234.5678.97",
        username: "zoe",
        passportNumber: "X1234567",
        licenseNumber: "ZH-42",
      },
      fields: [{ name: "Member", value: "false", type: 2 }],
    },
    { type: 5, name: "Deploy key", sshKey: sshKey() },
    { type: 1, name: "Old account", login: { username: "old", password: "old pw", uris: [] } },
    { type: 1, name: "Restored account", login: { username: "back", password: "back pw", uris: [{ uri: "https://back.test", match: 3 }] } },
  ];
}

/** An export's folders and items by id, in the comparable form of `comparable`. */
function normalised(exported) {
  const byId = (a, b) => (a.id < b.id ? -1 : 1);
  return { folders: comparable([...exported.folders].sort(byId)), items: comparable([...exported.items].sort(byId)) };
}

// The accounts are independent: the stories run side by side (each bw call is a Node start).
describe("the official CLI writes, Keyfill reads", { concurrency: true }, () => {
  test("the official CLI's account (PBKDF2): every item type, edits, trash and restore read back by keyfill field for field", async () => {
    const email = "writer@example.test";
    await server.register(email, PASSWORD, "5000");
    const bw = newCli();
    await bw.login(email, PASSWORD);

    const work = await bw.create("folder", { name: "Work ✓" });
    const personal = await bw.create("folder", { name: "Personal «home»" });
    const created = [];
    for (const item of items({ work: work.id, personal: personal.id })) created.push(await bw.create("item", item));
    const id = Object.fromEntries(created.map((c) => [c.name, c.id]));
    // Every item got its own key: the server's config made the official CLI use per-item keys.
    for (const c of created) assert.match(c.key ?? "", /^2\./, `${c.name} has a per-item key`);

    // Edits: a new password (the old one goes to the history), one URI fewer, a renamed folder.
    const bank = await bw.bw("get", "item", id['Bank «Crédit» "quoted"']);
    bank.login.password = "new «secret» ✓";
    bank.login.uris = bank.login.uris.filter((u) => u.match !== 5);
    await bw.edit("item", bank.id, bank);
    await bw.edit("folder", personal.id, { name: "Personal ✎" });
    // Trash one for good, and one that comes back.
    await bw.bw("delete", "item", id["Old account"]);
    await bw.bw("delete", "item", id["Restored account"]);
    await bw.bw("restore", "item", id["Restored account"]);
    await bw.bw("sync");

    const edited = await bw.bw("get", "item", bank.id);
    assert.equal(edited.login.password, "new «secret» ✓");
    assert.deepEqual(
      edited.passwordHistory.map((p) => p.password),
      ['p@ss "w0rd" ✓', "older «one»"],
    );
    const found = await bw.bw("list", "items", "--search", "Bank");
    assert.deepEqual(
      found.data.map((i) => i.id),
      [bank.id],
    );
    const trash = await bw.bw("list", "items", "--trash");
    assert.deepEqual(
      trash.data.map((i) => i.name),
      ["Old account"],
    );

    const official = JSON.parse(await bw.exportText("json"));
    const ours = JSON.parse(await keyfill(server, ["sync", "--email", email], PASSWORD));
    assert.equal(ours.encrypted, false);
    assert.equal(official.items.length, 7, "trash excluded");
    // Keyfill's export also keeps login.passwordRevisionDate, which Bitwarden's export format
    // leaves out: it must be the one the official CLI shows for the item.
    const ourBank = ours.items.find((i) => i.id === bank.id);
    assert.equal(new Date(ourBank.login.passwordRevisionDate).getTime(), new Date(edited.login.passwordRevisionDate).getTime());
    for (const i of ours.items) if (i.login) delete i.login.passwordRevisionDate;
    assert.deepEqual(normalised(ours), normalised(official));

    // The other export formats of the same account open too.
    const encrypted = JSON.parse(await bw.exportText("encrypted_json"));
    assert.equal(encrypted.encrypted, true);
    assert.equal(encrypted.items.length, 7);
    const csv = await bw.exportText("csv");
    assert.match(csv.split("\n")[0], /^folder,favorite,type,name,notes,fields,reprompt,/);
    for (const text of ["alice@bank.test", "Mail", "Recovery codes"]) assert.ok(csv.includes(text), text);
  });

  test("an Argon2id account: login, lock, unlock and an item read back by keyfill", async () => {
    const email = "argon@example.test";
    await server.register(email, PASSWORD, "argon2:3,16,1");
    const bw = newCli();
    await bw.login(email, PASSWORD);
    await bw.lock();
    await bw.unlock(PASSWORD);
    const item = await bw.create("item", { type: 1, name: "Argon login", login: { username: "a", password: "argon ✓", uris: [{ uri: "https://argon.test", match: null }] } });
    const official = JSON.parse(await bw.exportText("json"));
    const ours = JSON.parse(await keyfill(server, ["sync", "--email", email], PASSWORD));
    assert.deepEqual(normalised(ours), normalised(official));
    assert.equal(ours.items[0].id, item.id);
  });

  test("two-factor by authenticator app: the official CLI logs in with a code", async () => {
    const email = "totp@example.test";
    await server.register(email, PASSWORD, "5000");
    const { secret } = await server.control("POST", "two-factor", { email, provider: 0 });
    assert.ok(secret);
    const bw = newCli();
    const refused = await bw.attempt(["login", email, PASSWORD]);
    assert.notEqual(refused.code, 0, "no code, no login");
    const { code } = await server.control("GET", `totp?email=${encodeURIComponent(email)}`);
    await bw.login(email, PASSWORD, { totp: code });
    await bw.create("item", { type: 2, name: "Behind 2FA", notes: "n", secureNote: { type: 0 } });
    const listed = await bw.bw("list", "items");
    assert.deepEqual(
      listed.data.map((i) => i.name),
      ["Behind 2FA"],
    );
  });

  test("Cozy: the official CLI 2026.9 cannot sign in (it asks for /identity/accounts/prelogin/password, which cozy-stack lacks)", async () => {
    const cozy = await startHttpsServer({ mode: "cozy" });
    try {
      const email = "cozy@example.test";
      await cozy.register(email, PASSWORD, "10000");
      const bw = newCli(cozy);
      await bw.bw("config", "server", cozy.base);
      const r = await bw.attempt(["login", email, PASSWORD]);
      assert.notEqual(r.code, 0);
      const log = await cozy.log();
      assert.match(log, /POST \/bitwarden\/identity\/accounts\/prelogin\/password 404/, log);
      assert.doesNotMatch(log, /connect\/token/, "it never gets to the password grant");
    } finally {
      await cozy.stop();
    }
  });
});
