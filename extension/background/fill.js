// Filling a tab: ask every frame for its page details, let the core's planner decide per frame
// from the origin the browser reports (`sender`), then send the values to that one document.
import { coded, requireUnlocked, touch } from "./vault.js";
import { KEYS, loadSettings } from "./storage.js";
import { issue as issueConfirmation, take as takeConfirmation } from "./confirmations.js";

const COLLECT_WAIT_MS = 1500;
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

async function collect(tabId) {
  const token = crypto.randomUUID();
  const frames = await chrome.webNavigation.getAllFrames({ tabId }).catch(() => null);
  const ids = (frames ?? [{ frameId: 0 }]).map((f) => f.frameId);
  const wait = { tabId, frames: new Map(), check: () => {} };
  pending.set(token, wait);
  try {
    const acks = await Promise.allSettled(
      ids.map((frameId) => chrome.tabs.sendMessage(tabId, { type: "collect", token }, { frameId })),
    );
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

const REFUSAL_WEIGHT = { no_fields: 0 };
const refused = (reason) => ({ status: "refused", reason });

/**
 * Fills item `id` into tab `tabId`. `trigger`: popup | shortcut | contextMenu | pageLoad.
 * `confirmation`: the id of a confirmation this worker issued (popup only): the fill then goes to
 * the one document it names, with its reasons accepted, or nowhere. `reprompted`: the user
 * entered the master password again for this item (popup only, checked by the caller).
 * Returns {status: "filled"|"confirm"|"refused", reason?, host?, confirmation?}.
 */
export async function fillTab({ tabId, id, trigger, confirmation = null, reprompted = false }) {
  const session = requireUnlocked();
  let bound = null;
  if (confirmation !== null) {
    // Spent here, whatever follows: a confirmation is good for one try.
    bound = await takeConfirmation(confirmation);
    if (!bound || bound.tabId !== tabId || bound.itemId !== id || trigger !== "popup") {
      return refused("confirmation_expired");
    }
    reprompted = bound.reprompted;
  }
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  if (!tab) throw coded("no_tab", "The tab is gone.");
  if (await optedOut(tab.url)) return refused("opted_out");
  let frames = await collect(tabId);
  if (bound) {
    // Only the document the user was asked about, if it is still there and still that origin.
    const same = frames.find(({ sender }) => sender.frameId === bound.frameId);
    if (!same) return refused("frame_changed");
    if ((same.sender.origin ?? "null") !== bound.origin) return refused("origin_changed");
    if (same.sender.documentId !== bound.documentId) return refused("frame_changed");
    frames = [same];
  }
  let best = null;
  for (const { details, sender } of frames) {
    const ctx = {
      frameUrl: sender.url ?? "",
      frameOrigin: sender.origin ?? "null",
      topUrl: tab.url ?? "",
      isTop: sender.frameId === 0,
      trigger,
      confirmed: bound?.reasons ?? [],
      reprompted: trigger === "popup" && reprompted === true,
      now: Math.floor(Date.now() / 1000),
    };
    const plan = JSON.parse(session.planFill(JSON.stringify(details), JSON.stringify(ctx), id));
    if (plan.status === "fill") {
      const sent = await chrome.tabs
        .sendMessage(tabId, { type: "fill", origin: sender.origin, actions: plan.actions }, { documentId: sender.documentId })
        .catch(() => null);
      plan.actions.length = 0;
      // A page loading is not the user being active: only gestures push auto-lock back.
      if (trigger !== "pageLoad") await touch();
      if (sent?.ok && sent.filled > 0) return { status: "filled", warnings: plan.warnings ?? [] };
      // No receiver: the document navigated away. Filled nothing: its fields changed since collect.
      const reason = !sent ? "frame_changed" : sent.ok ? "fields_changed" : (sent.error?.code ?? "frame_changed");
      best = refused(reason);
      continue;
    }
    const candidate =
      plan.status === "confirm"
        ? { status: "confirm", reason: plan.reason, host: plan.host, sender }
        : refused(plan.reason);
    if (!best || rank(candidate) > rank(best)) best = candidate;
  }
  if (best?.status !== "confirm") return best ?? refused("no_fields");
  const { sender, ...out } = best;
  // Only the popup can show the question: it gets the id of a confirmation bound to what it
  // shows (this tab, this frame's document and origin, this item, these reasons).
  if (trigger === "popup") {
    out.confirmation = await issueConfirmation({
      tabId,
      frameId: sender.frameId,
      documentId: sender.documentId,
      origin: sender.origin ?? "null",
      itemId: id,
      reasons: [...(bound?.reasons ?? []), out.reason],
      reprompted: reprompted === true,
    });
  }
  return out;
}

const rank = (r) => (r.status === "confirm" ? 2 : (REFUSAL_WEIGHT[r.reason] ?? 1));

/** Shortcut and context menu: the next matching item for this tab, cycling on repeated use. */
export async function fillNext(tab, trigger) {
  const session = requireUnlocked();
  const rows = JSON.parse(session.candidatesFor(tab.url ?? ""));
  if (rows.length === 0) return { status: "refused", reason: "no_match" };
  // Page-load fills take the best match and leave the shortcut's cycle alone.
  if (trigger === "pageLoad") return fillTab({ tabId: tab.id, id: rows[0].id, trigger });
  const got = await chrome.storage.session.get(KEYS.cycle);
  const last = got[KEYS.cycle];
  const again = last && last.tabId === tab.id && last.url === tab.url && Date.now() - last.at < 30_000;
  const index = again ? (last.index + 1) % rows.length : 0;
  await chrome.storage.session.set({ [KEYS.cycle]: { tabId: tab.id, url: tab.url, index, at: Date.now() } });
  return fillTab({ tabId: tab.id, id: rows[index].id, trigger });
}

async function optedOut(url) {
  let host;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  const { optOutSites } = await loadSettings();
  return optOutSites.some((h) => host === h || host.endsWith(`.${h}`));
}

