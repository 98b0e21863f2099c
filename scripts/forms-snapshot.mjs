// Turns the labelled form corpus (tests/data/forms/pages/) into snapshots a native test can score:
// each page is loaded in headless Chromium, the real content script (the test build's bundle) runs
// its collect in every frame, and what it would send to the worker is written beside the page's
// truth labels (tests/data/forms/snapshots/<group>/<name>.json). The truth is read by this
// harness from data-kf-truth* attributes after the scan; the content script never sees it.
// tests/data/forms/README.md describes the corpus, the labels, the split and this format.
//
//   node scripts/forms-snapshot.mjs            rewrite every snapshot
//   node scripts/forms-snapshot.mjs --out DIR  write them under DIR instead
//   node scripts/forms-snapshot.mjs --split    also give pages missing from split.json a half
//   KEYFILL_DIST=DIR node scripts/forms-snapshot.mjs   snapshot another build's content script
//
// tests/e2e/forms_snapshots.test.mjs regenerates them and fails on any difference.
import { chromium } from "playwright-core";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BROWSER_FLAGS, CHROMIUM, DIST_TEST } from "../tests/e2e/support/browser.mjs";
import { startSites } from "../tests/e2e/support/site-server.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const FORMS = join(ROOT, "tests/data/forms");
export const PAGES = join(FORMS, "pages");
export const SNAPSHOTS = join(FORMS, "snapshots");
export const SPLIT = join(FORMS, "split.json");
const SCRIPT = join(DIST_TEST, "extension", "content", "content.js");
// Every page is served as http://forms.test/<group>/<name>.html: the browser maps every host to
// the local server's port, so no port number (which changes per run) reaches a snapshot.
const HOST = "forms.test";
const EXT_ID = "kf-forms-snapshot";
export const FIELD_KINDS = ["username", "current-password", "new-password", "confirm-password", "otp", "email", "search", "card", "address", "other"];
export const FORM_KINDS = ["sign-in", "sign-up", "change-password", "reset", "otp", "search", "newsletter", "contact", "checkout", "other"];

/** Page paths relative to pages/ ("signin/plain.html"), sorted; `*.frame.html` are iframe bodies. */
export function listPages() {
  const out = [];
  for (const group of readdirSync(PAGES, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const f of readdirSync(join(PAGES, group.name))) {
      if (f.endsWith(".html") && !f.endsWith(".frame.html")) out.push(`${group.name}/${f}`);
    }
  }
  return out.sort();
}

// Runs in every frame before the page's scripts. Stands in for the extension APIs the content
// script uses (as tests/e2e/support/content-harness.mjs does) and, for the harness only, records
// which element the content script named with which opid: opids live in a WeakMap inside the
// script, so the harness watches WeakMap writes of "__kf…" names. Shadow roots are remembered so
// closed ones can be reached (chrome.dom.openOrClosedShadowRoot) and searched for labels.
function pageInit(extId) {
  const roots = new WeakMap();
  const allRoots = [];
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const r = attach.call(this, init);
    roots.set(this, r);
    allRoots.push(r);
    return r;
  };
  const byOpid = new Map();
  const wmSet = WeakMap.prototype.set;
  WeakMap.prototype.set = function (k, v) {
    if (typeof v === "string" && v.startsWith("__kf") && k instanceof Element) byOpid.set(v, k);
    return wmSet.call(this, k, v);
  };
  const t = { listeners: [], sent: [], byOpid, allRoots };
  Object.defineProperty(window, "__kfSnap", { value: t });
  window.chrome = {
    runtime: {
      id: extId,
      onMessage: { addListener: (fn) => t.listeners.push(fn) },
      sendMessage(m) {
        t.sent.push(m);
        return Promise.resolve({ ok: true });
      },
    },
    dom: { openOrClosedShadowRoot: (el) => el.shadowRoot || roots.get(el) || null },
  };
}

// In the frame: the collect, exactly as the worker asks for it.
function runCollect(extId) {
  return new Promise((resolve, reject) => {
    const t = window.__kfSnap;
    if (t.listeners.length !== 1) return reject(new Error(`${t.listeners.length} content script listeners`));
    const from = t.sent.length;
    t.listeners[0]({ type: "collect", token: "snap" }, { id: extId }, (reply) => {
      const sent = t.sent.slice(from);
      if (!reply || reply.ok !== true || sent.length !== 1 || sent[0].type !== "pageDetails") {
        return reject(new Error(`collect answered ${JSON.stringify(reply)} after ${sent.length} messages`));
      }
      resolve(sent[0].details);
    });
  });
}

// In the frame, after the collect: the truth of every reported field and form, read from the
// page's data-kf-truth* attributes through the elements the content script named.
function readTruth(details) {
  const t = window.__kfSnap;
  const errors = [];
  const truth = {};
  const groups = new Map(); // labelled form or wrapper element → {form, fields, kind}
  const reported = new Set();
  const up = (n) => (n instanceof ShadowRoot ? n.host : n.parentNode);
  const describe = (el) => `<${el.localName} name="${el.getAttribute("name") ?? ""}" id="${el.id}">`;
  for (const f of details.fields) {
    const el = t.byOpid.get(f.opid);
    if (!el) {
      errors.push(`field ${f.opid} (name "${f.name ?? ""}") has no element: the harness no longer sees how the content script names elements`);
      continue;
    }
    if (el.localName !== f.tag || (el.getAttribute("name") ?? "").slice(0, 256) !== (f.name ?? "")) {
      errors.push(`field ${f.opid} is reported as ${f.tag} "${f.name ?? ""}" but named ${describe(el)}`);
    }
    reported.add(el);
    const kind = el.getAttribute("data-kf-truth");
    if (!kind) errors.push(`${describe(el)} is reported by the scanner but has no data-kf-truth`);
    else truth[f.opid] = kind;
    let g = el.form && el.form.hasAttribute("data-kf-truth-form") ? el.form : null;
    if (!g && el.form) errors.push(`${describe(el)} belongs to a form without data-kf-truth-form`);
    for (let n = up(el); !g && !el.form && n; n = up(n)) {
      if (n.nodeType === 1 && n.hasAttribute("data-kf-truth-form")) g = n;
    }
    if (!g) {
      if (!el.form) errors.push(`${describe(el)} is in no element with data-kf-truth-form`);
      continue;
    }
    if (!groups.has(g)) {
      const formOpid = g.localName === "form" ? (f.form ?? null) : null;
      groups.set(g, { form: formOpid, fields: [], kind: g.getAttribute("data-kf-truth-form") });
    }
    groups.get(g).fields.push(f.opid);
  }
  // Labelled fields and groups the scanner did not report: truths no classifier can reach.
  const unreached = [];
  const docs = [document, ...t.allRoots];
  for (const d of docs) {
    for (const el of d.querySelectorAll("[data-kf-truth]")) {
      if (!reported.has(el)) {
        unreached.push({ what: "field", tag: el.localName, type: el.getAttribute("type") ?? "", name: el.getAttribute("name") ?? "", id: el.id, kind: el.getAttribute("data-kf-truth") });
      }
    }
    for (const el of d.querySelectorAll("[data-kf-truth-form]")) {
      if (!groups.has(el)) {
        unreached.push({ what: "form", tag: el.localName, type: "", name: el.getAttribute("name") ?? "", id: el.id, kind: el.getAttribute("data-kf-truth-form") });
      }
    }
  }
  return { truth, formTruth: [...groups.values()], unreached, errors };
}

// Frames in document order, depth first, main frame first.
function framesOf(frame) {
  return [frame, ...frame.childFrames().flatMap(framesOf)];
}

// JSON with every object's keys sorted, so a snapshot depends only on what was collected.
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
// Layout: a field, a form, a truth group or an unreached label is one line, so a diff names
// what changed; everything above them is indented.
function layout(v, depth, pad) {
  if (!v || typeof v !== "object") return JSON.stringify(v);
  const inner = pad + " ";
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    const one = depth >= 3;
    return `[\n${v.map((x) => inner + (one ? JSON.stringify(x) : layout(x, depth + 1, inner))).join(",\n")}\n${pad}]`;
  }
  const keys = Object.keys(v);
  if (!keys.length) return "{}";
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${layout(v[k], depth + 1, inner)}`).join(",\n")}\n${pad}}`;
}
export const serialize = (snap) => layout(sortKeys(snap), 0, "") + "\n";

async function snapshotPage(tab, path, base) {
  await tab.goto(`${base}/${path}`, { waitUntil: "load" });
  // Pages that build their forms from script do so by load; one frame for late microtasks.
  await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const frames = [];
  const errors = [];
  for (const frame of framesOf(tab.mainFrame())) {
    if (frame.isDetached()) continue;
    await frame.addScriptTag({ path: SCRIPT });
    const details = await frame.evaluate(runCollect, EXT_ID);
    const got = await frame.evaluate(readTruth, details);
    errors.push(...got.errors.map((e) => `${frame.url()}: ${e}`));
    frames.push({ url: frame.url(), details, truth: got.truth, formTruth: got.formTruth, unreached: got.unreached });
  }
  const stored = await tab.evaluate(() => document.querySelector('meta[name="kf-stored-login"]')?.content ?? "yes");
  if (stored !== "yes" && stored !== "no") errors.push(`kf-stored-login is "${stored}", not yes or no`);
  for (const f of frames) {
    for (const k of Object.values(f.truth)) if (!FIELD_KINDS.includes(k)) errors.push(`field kind "${k}" is not one of ${FIELD_KINDS.join(", ")}`);
    for (const g of f.formTruth) if (!FORM_KINDS.includes(g.kind)) errors.push(`form kind "${g.kind}" is not one of ${FORM_KINDS.join(", ")}`);
  }
  return { snapshot: { page: path, storedLogin: stored === "yes", frames }, errors };
}

/**
 * Snapshots every page (or `only`) into `out`/<group>/<name>.json. Returns {written, errors}:
 * errors are labelling mistakes (a reported field without a truth, an unknown kind), per page.
 */
export async function snapshotAll({ out = SNAPSHOTS, only = null } = {}) {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`bash scripts/build.sh --test\``);
  const pages = only ?? listPages();
  const sites = await startSites({ root: PAGES });
  const flags = BROWSER_FLAGS.filter((f) => !f.startsWith("--host-resolver-rules"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...flags, `--host-resolver-rules=MAP * 127.0.0.1:${sites.httpPort}`],
  });
  const written = [];
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addInitScript(pageInit, EXT_ID);
    const tab = await context.newPage();
    for (const path of pages) {
      const { snapshot, errors: e } = await snapshotPage(tab, path, `http://${HOST}`);
      errors.push(...e.map((m) => `${path}: ${m}`));
      const file = join(out, path.replace(/\.html$/, ".json"));
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, serialize(snapshot));
      written.push(relative(out, file));
    }
  } finally {
    await browser.close();
    await sites.close();
  }
  return { written, errors };
}

/** The split: page path → "tune" | "heldout". Pages it does not name are returned as missing. */
export function readSplit(pages = listPages()) {
  const split = existsSync(SPLIT) ? JSON.parse(readFileSync(SPLIT, "utf8")) : {};
  return { split, missing: pages.filter((p) => !(p in split)), stale: Object.keys(split).filter((p) => !pages.includes(p)) };
}

// A new page goes to the half its group has fewer pages in (held-out on a tie); a page already
// in the split never moves, so the held-out half stays unseen by whoever tuned on the other.
function extendSplit() {
  const { split, missing } = readSplit();
  for (const p of missing) {
    const group = p.split("/")[0];
    const inGroup = Object.entries(split).filter(([q]) => q.split("/")[0] === group);
    const tune = inGroup.filter(([, h]) => h === "tune").length;
    split[p] = tune < inGroup.length - tune ? "tune" : "heldout";
  }
  const sorted = Object.fromEntries(Object.keys(split).sort().map((k) => [k, split[k]]));
  writeFileSync(SPLIT, JSON.stringify(sorted, null, 1) + "\n");
  return missing.map((p) => [p, split[p]]);
}

// The snapshots are committed data: they must come from the content script as the sources
// stand, not from an older build. (KEYFILL_DIST names another build on purpose: no check.)
async function checkBuildIsFresh() {
  if (process.env.KEYFILL_DIST) return;
  const { build } = await import("esbuild");
  const fresh = await build({
    entryPoints: [join(ROOT, "extension/content/content.js")],
    bundle: true,
    format: "iife",
    minify: true,
    banner: { js: '"use strict";' }, // as scripts/build.sh bundles it for dist-test
    define: { "globalThis.__KEYFILL_TIMING__": "true" },
    write: false,
    logLevel: "warning",
  });
  if (!existsSync(SCRIPT) || fresh.outputFiles[0].text !== readFileSync(SCRIPT, "utf8")) {
    console.error(`${relative(ROOT, SCRIPT)} is not built from extension/content as it stands: run \`bash scripts/build.sh --test\` first`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  await checkBuildIsFresh();
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? args[outAt + 1] : SNAPSHOTS;
  if (args.includes("--split")) for (const [p, half] of extendSplit()) console.log(`split.json: ${p} → ${half}`);
  const { missing, stale } = readSplit();
  if (missing.length || stale.length) {
    console.error(`split.json: missing ${missing.join(", ") || "none"}; names no page: ${stale.join(", ") || "none"} (--split adds new pages)`);
    process.exit(1);
  }
  if (out === SNAPSHOTS) rmSync(SNAPSHOTS, { recursive: true, force: true });
  const { written, errors } = await snapshotAll({ out });
  console.log(`${written.length} snapshots in ${relative(ROOT, out).startsWith("..") ? out : relative(ROOT, out)}`);
  if (errors.length) {
    console.error(errors.join("\n"));
    process.exit(1);
  }
}
