// Filling a tab: ask every frame for its page details, give them with what the browser reports
// about each (`sender`) to the core, which decides for the whole tab, then send the values to the
// one document it names.
import { coded, requireUnlocked, touch } from "./vault.js";
import { KEYS, loadSettings } from "./storage.js";
import { issue as issueConfirmation, take as takeConfirmation } from "./confirmations.js";
import { optedOut } from "./core.js";
import { CONTENT_SCRIPT } from "./injection.js";
import { afterFill } from "./after-fill.js";
import { noteGenerated } from "./save-prompt.js";

const COLLECT_WAIT_MS = 1500;
const GENERATED_KEPT = 100;
/** token → {frames: Map(frameId → {details, sender}), expected} */
const pending = new Map();

/** The `pageDetails` message of a content script: kept with the sender the browser reported. */
export function receivePageDetails(msg, sender) {
  const wait = pending.get(msg.token);
  if (!wait || sender.tab?.id !== wait.tabId || typeof msg.details !== "object" || !msg.details) {
    return { ok: false, error: { code: "bad_request", message: "unexpected page details" } };
  }
  wait.frames.set(sender.frameId, { details: msg.details, sender });
  wait.check();
  return { ok: true };
}

/** Frames with no content script (pages that loaded before the script was registered, as
 *  after an install or an update) get it now, unless the user opted their site out. Returns the
 *  frame ids it went into. */
async function injectInto(tabId, frames, optOutSites) {
  const ids = frames
    .filter((f) => /^https?:/.test(f.url ?? "") && !optedOut(f.url, optOutSites))
    .map((f) => f.frameId);
  if (!ids.length) return [];
  const done = await chrome.scripting
    .executeScript({ target: { tabId, frameIds: ids }, files: [CONTENT_SCRIPT] })
    .catch(() => []);
  return done.map((r) => r.frameId);
}

// `only`: {frameId, documentId, anchor} collects that one document (the inline menu's), whose
// content script reports the menu's field as the focused one.
// `optOutSites`: a promise of the list, read while the frames collect (it is only needed for frames
// that have no content script yet).
async function collect(tabId, optOutSites, only = null) {
  const token = crypto.randomUUID();
  const frames = only
    ? [{ frameId: only.frameId }]
    : ((await chrome.webNavigation.getAllFrames({ tabId }).catch(() => null)) ?? [{ frameId: 0 }]);
  const ids = frames.map((f) => f.frameId);
  const wait = { tabId, frames: new Map(), check: () => {} };
  pending.set(token, wait);
  const ask = only
    ? () => chrome.tabs.sendMessage(tabId, { type: "collect", token, anchor: only.anchor }, { documentId: only.documentId })
    : (frameId) => chrome.tabs.sendMessage(tabId, { type: "collect", token }, { frameId });
  try {
    const acks = await Promise.allSettled(ids.map(ask));
    const silent = only ? [] : frames.filter((_, i) => acks[i].status === "rejected");
    const injected = silent.length ? await injectInto(tabId, silent, await optOutSites) : [];
    acks.push(...(await Promise.allSettled(injected.map(ask))));
    const answered = acks.filter((a) => a.status === "fulfilled" && a.value?.ok).length;
    if (wait.frames.size < answered) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, COLLECT_WAIT_MS);
        wait.check = () => wait.frames.size >= answered && (clearTimeout(timer), resolve());
      });
    }
    // Top frame first, then the others in the order the browser lists them.
    return ids.filter((id) => wait.frames.has(id)).map((id) => wait.frames.get(id));
  } finally {
    pending.delete(token);
  }
}

const refused = (reason) => ({ status: "refused", reason });

/** The core's tab request: every frame's page details with what the browser reports about it. */
export async function tabRequest(tab, trigger, only = null) {
  const optOutSites = loadSettings().then((s) => s.optOutSites);
  const frames = (await collect(tab.id, optOutSites, only)).map(({ details, sender }) => ({
    frameId: sender.frameId,
    documentId: sender.documentId,
    origin: sender.origin ?? "null",
    url: sender.url ?? "",
    isTop: sender.frameId === 0,
    details,
  }));
  return { tabId: tab.id, topUrl: tab.url ?? "", trigger, optOutSites: await optOutSites, frames, nowMs: Date.now() };
}


/**
 * Fills item `id` into tab `tabId`. `trigger`: popup | shortcut | contextMenu | menu | pageLoad.
 * `confirmation`: the id of a confirmation this worker issued (popup only): the fill then goes to
 * the one document it names, with its reasons accepted, or nowhere. `reprompted`: the user
 * entered the master password again for this item (popup only, checked by the caller).
 * The core decides (which frame, which values, which question, why not); this sends the values.
 * Returns {status: "filled"|"confirm"|"refused", reason?, host?, confirmation?}.
 */
export async function fillTab({ tabId, id, trigger, confirmation = null, reprompted = false, generate = false, collected = null }) {
  const session = requireUnlocked();
  // Spent here, whatever follows: a confirmation is good for one try. Unknown or expired: `{}`.
  const bound = confirmation === null ? null : ((await takeConfirmation(confirmation)) ?? {});
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  if (!tab) throw coded("no_tab", "The tab is gone.");
  // A caller that has just collected the tab (the context menu's wallet) passes it on.
  const request = collected ?? (await tabRequest(tab, trigger));
  request.trigger = trigger;
  request.confirmation = bound;
  request.reprompted = trigger === "popup" && reprompted === true;
  request.generate = generate === true;
  const { frames } = request;
  for (;;) {
    request.nowMs = Date.now();
    const plan = JSON.parse(session.planTab(JSON.stringify(request), id));
    if (plan.status === "refused") return refused(plan.reason);
    if (plan.status === "confirm") return confirm(plan, { tabId, id, trigger });
    // A generated password is kept (sealed by the core) before it is typed: never lost.
    if (plan.generated) {
      await keepGenerated(plan.generated);
      noteGenerated(tabId, plan.frame.origin, plan.generated);
    }
    // A page loading is not the user being active: only gestures push auto-lock back (while the
    // page types the values).
    const touched = trigger !== "pageLoad" ? touch() : null;
    const sent = await chrome.tabs
      .sendMessage(tabId, { type: "fill", origin: plan.frame.origin, actions: plan.actions }, { documentId: plan.frame.documentId })
      .catch(() => null);
    const kinds = plan.actions.map((a) => a.kind);
    plan.actions.length = 0;
    // The same gesture's other frames (a card split over a payment provider's frames), each to
    // its own document only.
    let others = 0;
    for (const extra of plan.also ?? []) {
      const got = await chrome.tabs
        .sendMessage(tabId, { type: "fill", origin: extra.frame.origin, actions: extra.actions }, { documentId: extra.frame.documentId })
        .catch(() => null);
      extra.actions.length = 0;
      if (got?.ok) others += got.filled;
    }
    await touched;
    if (sent?.ok && (sent.filled > 0 || others > 0)) {
      if (trigger !== "pageLoad") await afterFill(id, kinds).catch(() => {});
      return { status: "filled", warnings: plan.warnings ?? [] };
    }
    // No receiver: the document navigated away. Filled nothing: its fields changed since
    // collect. The core then picks among the other frames.
    const frame = frames.find((f) => f.frameId === plan.frame.frameId);
    if (!frame || frame.failed) return refused("frame_changed");
    frame.failed = !sent ? "frame_changed" : sent.ok ? "fields_changed" : (sent.error?.code ?? "frame_changed");
  }
}

/** Adds a generated password, sealed under the user key by the core, to the generator history
 *  (newest first, at most GENERATED_KEPT). */
async function keepGenerated(sealed) {
  const got = await chrome.storage.local.get(KEYS.generatorHistory);
  const list = Array.isArray(got[KEYS.generatorHistory]) ? got[KEYS.generatorHistory] : [];
  list.unshift({ password: sealed, date: new Date().toISOString() });
  await chrome.storage.local.set({ [KEYS.generatorHistory]: list.slice(0, GENERATED_KEPT) });
}

/** The core's question: only the popup can show it, with the id of a confirmation bound to what
 *  it shows (this tab, this frame's document and origin, this item, these reasons). */
async function confirm(plan, { tabId, id, trigger }) {
  const out = { status: "confirm", reason: plan.reason, host: plan.host };
  if (trigger === "popup") {
    out.confirmation = await issueConfirmation({
      tabId,
      frameId: plan.frame.frameId,
      documentId: plan.frame.documentId,
      origin: plan.frame.origin,
      itemId: id,
      reasons: plan.reasons,
      reprompted: plan.reprompted === true,
      // A card's question covers each frame of the payment provider's origin.
      documents: Array.isArray(plan.documents) ? plan.documents : [],
    });
  }
  return out;
}

/** Shortcut and context menu: the next matching item for this tab, cycling on repeated use. */
export async function fillNext(tab, trigger) {
  const session = requireUnlocked();
  const rows = JSON.parse(session.candidatesFor(tab.url ?? ""));
  if (rows.length === 0) {
    // No login stored for the site: the shortcut on a field the core reads as a new password
    // fills a generated one (kept in the generator history first); anything else is no_match.
    if (trigger !== "shortcut") return { status: "refused", reason: "no_match" };
    const out = await fillTab({ tabId: tab.id, id: "", trigger, generate: true });
    return out.status === "filled" ? out : { status: "refused", reason: "no_match" };
  }
  // Page-load fills take the best match and leave the shortcut's cycle alone.
  if (trigger === "pageLoad") return fillTab({ tabId: tab.id, id: rows[0].id, trigger });
  const got = await chrome.storage.session.get(KEYS.cycle);
  const last = got[KEYS.cycle];
  const again = last && last.tabId === tab.id && last.url === tab.url && Date.now() - last.at < 30_000;
  const index = again ? (last.index + 1) % rows.length : 0;
  await chrome.storage.session.set({ [KEYS.cycle]: { tabId: tab.id, url: tab.url, index, at: Date.now() } });
  return fillTab({ tabId: tab.id, id: rows[index].id, trigger });
}
