// The wasm build of the core, run in Node: the vectors of tests/data, and a whole unlock of the
// SDK-written fixture account through the Session binding (both PBKDF2 paths). The test build's
// wasm (dist-test/, `bash scripts/build.sh`): the shipped one has no self-test export.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import init, { Session, optedOut, selfTest } from "../../dist-test/extension/pkg/keyfill.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const data = `${root}tests/data`;
const fixture = (name) => readFileSync(`${data}/fixtures/sdk-account/${name}`, "utf8");

await init({ module_or_path: readFileSync(`${root}dist-test/extension/pkg/keyfill_bg.wasm`) });

test("every vector passes in wasm", async () => {
  const outcomes = JSON.parse(await selfTest(readFileSync(`${data}/vectors/bitwarden.json`, "utf8")));
  assert.ok(outcomes.length >= 15, `only ${outcomes.length} vectors ran`);
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
});

// RSA in the browser's wasm is WebCrypto's (src/crypto/asymmetric/web_crypto.rs): the vector's
// key and ciphertexts come from Python's cryptography, and a key pair of WebCrypto's making
// opens an organization key as an account would.
test("RSA-OAEP vectors pass in wasm, and a key pair made there works", async () => {
  const outcomes = JSON.parse(await selfTest(readFileSync(`${data}/vectors/rsa_oaep.json`, "utf8")));
  assert.deepEqual(
    outcomes.map((o) => o.name),
    ["rsa_oaep.type4", "rsa_oaep.type3", "rsa_oaep.encrypt", "rsa_oaep.generated"],
  );
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
});

const email = fixture("email").trim();
const password = fixture("password").replace(/\n$/, "");
const expected = JSON.parse(fixture("expected.json"));

for (const platform of [true, false]) {
  test(`unlocks the SDK fixture with ${platform ? "SubtleCrypto" : "wasm"} PBKDF2`, async () => {
    const s = new Session();
    s.usePlatformPbkdf2(platform);
    await s.unlock(email, password, fixture("prelogin.json"), fixture("sync.json"));
    const rows = JSON.parse(s.summaries()).filter((r) => !r.deleted);
    assert.deepEqual(rows.map((r) => r.name).sort(), expected.items.map((i) => i.name).sort());
    const mail = expected.items[0];
    const item = JSON.parse(s.item(mail.id));
    assert.equal(item.login.password, mail.login.password);
    for (const row of rows) {
      assert.equal(row.damaged, false, row.id);
      assert.ok(!JSON.stringify(row).includes(mail.login.password));
    }
    s.warmUp();
    const forPage = JSON.parse(s.candidatesFor("https://mail.example.test/inbox"));
    assert.deepEqual(forPage.map((r) => r.id), [mail.id]);
    assert.deepEqual(JSON.parse(s.candidatesFor("https://mail.example.test.evil.test/")), []);
    // A RegularExpression URI (`^https://([a-z]+\.)?regex\.test/`) runs on the browser's RegExp
    // in wasm: it matches anywhere after its anchor, and only where the pattern says.
    const regexSite = expected.items.find((i) => i.name === "Regex site");
    const ids = (url) => JSON.parse(s.candidatesFor(url)).map((r) => r.id);
    assert.deepEqual(ids("https://WWW.Regex.test/sign-in?x=1"), [regexSite.id]);
    assert.deepEqual(ids("https://regex.test/"), [regexSite.id]);
    assert.deepEqual(ids("https://a.b.regex.test/"), []);
    assert.deepEqual(ids("https://regex.test.evil.test/"), []);
    const found = JSON.parse(s.search("exmaple mail", ""));
    assert.equal(found[0].id, mail.id);
    assert.ok(!JSON.stringify(found).includes(mail.login.password));
    assert.deepEqual(JSON.parse(s.search("", JSON.stringify({ type: 3 }))).map((r) => r.name), ["Visa"]);
    assert.throws(() => s.search("x", "{"), (e) => e.code === "malformed");
    s.lock();
    assert.equal(s.isUnlocked(), false);
    assert.throws(() => s.candidatesFor("https://mail.example.test/"), (e) => e.code === "locked");
    assert.throws(() => s.summaries(), (e) => e.code === "locked");
  });
}

// The browser's wasm links no Unicode tables (web/Cargo.toml): hosts in Unicode go through the
// platform's URL and search folding through String.prototype.normalize. The same answers as the
// native core's tests (tests/matching_*.rs, src/search/fold.rs).
test("Unicode hosts, IDN suffixes and accents work without the Unicode tables", async () => {
  const s = new Session();
  await s.unlock(email, password, fixture("prelogin.json"), fixture("sync.json"));
  const login = (name, uri) =>
    s.saveItem(JSON.stringify({ id: "", type: 1, name, login: { username: "u", password: "p", uris: [{ uri, match: null }] } }));
  const books = login("Crème brûlée Bücher", "https://Bücher.example/login");
  const shop = login("Ｆｕｌｌｗｉｄｔｈ shop", "https://x.b.公司.cn/");
  const ids = (url) => JSON.parse(s.candidatesFor(url)).map((r) => r.id);
  assert.deepEqual(ids("https://www.xn--bcher-kva.example/"), [books]);
  assert.deepEqual(ids("https://bucher.example/"), []);
  // 公司.cn is a public suffix (an IDN rule of the list): b.公司.cn is the registrable domain.
  assert.deepEqual(ids("https://b.xn--55qx5d.cn/"), [shop]);
  assert.deepEqual(ids("https://c.xn--55qx5d.cn/"), []);
  const search = (q) => JSON.parse(s.search(q, "")).map((r) => r.id);
  assert.deepEqual(search("creme brulee"), [books]);
  assert.deepEqual(search("BUCHER"), [books]);
  assert.deepEqual(search("fullwidth"), [shop]);
  assert.equal(optedOut("https://xn--bcher-kva.example/", JSON.stringify(["bücher.example"])), true);
  assert.equal(optedOut("https://bucher.example/", JSON.stringify(["bücher.example"])), false);
  s.lock();
});

test("a local vault made in wasm (its key pair WebCrypto's) resumes and unlocks again", async () => {
  const s = new Session();
  const prelogin = await s.createLocal("a long master password", "pbkdf2");
  const id = s.saveItem(JSON.stringify({ id: "", type: 1, name: "Mine", login: { username: "me", password: "pw" } }));
  const material = s.materialJson();
  const token = s.resumeToken();
  s.lock();
  const again = new Session();
  await again.resume(token, prelogin, material);
  assert.equal(JSON.parse(again.item(id)).login.password, "pw");
  again.lock();
  await again.unlock("", "a long master password", prelogin, material);
  assert.equal(JSON.parse(again.item(id)).login.password, "pw");
  await assert.rejects(new Session().resume("AAAA", prelogin, material), (e) => e.code === "wrong_password");
});

test("a wrong password rejects with code wrong_password", async () => {
  const s = new Session();
  await assert.rejects(
    s.unlock(email, "Tr0ub4dor&3", fixture("prelogin.json"), fixture("sync.json")),
    (e) => e.code === "wrong_password" && !e.message.includes("Tr0ub4dor"),
  );
});

test("hostile KDF settings are refused before deriving", async () => {
  const s = new Session();
  for (const prelogin of [
    { kdf: 0, kdfIterations: 1000 },
    { kdf: 0, kdfIterations: 1e9 },
    { kdf: 1, kdfIterations: 3, kdfMemory: 1e6, kdfParallelism: 4 },
  ]) {
    await assert.rejects(
      s.unlock(email, password, JSON.stringify(prelogin), fixture("sync.json")),
      (e) => e.code === "kdf_rejected",
    );
  }
  await assert.rejects(s.unlock(email, password, "{", fixture("sync.json")), (e) => e.code === "malformed");
});

test("the stored account may be given as UTF-8 bytes; anything else is malformed", async () => {
  const s = new Session();
  const bytes = new TextEncoder().encode(fixture("sync.json"));
  await s.unlock(email, password, fixture("prelogin.json"), bytes);
  const names = JSON.parse(s.summaries()).map((r) => r.name).sort();
  const token = s.resumeToken();
  s.lock();
  await s.resume(token, fixture("prelogin.json"), bytes);
  assert.deepEqual(JSON.parse(s.summaries()).map((r) => r.name).sort(), names);
  s.lock();
  for (const bad of [42, null, new Uint8Array([0xff, 0xfe])]) {
    await assert.rejects(s.unlock(email, password, fixture("prelogin.json"), bad), (e) => e.code === "malformed");
  }
  await assert.rejects(s.resume(token, fixture("prelogin.json"), {}), (e) => e.code === "malformed");
});
