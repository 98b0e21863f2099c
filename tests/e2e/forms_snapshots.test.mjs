// The form corpus's snapshots (tests/data/forms/snapshots/) must be what the content script
// collects today: the classifier is scored natively on them, so a scanner change that was not
// re-snapshotted would score a scanner that no longer exists. Regenerates them all in a temporary
// directory (one browser, one tab) and compares byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { snapshotAll, listPages, readSplit, SNAPSHOTS } from "../../scripts/forms-snapshot.mjs";

const FIX = "run `node scripts/forms-snapshot.mjs` (after `bash scripts/build.sh --test`) and commit tests/data/forms/snapshots/";

function jsonFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((g) =>
    g.isDirectory() ? readdirSync(join(dir, g.name)).filter((f) => f.endsWith(".json")).map((f) => `${g.name}/${f}`) : [],
  ).sort();
}

test("every corpus page is in exactly one half of the split", () => {
  const pages = listPages();
  const { split, missing, stale } = readSplit(pages);
  assert.deepEqual(missing, [], "pages missing from tests/data/forms/split.json: run `node scripts/forms-snapshot.mjs --split`");
  assert.deepEqual(stale, [], "split.json names pages that do not exist");
  for (const [p, half] of Object.entries(split)) assert.ok(half === "tune" || half === "heldout", `${p}: ${half}`);
});

test("the committed snapshots are what the content script collects now", async () => {
  const out = mkdtempSync(join(tmpdir(), "keyfill-forms-"));
  try {
    const { errors } = await snapshotAll({ out });
    assert.deepEqual(errors, [], "labelling errors in the corpus (see tests/data/forms/README.md)");
    const fresh = jsonFiles(out);
    const committed = jsonFiles(SNAPSHOTS);
    assert.deepEqual(committed, fresh, `the committed snapshot files are not one per page: ${FIX}`);
    const differ = fresh.filter((f) => readFileSync(join(out, f), "utf8") !== readFileSync(join(SNAPSHOTS, f), "utf8"));
    assert.deepEqual(differ, [], `${differ.length} snapshot(s) differ from what the content script collects now: ${FIX}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
