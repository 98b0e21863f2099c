// Locked / unlocked: creating the local vault, unlocking, surviving a worker restart through the
// resume token in session storage (unless strict), persisting changes, and the auto-lock alarm.
import { core, liveSession, settle, track, wipe } from "./core.js";
import { KEYS, loadKdf, loadSettings, loadVault, prefetchVault, saveData, saveVault } from "./storage.js";
import { accountStatus, afterOpen, persistSnapshot, unlockEmail } from "./account.js";

const ALARM = "autolock";
let unlocked = false;
/** Bumped by every lock: an unlock or sign-in that began before it ends locked. */
let epoch = 0;
/** The lock under way (it waits for the core's calls in flight before wiping). */
let locking = null;

export const isUnlocked = () => unlocked;
export const lockEpoch = () => epoch;

/** Throws `locked` if the vault was locked since `mine` (a lockEpoch()). */
export function stillOpen(mine) {
  if (mine !== epoch) throw coded("locked", "The vault was locked meanwhile: unlock it again.");
}

/** Re-opens the vault after a worker restart, if it was unlocked and the deadline has not passed. */
export async function restore() {
  const got = await chrome.storage.session.get([KEYS.resume, KEYS.lockAt]);
  const token = got[KEYS.resume];
  if (!token) return;
  if (got[KEYS.lockAt] && Date.now() >= got[KEYS.lockAt]) return lock();
  const stored = await loadVault();
  if (!stored) return lock();
  try {
    // Before any message is handled: the worker's handlers all wait for this restore.
    await track(core().resume(token, stored.prelogin, stored.data));
    unlocked = true;
    await applySettings(await loadSettings());
    await afterOpen();
    // Chrome stops an idle worker after ~30 s; a page loading (webNavigation) or the popup
    // wakes it before the user's gesture, which then finds the indexes built.
    warmSoon();
  } catch {
    await lock();
  }
}

/** Builds the match and search indexes (and readies the PSL and the form classifier) when the
 *  worker is idle: the first fill after an unlock or a restart otherwise pays ~50-60 ms for them
 *  (10,000 items). A request that comes first builds what it needs, and this does nothing more. */
const warmSoon = () => setTimeout(() => unlocked && core().warmUp(), 300);

export async function status() {
  // Independent reads, at once: the popup waits for this answer before it shows anything.
  const [prelogin, settings, account] = await Promise.all([loadKdf(), loadSettings(), accountStatus()]);
  const state = !prelogin ? "empty" : unlocked ? "unlocked" : "locked";
  if (state === "locked") prefetchVault();
  const kdf = prelogin ? JSON.parse(prelogin).kdf : null;
  return { state, kdf: kdf === 1 ? "argon2id" : kdf === 0 ? "pbkdf2" : null, settings, account };
}

export async function create(password, kdf) {
  if (await loadKdf()) throw coded("vault_exists", "A vault already exists here.");
  if (typeof password !== "string" || password.length < 8) {
    throw coded("weak_password", "The master password needs at least 8 characters.");
  }
  const mine = ++epoch;
  await close();
  stillOpen(mine);
  // Async (the key pair is WebCrypto's). The material is read within the tracked call, so a lock
  // that comes meanwhile waits for it: the new vault is stored either way, and opened() then
  // ends locked.
  const made = core().createLocal(password, kdf ?? "pbkdf2");
  const { prelogin, material } = await opening(mine, made.then((prelogin) => ({ prelogin, material: core().materialJson() })));
  await saveVault(prelogin, material);
  await opened(mine);
}

export async function unlock(password) {
  // A lock from now on, wherever this unlock is, ends it locked; so does a newer unlock.
  const mine = ++epoch;
  const stored = await loadVault();
  if (!stored) throw coded("no_vault", "Create a vault first.");
  if (typeof password !== "string") throw coded("bad_request", "password");
  const email = await unlockEmail();
  // Whatever is open (or opening) is closed first: one Session, one key derivation at a time.
  await close();
  stillOpen(mine);
  await opening(mine, core().unlock(email, password, stored.prelogin, stored.data));
  await opened(mine);
  await afterOpen();
}

/** Awaits a core call that opens the vault, tracked so that a lock waits for it. If it fails, what
 *  it left is wiped, unless a lock came meanwhile: that lock wipes by itself once the call has
 *  settled. */
async function opening(mine, call) {
  try {
    return await track(call);
  } catch (e) {
    if (mine === epoch) wipe();
    stillOpen(mine);
    throw e;
  }
}

/** The vault is open (unless a lock came since `mine`, in which case it stays locked). */
export async function opened(mine = epoch) {
  stillOpen(mine);
  unlocked = true;
  const settings = await loadSettings();
  await applySettings(settings);
  await touch();
  // After the reply: the unlock must answer first.
  warmSoon();
}

/** Applies settings the core needs (the default match strategy, the server's equivalent domains). */
export async function applySettings(settings) {
  if (unlocked) core().setDefaultMatch(settings.defaultMatch ?? undefined);
  if (unlocked) core().setUseServerEquivalentDomains(Boolean(settings.useServerEquivalentDomains));
  if (unlocked && settings.strict) await chrome.storage.session.remove(KEYS.resume);
  if (unlocked && !settings.strict) await chrome.storage.session.set({ [KEYS.resume]: core().resumeToken() });
}

const lockHooks = [];

/** Runs `fn` whenever the vault locks (what was granted for the open vault goes with it). */
export const onLock = (fn) => lockHooks.push(fn);

/** Locks at once (no new call reaches the core; what was granted goes), then ends the calls in
 *  flight (a sync's request is aborted, an unlock's key derivation finishes), stores the queue
 *  of edits as it stands, and wipes. A second lock meanwhile waits for the same end. */
export function lock() {
  epoch++;
  return close();
}

/** lock() without ending an unlock under way (which calls it first). */
function close() {
  unlocked = false;
  if (locking) return locking;
  locking = (async () => {
    for (const fn of lockHooks) fn();
    await chrome.storage.session.remove([KEYS.resume, KEYS.lockAt, KEYS.cycle, KEYS.confirmations]);
    await chrome.alarms.clear(ALARM);
    await settle();
    const session = liveSession();
    if (session) await persistSnapshot(session).catch(() => {});
    wipe();
  })().finally(() => (locking = null));
  return locking;
}

/** Pushes the auto-lock deadline back (on unlock and on every use). */
export async function touch() {
  if (!unlocked) return;
  const { autoLockMinutes } = await loadSettings();
  if (autoLockMinutes === null) {
    await chrome.storage.session.remove(KEYS.lockAt);
    return chrome.alarms.clear(ALARM);
  }
  const when = Date.now() + autoLockMinutes * 60_000;
  await chrome.storage.session.set({ [KEYS.lockAt]: when });
  await chrome.alarms.create(ALARM, { when });
}

export async function onAlarm(alarm) {
  if (alarm.name !== ALARM) return;
  const got = await chrome.storage.session.get(KEYS.lockAt);
  if (!got[KEYS.lockAt] || Date.now() >= got[KEYS.lockAt] - 1000) await lock();
}

/** Persists the vault after a change made through `core()`. */
export const persist = () => saveData(core().materialJson());

export function requireUnlocked() {
  if (!unlocked) throw coded("locked", "The vault is locked: unlock it first.");
  return core();
}

export function coded(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}
