// Privileges are tested, not assumed. With the vault unlocked and holding an item, every message
// type the router knows (read from the router itself, so a new one is tried automatically) is sent
// from a content script's context, the extension's isolated world in a real web page, in every
// frame: each gets one and the same refusal, whether the type exists or not, and nothing changes.
// A page forging the extension's messages to the content script reaches nothing. Neither storage
// area is readable from a content script, and the page's own world has no extension API at all.
// docs/extension.md lists exactly the router's types, under the senders that may use them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, seedVault, login, ROOT } from "./support/browser.mjs";
import { startSites } from "./support/site-server.mjs";

const MASTER = "privileges-master-password-e2e";
const SECRET = "privileges-secret-password-771";
const USER = "alice@bank.test";
let sites;
let b;
let ids;
let routes;

before(async () => {
  sites = await startSites();
  b = await launch();
  ids = await seedVault(b, MASTER, { bank: login("Bank of Tests", USER, SECRET, ["https://bank.test"]) });
  routes = await b.worker.evaluate(() => self.keyfillRoutes);
});

after(async () => {
  await b?.close();
  await sites?.close();
});

/**
 * Runs one of the functions below in the extension's isolated world (the content script's
 * context) of every frame of the page's tab; resolves to [{frameId, result}]. They are written
 * inside the worker's evaluate: executeScript sends a function's source, and the worker's CSP
 * allows no eval to rebuild one.
 */
async function inContentWorld(page, kind, arg = null) {
  const tabId = await b.tabIdOf(page);
  return b.worker.evaluate(
    async ([tabId, kind, arg]) => {
      const funcs = {
        // Sends each message as the content script would; a throw is a reply too.
        send: async (messages) => {
          const out = [];
          for (const m of messages) {
            try {
              out.push(await chrome.runtime.sendMessage(m));
            } catch (e) {
              out.push({ thrown: String(e && e.message) });
            }
          }
          return out;
        },
        // Reads both storage areas: a string says how it was refused, {read} what it held.
        storage: async () => {
          const out = {};
          for (const area of ["local", "session"]) {
            try {
              const a = chrome.storage && chrome.storage[area];
              if (!a) out[area] = "absent";
              else out[area] = { read: Object.keys(await a.get(null)) };
            } catch (e) {
              out[area] = `refused: ${e && e.message}`;
            }
          }
          return out;
        },
        listen: () => {
          globalThis.__changes = [];
          try {
            chrome.storage.onChanged.addListener((changes, area) => globalThis.__changes.push(area));
          } catch {}
          return true;
        },
        changes: () => globalThis.__changes,
      };
      const results = await chrome.scripting.executeScript({
        target: { tabId, allFrames: true },
        world: "ISOLATED",
        args: [arg],
        func: funcs[kind],
      });
      return results.map((r) => ({ frameId: r.frameId, result: r.result }));
    },
    [tabId, kind, arg],
  );
}

/** What the vault looks like to the popup: nothing a refused message may change. */
async function snapshot() {
  const status = await b.api("status");
  return {
    state: status.state,
    account: status.account ?? null,
    settings: (await b.api("getSettings")).settings,
    rows: (await b.api("search", { query: "" })).rows,
    item: (await b.api("item", { id: ids.bank })).item,
    folders: (await b.api("folders")).folders,
  };
}

test("the router's tables are what the test build reports", () => {
  assert.ok(routes.privileged.length >= 20, JSON.stringify(routes));
  for (const t of ["unlock", "lock", "item", "search", "saveItem", "fill", "setSettings", "logOut"]) {
    assert.ok(routes.privileged.includes(t), t);
  }
  assert.ok(!routes.content.some((t) => routes.privileged.includes(t)), "no type in both tables");
  // A new content message widens what every page can reach: review it, then list it here.
  assert.deepEqual(routes.content, ["pageDetails", "submitted", "menuField", "menuKey", "menuShown", "menuClosed"]);
  assert.deepEqual(routes.prompt, ["promptState", "promptReveal", "promptAnswer"]);
  assert.deepEqual(routes.menu, ["menuState", "menuPick"]);
});

// Every page's content script gets this same reply: the first one seen, checked below.
let refusal = null;

for (const [where, path, opts, frameCount] of [
  ["a page and its cross-origin frame", "/login/cross-origin-iframe.html", {}, 2],
  ["a page and its sandboxed (opaque-origin) frame", "/login/sandboxed-iframe.html", {}, 2],
  ["an http: page", "/login/simple.html", { http: true }, 1],
]) {
  test(`a content script cannot use any privileged message, in ${where}: one identical refusal for every type`, async () => {
    const page = await b.context.newPage();
    await page.goto(sites.url("bank.test", path, opts));
    if (frameCount > 1) await page.frameLocator("#login").locator("input").first().waitFor();
    const before = await snapshot();
    assert.equal(before.state, "unlocked");

    // Every field any handler reads, filled with values that would work from the popup.
    const fields = {
      id: ids.bank,
      tabId: await b.tabIdOf(page),
      password: MASTER,
      kdf: "pbkdf2",
      query: "",
      filters: {},
      item: { type: 1, name: "Planted", login: { username: "eve", password: "planted" } },
      name: "Planted folder",
      options: { length: 20 },
      purpose: "view",
      hash: "0".repeat(64),
      settings: { fillOnPageLoad: true, autoLockMinutes: null, optOutSites: ["bank.test"] },
      server: sites.url("bank.test", "/"),
      email: USER,
    };
    const messages = [
      ...routes.privileged.map((type) => ({ type, ...fields })),
      // Types that do not exist, some named like Object.prototype's own keys.
      ...["noSuchThing", "", "export", "getPassword", "__proto__", "constructor", "toString", "hasOwnProperty", "collect"].map(
        (type) => ({ type, ...fields }),
      ),
      // Shapes that are not messages at all.
      null,
      42,
      "status",
      [],
      {},
      { type: 7 },
      { type: ["status"] },
    ];
    const frames = await inContentWorld(page, "send", messages);
    await page.close();

    assert.equal(frames.length, frameCount, "every frame's content-script world answered");
    refusal ??= frames[0].result[0];
    assert.equal(refusal.ok, false);
    assert.equal(refusal.error.code, "forbidden");
    for (const { frameId, result } of frames) {
      assert.equal(result.length, messages.length);
      result.forEach((reply, i) =>
        assert.deepEqual(reply, refusal, `frame ${frameId}, message ${JSON.stringify(messages[i]?.type ?? messages[i])}`),
      );
    }
    // The refusal names nothing: no type, no item, no state.
    const text = JSON.stringify(refusal);
    for (const leak of [...routes.privileged, "unlocked", "locked", "Bank", USER, SECRET]) {
      assert.ok(!text.includes(leak), `the refusal mentions ${leak}`);
    }
    assert.deepEqual(await snapshot(), before, "nothing changed: still unlocked, same items, settings, folders");
  });
}

test("content scripts cannot read chrome.storage.local or chrome.storage.session; the page has no chrome.storage", async () => {
  // Something in both areas: the unlocked vault keeps its resume state in session.
  await b.api("setSettings", { settings: { autoLockMinutes: 30 } });
  const page = await b.context.newPage();
  await page.goto(sites.url("bank.test", "/login/simple.html"));
  const [{ result }] = await inContentWorld(page, "storage");
  for (const area of ["local", "session"]) {
    assert.ok(typeof result[area] === "string", `chrome.storage.${area} from a content script: ${JSON.stringify(result[area])}`);
  }
  // Nor do changes reach a content script's listener.
  await inContentWorld(page, "listen");
  await b.api("setSettings", { settings: { autoLockMinutes: 15 } });
  await b.api("lock");
  assert.ok((await b.api("unlock", { password: MASTER })).ok);
  await new Promise((r) => setTimeout(r, 200));
  const [{ result: changes }] = await inContentWorld(page, "changes");
  assert.deepEqual(changes, [], "storage changes reached the content script");

  const main = await page.evaluate(() => [typeof globalThis.chrome?.storage, typeof globalThis.chrome?.runtime?.sendMessage]);
  assert.deepEqual(main, ["undefined", "undefined"]);
  await page.close();
});

test("a page forging the extension's messages to its content script reaches nothing", async () => {
  const page = await b.context.newPage();
  await page.goto(sites.url("bank.test", "/login/simple.html"));
  // A real fill first, so the content script holds a snapshot whose opids a forged fill could use.
  const filled = await b.api("fill", { id: ids.bank, tabId: await b.tabIdOf(page) });
  assert.equal(filled.status, "filled", JSON.stringify(filled));
  await page.evaluate(() => {
    window.username.value = "";
    window.password.value = "";
  });
  // Everything the worker receives from now on, the popup's own reads aside.
  await b.worker.evaluate(() => {
    self.__received = [];
    chrome.runtime.onMessage.addListener((m, s) => {
      if (!s.url?.startsWith(`chrome-extension://${chrome.runtime.id}/`)) self.__received.push({ type: m?.type, url: s.url });
      return false;
    });
  });
  const before = await snapshot();
  const heard = await page.evaluate(async ([master]) => {
    const heard = [];
    // Replies would come as messages from another window (the page's own forged ones come from itself).
    window.addEventListener("message", (e) => e instanceof MessageEvent && e.source !== window && heard.push(e.data));
    const shapes = [
      { type: "fill", origin: location.origin, actions: [{ opid: "__kf1", value: "forged" }, { opid: "__kf2", value: "forged" }] },
      { type: "collect", token: "forged" },
      { type: "pageDetails", token: "forged", details: { fields: [], forms: [] } },
      { type: "unlock", password: master },
      { type: "lock" },
      { type: "search", query: "" },
      { type: "item", id: "any" },
      { type: "setSettings", settings: { fillOnPageLoad: true } },
      { source: "keyfill", type: "fill", actions: [] },
    ];
    for (const data of shapes) {
      window.postMessage(data, "*");
      window.postMessage(JSON.stringify(data), "*");
      for (const name of ["keyfill", data.type, "message"]) {
        for (const target of [window, document, document.forms[0], window.username]) {
          target.dispatchEvent(new CustomEvent(name, { detail: data, bubbles: true, composed: true }));
        }
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    return heard;
  }, [MASTER]);
  assert.deepEqual(heard, [], "nothing answered the page");
  assert.deepEqual(await page.evaluate(() => [window.username.value, window.password.value]), ["", ""], "nothing was filled");
  assert.deepEqual(await b.worker.evaluate(() => self.__received), [], "nothing reached the worker");
  assert.deepEqual(await snapshot(), before);
  await page.close();
});

/** The message types a docs/extension.md section lists, by its heading's "senders:" mark. */
function documented() {
  const doc = readFileSync(join(ROOT, "docs", "extension.md"), "utf8");
  const out = {};
  for (const section of doc.split(/^### /m).slice(1)) {
    const mark = /senders: ([a-z]+)/.exec(section.split("\n")[0]);
    if (!mark) continue;
    const types = [];
    for (const line of section.split("\n")) {
      const m = /^\| ([^|]+)\|/.exec(line);
      if (!m || /^(type|---)/.test(m[1].trim())) continue;
      for (const t of m[1].matchAll(/`([A-Za-z]+)`/g)) types.push(t[1]);
    }
    (out[mark[1]] ??= []).push(...types);
  }
  return out;
}

test("docs/extension.md lists exactly the router's types, each under the senders that may use it", () => {
  const docs = documented();
  const sorted = (a) => [...(a ?? [])].sort();
  assert.deepEqual(sorted(docs.privileged), sorted(routes.privileged), "privileged (extension pages → worker)");
  assert.deepEqual(sorted(docs.content), sorted(routes.content), "content (content script → worker)");
  assert.deepEqual(sorted(docs.prompt), sorted(routes.prompt), "prompt (the save prompt's page → worker)");
  assert.deepEqual(sorted(docs.menu), sorted(routes.menu), "menu (the inline menu's page → worker)");
  // Worker → content: the types the content script answers.
  const script = readFileSync(join(ROOT, "extension", "content", "messaging.js"), "utf8");
  const handled = [...script.matchAll(/^\s*case "([A-Za-z]+)":/gm)].map((m) => m[1]);
  assert.deepEqual(sorted(docs.worker), sorted(handled), "worker (worker → content script)");
});
