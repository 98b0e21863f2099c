// The save prompt, the worker's side (docs/extension.md "Save prompt"). A content script's capture
// of a submit is kept in this worker's memory only, for its tab only, for five minutes, with the
// page it came from as the browser reported the sender (never what the page says). The core
// decides what to offer; the prompt page (our own page, framed in the tab's top frame) asks for
// what to show with a one-time token, reveals the password on request, and answers. It shows on
// the page of the submit (a sign-in by fetch stays there) and on the next page the tab loads,
// and nowhere else. While a capture waits for an answer, the toolbar badge says so on its tab
// and the popup offers the same choice, for when the bar cannot be seen (a page that hides it).
// A generated password Keyfill typed into the tab is noted (sealed, five minutes): a capture
// whose password field the page emptied after that fill gets it back, and only it.
import { isUnlocked, requireUnlocked, persist, coded } from "./vault.js";
import { afterChange } from "./account.js";
import { loadSettings, saveSettings } from "./storage.js";
import { optedOut } from "./core.js";

const TTL_MS = 5 * 60_000;
/** tabId → {url, captured, token, at, loads} */
const pending = new Map();
/** tabId → {username, host, at}: a username-only first step, for the password step after it. */
const steps = new Map();
/** tabId → {sealed, host, at}: the generated password Keyfill last typed into the tab. */
const generated = new Map();

/** Drops captures and first steps older than five minutes, for every tab: nothing typed stays
 *  longer because its tab was never looked at again. */
function sweep() {
  const now = Date.now();
  for (const map of [steps, generated]) for (const [tabId, e] of map) if (now - e.at > TTL_MS) map.delete(tabId);
  for (const [tabId, e] of pending) if (now - e.at > TTL_MS) drop(tabId);
}

/** Forgets the tab's capture and takes its badge down. */
function drop(tabId) {
  if (!pending.delete(tabId)) return;
  chrome.action.setBadgeText({ tabId, text: "" }).catch(() => {});
  chrome.action.setTitle({ tabId, title: "" }).catch(() => {});
}

/** The badge of a tab with a capture waiting: the popup has the choice too. */
function badge(tabId) {
  chrome.action.setBadgeText({ tabId, text: "1" }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ tabId, color: "#1a73e8" }).catch(() => {});
  chrome.action.setTitle({ tabId, title: chrome.i18n.getMessage("savePromptBadge") }).catch(() => {});
}

function live(tabId) {
  const entry = pending.get(tabId);
  if (entry && Date.now() - entry.at > TTL_MS) drop(tabId);
  return pending.get(tabId) ?? null;
}

function byToken(token, sender) {
  const entry = typeof token === "string" && sender.tab ? live(sender.tab.id) : null;
  if (!entry || entry.token !== token) throw coded("no_prompt", "This prompt is gone.");
  return entry;
}

const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
};

/** The core's arguments for this capture: the page, the capture, the never-save list. */
async function coreArgs(entry) {
  const never = (await loadSettings()).neverSaveSites ?? [];
  return [entry.url, JSON.stringify(entry.captured), JSON.stringify(never)];
}

async function offerFor(entry) {
  return JSON.parse(requireUnlocked().saveOffer(...(await coreArgs(entry))));
}

function show(tabId, entry) {
  chrome.tabs.sendMessage(tabId, { type: "savePrompt", token: entry.token }, { frameId: 0 }).catch(() => {});
}

function close(tabId) {
  drop(tabId);
  chrome.tabs.sendMessage(tabId, { type: "closeSavePrompt" }, { frameId: 0 }).catch(() => {});
}

/** The content script's `submitted` message. */
export async function receiveSubmitted(msg, sender) {
  sweep();
  const cap = msg.captured;
  if (sender.tab && cap?.step === "username" && typeof cap.username === "string" && cap.username.length <= 256) {
    steps.set(sender.tab.id, { username: cap.username.trim(), host: hostOf(sender.url ?? ""), at: Date.now() });
    return {};
  }
  if (!sender.tab || typeof cap !== "object" || !cap || !Array.isArray(cap.fields)) {
    throw coded("bad_request", "captured");
  }
  // The password step of a two-step sign-in: the username the first step took, on the same host.
  const step = steps.get(sender.tab.id);
  steps.delete(sender.tab.id);
  const named = cap.fields.some((f) => f?.value && f.type !== "password" && f.type !== "hidden");
  if (step && !named && step.host === hostOf(sender.url ?? "") && Date.now() - step.at < TTL_MS) {
    cap.fields.unshift({ type: "email", autocomplete: "username", visible: false, value: step.username });
  }
  if (!(await restoreGenerated(sender, cap))) return {};
  const settings = await loadSettings();
  if (!settings.offerToSave || optedOut(sender.url ?? "", settings.optOutSites)) return {};
  const entry = { url: sender.url ?? "", captured: cap, token: crypto.randomUUID(), at: Date.now(), loads: 0 };
  // Unlocked: ask the core now, and keep nothing when there is nothing to offer. Locked: keep it
  // (the prompt says "unlock to save").
  if (isUnlocked() && (await offerFor(entry)).offer === "nothing") return {};
  pending.set(sender.tab.id, entry);
  badge(sender.tab.id);
  show(sender.tab.id, entry);
  return {};
}

/** Keyfill typed a generated password (`sealed` by the core) into the tab's document at
 *  `origin`. */
export function noteGenerated(tabId, origin, sealed) {
  if (typeof sealed === "string") generated.set(tabId, { sealed, host: hostOf(origin ?? ""), at: Date.now() });
}

/** A password field the page emptied after a script filled it (`cleared`) gets the password
 *  Keyfill generated and typed into this tab, if any, once; the flag goes either way. Whether
 *  the capture still holds a password. */
async function restoreGenerated(sender, cap) {
  // Good for the one submit that follows the fill: a later sign-in in the tab never gets it.
  const gen = generated.get(sender.tab.id);
  generated.delete(sender.tab.id);
  let password = null;
  for (const f of cap.fields) {
    if (f?.cleared !== true) continue;
    delete f.cleared;
    if (f.type !== "password" || f.value) continue;
    if (password === null && gen && gen.host === hostOf(sender.url ?? "") && isUnlocked()) {
      const list = JSON.stringify([{ password: gen.sealed, date: new Date(gen.at).toISOString() }]);
      password = JSON.parse(requireUnlocked().generatorHistory(list))[0]?.password ?? "";
    }
    if (password) f.value = password;
  }
  return cap.fields.some((f) => f?.type === "password" && typeof f.value === "string" && f.value);
}

/** The tab's top frame loaded a page: the next page after the submit shows the prompt, the one
 *  after it no longer does. */
export function onPageLoaded(tabId) {
  sweep();
  const entry = live(tabId);
  if (!entry) return;
  entry.loads += 1;
  if (entry.loads > 1) drop(tabId);
  else {
    badge(tabId); // some browsers reset a tab's badge as it navigates
    show(tabId, entry);
  }
}

export function forgetTab(tabId) {
  drop(tabId);
  steps.delete(tabId);
  generated.delete(tabId);
}

/** What the prompt page shows (never the password). */
export const promptState = (m, sender) => stateOf(byToken(m.token, sender));

async function stateOf(entry) {
  const host = hostOf(entry.url);
  if (!isUnlocked()) return { state: "locked", host };
  const offer = await offerFor(entry);
  if (offer.offer === "nothing") return { state: "nothing", host };
  const session = requireUnlocked();
  const folders = JSON.parse(session.folders()).map((f) => ({ id: f.id, name: f.name }));
  return {
    state: offer.offer,
    host,
    username: offer.username ?? "",
    name: offer.offer === "save" ? offer.name : "",
    folders,
  };
}

/** The password, for the prompt's reveal button. */
export async function promptReveal(m, sender) {
  const offer = await offerFor(byToken(m.token, sender));
  if (offer.offer === "nothing") throw coded("no_prompt", "Nothing to save.");
  return { password: offer.password };
}

/** The user's answer: `save` (Save or Update), `never` (this site), `close`. */
export const promptAnswer = (m, sender) => answer(m, byToken(m.token, sender), sender.tab.id);

/** The popup's view of the tab's waiting capture: what the prompt shows, or `none`. */
export async function pendingSave(tabId) {
  sweep();
  const entry = live(tabId);
  if (entry) return stateOf(entry);
  // A badge left by a worker that stopped since (its memory, and the capture, went with it).
  if ((await chrome.action.getBadgeText({ tabId }).catch(() => "")) === "1") {
    chrome.action.setBadgeText({ tabId, text: "" }).catch(() => {});
  }
  return { state: "none" };
}

/** The popup's answer for the tab's waiting capture, as the prompt's. */
export async function answerPendingSave(m, tabId) {
  const entry = live(tabId);
  if (!entry) throw coded("no_prompt", "This prompt is gone.");
  return answer(m, entry, tabId);
}

async function answer(m, entry, tabId) {
  if (m.answer === "never") {
    const settings = await loadSettings();
    const host = hostOf(entry.url).replace(/:\d+$/, "");
    await saveSettings({ neverSaveSites: [...(settings.neverSaveSites ?? []), host] });
    close(tabId);
    return {};
  }
  if (m.answer !== "save") {
    close(tabId);
    return {};
  }
  const name = typeof m.name === "string" ? m.name : null;
  const folderId = typeof m.folderId === "string" && m.folderId ? m.folderId : null;
  const id = requireUnlocked().acceptCapture(...(await coreArgs(entry)), name, folderId);
  if (id === undefined) throw coded("no_prompt", "Nothing to save.");
  await persist();
  await afterChange();
  close(tabId);
  return { id };
}
