// Filling a tab: ask every frame for its page details, let the core's planner decide per frame
// from the origin the browser reports (`sender`), then send the values to that one document.
import { coded, requireUnlocked, touch } from "./vault.js";
import { KEYS, loadSettings } from "./storage.js";

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

/**
 * Fills item `id` into tab `tabId`. `trigger`: popup | shortcut | contextMenu | pageLoad;
 * `confirm`: warnings the user accepted outside the page.
 * Returns {status: "filled"|"confirm"|"refused", reason?, host?}.
 */
export async function fillTab({ tabId, id, trigger, confirm = [] }) {
  const session = requireUnlocked();
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  if (!tab) throw coded("no_tab", "The tab is gone.");
  if (await optedOut(tab.url)) return { status: "refused", reason: "opted_out" };
  const frames = await collect(tabId);
  let best = null;
  for (const { details, sender } of frames) {
    const ctx = {
      frameUrl: sender.url ?? "",
      frameOrigin: sender.origin ?? "null",
      topUrl: tab.url ?? "",
      isTop: sender.frameId === 0,
      trigger,
      confirmed: confirm.filter((c) => typeof c === "string"),
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
      best = { status: "refused", reason };
      continue;
    }
    const candidate =
      plan.status === "confirm"
        ? { status: "confirm", reason: plan.reason, host: plan.host }
        : { status: "refused", reason: plan.reason };
    if (!best || rank(candidate) > rank(best)) best = candidate;
  }
  return best ?? { status: "refused", reason: "no_fields" };
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

