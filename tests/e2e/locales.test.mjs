// The locales and the popup agree: both locales have the same keys and placeholders, every key
// the popup (HTML data-i18n*, JS t()/getMessage()) or the manifest uses exists, and popup.html
// holds no visible text or labelling attribute that does not come from a key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const popupDir = join(root, "extension/popup");
const LOCALES = ["en", "fr"];
const load = (lang) => JSON.parse(readFileSync(join(root, `_locales/${lang}/messages.json`), "utf8"));
const locales = Object.fromEntries(LOCALES.map((l) => [l, load(l)]));
const html = readFileSync(join(popupDir, "popup.html"), "utf8");

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "pkg" ? [] : jsFiles(p);
    return /\.m?js$/.test(e.name) ? [p] : [];
  });
}

// Keys written literally: t("key"…) in the popup, chrome.i18n.getMessage("key"…) anywhere.
function keysIn(file, withT) {
  const src = readFileSync(file, "utf8");
  const re = withT ? /\b(?:t|getMessage)\(\s*(["'`])([^"'`]+)\1/g : /\bgetMessage\(\s*(["'`])([^"'`]+)\1/g;
  return [...src.matchAll(re)].map((m) => m[2]).filter((k) => !k.startsWith("@@"));
}

const placeholders = (entry) =>
  [...(entry.message ?? "").matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1].toLowerCase()).sort();

test("every locale has the same keys, placeholders, and no empty message", () => {
  const en = locales.en;
  for (const lang of LOCALES) {
    const msgs = locales[lang];
    assert.deepEqual(Object.keys(msgs).sort(), Object.keys(en).sort(), `${lang} keys differ from en`);
    const lower = Object.keys(msgs).map((k) => k.toLowerCase());
    assert.equal(new Set(lower).size, lower.length, `${lang}: keys differing only by case (Chrome ignores case)`);
    for (const [key, entry] of Object.entries(msgs)) {
      assert.match(key, /^[A-Za-z0-9_]+$/, `${lang}: bad key ${key}`);
      assert.ok(entry.message?.trim(), `${lang}: ${key} is empty`);
      assert.deepEqual(placeholders(entry), placeholders(en[key]), `${lang}: ${key} placeholders`);
      for (const name of placeholders(entry)) {
        const defined = Object.keys(entry.placeholders ?? {}).map((n) => n.toLowerCase());
        assert.ok(defined.includes(name), `${lang}: ${key} uses $${name}$ without defining it`);
      }
    }
  }
});

test("keys used by the manifest and the worker exist", () => {
  const manifestKeys = existsSync(join(root, "manifest.json"))
    ? [...readFileSync(join(root, "manifest.json"), "utf8").matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1])
    : [];
  const needed = ["extName", "extDescription", "commandFill", "contextMenuFill", "badgeConfirm", ...manifestKeys];
  const elsewhere = jsFiles(join(root, "extension"))
    .filter((f) => !f.startsWith(popupDir))
    .flatMap((f) => keysIn(f, false));
  for (const lang of LOCALES) {
    for (const key of [...needed, ...elsewhere]) assert.ok(key in locales[lang], `${lang}: missing ${key}`);
  }
  assert.equal(locales.en.extName.message, "Keyfill");
});

test("every key the popup uses exists in every locale", () => {
  const used = new Map();
  for (const m of html.matchAll(/\bdata-i18n(?:-placeholder|-aria-label|-title)?="([^"]*)"/g)) used.set(m[1], "popup.html");
  for (const file of jsFiles(popupDir)) for (const key of keysIn(file, true)) used.set(key, relative(root, file));
  assert.ok(used.size > 50, `only ${used.size} keys found: is the scan broken?`);
  for (const lang of LOCALES) {
    const missing = [...used].filter(([k]) => !(k in locales[lang])).map(([k, f]) => `${k} (${f})`);
    assert.deepEqual(missing, [], `${lang}: missing keys`);
  }
});

// A small tokenizer is enough for our own hand-written HTML (no DOM library in Node).
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

test("popup.html has no visible text outside data-i18n elements", () => {
  const stack = []; // {tag, i18n}
  const problems = [];
  const src = html.replace(/<!--[\s\S]*?-->/g, "").replace(/<!doctype[^>]*>/i, "");
  const re = /<\/?([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)/g;
  for (const m of src.matchAll(re)) {
    if (m[3] !== undefined) {
      const text = m[3].trim();
      const covered = stack.some((e) => e.i18n);
      if (text && !covered) problems.push(`text "${text.slice(0, 40)}" inside <${stack.at(-1)?.tag}>`);
      continue;
    }
    const [tag, tagName, attrs] = [m[0], m[1].toLowerCase(), m[2]];
    if (tag.startsWith("</")) {
      const i = stack.map((e) => e.tag).lastIndexOf(tagName);
      assert.ok(i >= 0, `unbalanced </${tagName}>`);
      stack.length = i;
      continue;
    }
    const i18n = /\sdata-i18n="/.test(attrs);
    // data-i18n replaces textContent, which would wipe any child element.
    if (stack.at(-1)?.i18n) problems.push(`<${tagName}> inside data-i18n <${stack.at(-1).tag}>`);
    for (const a of attrs.matchAll(/\s(placeholder|aria-label|title|alt)\s*=/g)) {
      problems.push(`<${tagName}> has a literal ${a[1]} attribute (use data-i18n-${a[1]})`);
    }
    if (!VOID.has(tagName) && !attrs.trimEnd().endsWith("/")) stack.push({ tag: tagName, i18n });
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(stack.map((e) => e.tag), [], "unclosed elements");
});

test("popup.html loads only external module scripts (CSP: no inline script or handler)", () => {
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    assert.match(m[1], /\bsrc=/, "inline <script>");
    assert.equal(m[2].trim(), "", "script with inline content");
  }
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, "inline event handler attribute");
  assert.doesNotMatch(html, /javascript:/i);
});
