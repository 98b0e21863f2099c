// The shipped build carries no test hooks: `dist/` (npm run build) has none of them, while
// `dist-test/` (npm run build:test), which the browser tests load, has them all. No browser needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, DIST, DIST_TEST } from "./support/browser.mjs";

// Names only the test build may hold: the worker hooks and the module that defines them, and the
// wasm's known-answer self-test (its export, in the wasm and its JS glue).
const HOOKS = ["keyfillGesture", "keyfillMemory", "keyfillStored", "keyfillRoutes", "test-hooks", "selfTest"];

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

function hooksIn(dir) {
  const found = new Set();
  for (const f of files(dir)) {
    const text = readFileSync(f, "latin1");
    for (const h of HOOKS) if (text.includes(h)) found.add(`${h} in ${relative(ROOT, f)}`);
  }
  return [...found];
}

test("dist/ (the shipped build) holds no test hook", () => {
  assert.ok(existsSync(join(DIST, "manifest.json")), "dist/ is missing: run `bash scripts/build.sh`");
  assert.deepEqual(hooksIn(DIST), []);
  const manifest = JSON.parse(readFileSync(join(DIST, "manifest.json"), "utf8"));
  assert.equal(manifest.background.service_worker, "extension/background/worker.js");
});

test("dist-test/ (the browser tests' build) holds every test hook", () => {
  assert.ok(existsSync(join(DIST_TEST, "manifest.json")), "dist-test/ is missing: run `bash scripts/build.sh`");
  const found = hooksIn(DIST_TEST).join("\n");
  for (const h of HOOKS) assert.ok(found.includes(`${h} in`), `${h} is missing from dist-test/`);
});

// The content script's sources are modules; a content script must be one classic script, so
// each build holds the bundle alone, at the path injection.js registers.
test("each build's content script is one classic script, bundled from the modules", async () => {
  const vm = await import("node:vm");
  for (const dir of [DIST, DIST_TEST]) {
    const content = join(dir, "extension", "content");
    assert.deepEqual(readdirSync(content), ["content.js"], `${relative(ROOT, content)} holds the bundle only`);
    const src = readFileSync(join(content, "content.js"), "utf8");
    assert.doesNotThrow(() => new vm.Script(src), `${relative(ROOT, content)}/content.js parses as a classic script`);
    assert.ok(/case\s*"collect":/.test(src) && /case\s*"fill":/.test(src), "the bundle holds the message handling");
  }
});
