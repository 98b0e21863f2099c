// A server account (Bitwarden, Vaultwarden, Cozy): adding it (and moving a local vault into it),
// joining it to the vault after every unlock or worker restart, syncing (on unlock, on a timer,
// on demand, after each change), and logging out. The protocol is the core's (`logIn`,
// `connect`, `accountSync`); this keeps what the worker must store: the server, e-mail and
// device id in clear, the queue of edits and the sealed tokens as the core's ciphertext.
import { core, track } from "./core.js";
import { forgetVault, loadKdf, loadVault, saveData, saveVault } from "./storage.js";
import * as vault from "./vault.js";

const KEYS = {
  account: "account",
  snapshot: "account.snapshot",
  status: "account.status",
  device: "device.id",
  deviceSecret: "device.secret",
  remembered: "account.remembered",
  kdfSeen: "account.kdfSeen",
};
export const SYNC_ALARM = "sync";
/** At the earliest back-off deadline of a failed edit (the periodic sync may come later). */
export const RETRY_ALARM = "sync-retry";
const SYNC_MINUTES = 5;
let syncing = null;

export async function loadAccount() {
  return (await chrome.storage.local.get(KEYS.account))[KEYS.account] ?? null;
}

async function deviceId() {
  const got = (await chrome.storage.local.get(KEYS.device))[KEYS.device];
  if (got) return got;
  const id = crypto.randomUUID();
  await chrome.storage.local.set({ [KEYS.device]: id });
  return id;
}

/** The random secret "remember this device" tokens are sealed under (see rememberedTokens). */
async function deviceSecret() {
  const got = (await chrome.storage.local.get(KEYS.deviceSecret))[KEYS.deviceSecret];
  if (got) return got;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = btoa(String.fromCharCode(...bytes));
  await chrome.storage.local.set({ [KEYS.deviceSecret]: secret });
  return secret;
}

// "Remember this device" tokens outlive log-outs: `{v: 2, tokens: {"server|email": sealed}}`,
// each sealed by the core under the device secret, not under anything derived from the password:
// a seal under the master key (what earlier versions stored, a flat map) let anyone with the disk
// test password guesses offline. A token alone does not sign in; the server still wants the
// password. Entries of the earlier kind are read once at the next sign-in, then dropped.
async function rememberedTokens() {
  const stored = (await chrome.storage.local.get(KEYS.remembered))[KEYS.remembered] ?? {};
  return stored.v === 2 ? { tokens: stored.tokens ?? {}, legacy: {} } : { tokens: {}, legacy: stored };
}

const accountKey = (server, email) => `${server.trim()}|${email.trim().toLowerCase()}`;

/** The KDF guard for a sign-in: the prelogin of the last sign-in to this same account, from the
 *  account set up here or, after a log-out, from `account.kdfSeen` (which outlives log-outs: a
 *  server may not lower the settings just because this browser signed out). */
async function kdfGuard(server, email, confirmWeakerKdf) {
  const existing = await loadAccount();
  const who = accountKey(server, email);
  const same = existing && accountKey(existing.server, existing.email) === who;
  const seen = (await chrome.storage.local.get(KEYS.kdfSeen))[KEYS.kdfSeen] ?? {};
  const storedKdf = (same ? await loadKdf() : null) ?? seen[who] ?? "";
  return { storedKdf, confirmWeakerKdf: confirmWeakerKdf === true };
}

/** Remembers the KDF settings an account signed in with (no secret: the server gives them to
 *  anyone who asks for the e-mail). */
async function rememberKdf(who, prelogin) {
  const seen = (await chrome.storage.local.get(KEYS.kdfSeen))[KEYS.kdfSeen] ?? {};
  await chrome.storage.local.set({ [KEYS.kdfSeen]: { ...seen, [who]: prelogin } });
}

/** The account part of `status`: null for a local vault. The edits not synced and the copies
 *  kept after a conflict carry item names: they come from the open vault's core only (locked,
 *  both lists are empty; the queue is on disk inside the sealed snapshot). */
export async function accountStatus() {
  const got = await chrome.storage.local.get([KEYS.account, KEYS.status]);
  const account = got[KEYS.account];
  if (!account) return null;
  const st = got[KEYS.status] ?? {};
  const session = vault.isUnlocked() ? core() : null;
  const open = Boolean(session?.isConnected());
  return {
    server: account.server,
    email: account.email,
    lastSync: st.lastSync ?? null,
    lastError: st.lastError ?? null,
    pending: open ? session.pendingEdits() : (st.pending ?? 0),
    syncing: Boolean(syncing),
    unsynced: open ? JSON.parse(session.unsyncedEdits()) : [],
    keptBoth: open ? JSON.parse(session.keptBoth()) : [],
  };
}

/** Adds a server account; an unlocked local vault moves into it. Returns how many items moved. */
export async function addAccount({ server, email, password, twoFactor, confirmWeakerKdf }) {
  for (const [v, what] of [[server, "server"], [email, "email"], [password, "password"]]) {
    if (typeof v !== "string" || !v.trim()) throw vault.coded("bad_request", what);
  }
  const existing = await loadAccount();
  let kept = "";
  if (existing) {
    // Signing in again to the same account (the server logged this browser out): the edits
    // still queued are kept and sent; another account needs a log-out first.
    const same = existing.server === server.trim() && existing.email.toLowerCase() === email.trim().toLowerCase();
    if (!same) throw vault.coded("account_exists", "A server account is already set up: log out of it first.");
    const snapshot = (await chrome.storage.local.get(KEYS.snapshot))[KEYS.snapshot];
    kept = snapshot ? (JSON.parse(snapshot).queue ?? "") : "";
  }
  const local = existing ? null : await loadVault();
  if (local && !vault.isUnlocked()) throw vault.coded("locked", "Unlock the local vault first: its items will move.");
  const device = await deviceId();
  const { tokens, legacy } = await rememberedTokens();
  const who = accountKey(server, email);
  // A server asking for weaker KDF settings than last time is refused (kdf_downgrade) unless
  // the user confirmed in the popup.
  const guard = await kdfGuard(server, email, confirmWeakerKdf);
  const secret = await deviceSecret();
  // A lock from here on ends the sign-in (the vault stays locked).
  const mine = vault.lockEpoch();
  const out = JSON.parse(
    await track(core().logIn(
      server.trim(),
      email.trim(),
      password,
      JSON.stringify({
        deviceId: device,
        twoFactor: twoFactor ?? null,
        moveLocal: Boolean(local),
        remembered: tokens[who] ?? "",
        legacyRemembered: legacy[who] ?? "",
        deviceSecret: secret,
        ...guard,
        queue: kept,
      }),
    )),
  );
  vault.stillOpen(mine);
  if (out.remembered || Object.keys(legacy).length) {
    const next = out.remembered ? { ...tokens, [who]: out.remembered } : tokens;
    await chrome.storage.local.set({ [KEYS.remembered]: { v: 2, tokens: next } });
  }
  const account = { server: server.trim(), email: email.trim(), deviceId: device, cipherKeys: out.cipherKeys };
  const snapshot = core().accountSnapshot();
  await saveVault(out.prelogin, core().materialJson());
  await rememberKdf(who, out.prelogin);
  await chrome.storage.local.set({
    [KEYS.account]: account,
    [KEYS.snapshot]: snapshot,
    [KEYS.status]: { lastSync: Date.now(), lastError: null, pending: 0 },
  });
  await vault.opened(mine);
  if (kept) syncSoon();
  return out.moved;
}

export async function sendEmailCode({ server, email, password, confirmWeakerKdf }) {
  const guard = await kdfGuard(server, email, confirmWeakerKdf);
  const device = await deviceId();
  await track(core().sendEmailCode(server, email, password, device, JSON.stringify(guard)));
}

/** After an unlock or a worker restart: join the open vault to its account, then sync. */
export async function afterOpen() {
  const account = await loadAccount();
  if (!account) return;
  await dropLegacyRemembered();
  const stored = await loadVault();
  const snapshot = (await chrome.storage.local.get(KEYS.snapshot))[KEYS.snapshot] ?? "{}";
  // Locked meanwhile: no session to join (the unlock ends locked).
  vault.requireUnlocked().connect(account.server, account.deviceId, stored.prelogin, snapshot, Boolean(account.cipherKeys));
  await chrome.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_MINUTES });
  syncSoon();
}

/** Remembered tokens sealed by an earlier version under the master key leave the disk (the
 *  user is asked for the second factor again at the next sign-in). */
async function dropLegacyRemembered() {
  const { legacy } = await rememberedTokens();
  if (Object.keys(legacy).length) await chrome.storage.local.set({ [KEYS.remembered]: { v: 2, tokens: {} } });
}

/** The salt an account unlocks with when its sync does not carry one (Cozy): the e-mail. */
export async function unlockEmail() {
  return (await loadAccount())?.email ?? "";
}

/** Syncs in the background, once at a time (a second request waits for the first). */
export function syncSoon() {
  setTimeout(() => syncNow().catch(() => {}), 0);
}

// The whole sync is one tracked task: a lock waits for it (its request aborted), so the
// session it uses is never wiped under it, and what it stores is written before the wipe.
export async function syncNow() {
  if (syncing) return syncing;
  syncing = track(
    (async () => {
      const session = vault.requireUnlocked();
      if (!session.isConnected()) throw vault.coded("no_account", "This vault has no server account.");
      const status = (await chrome.storage.local.get(KEYS.status))[KEYS.status] ?? {};
      vault.requireUnlocked(); // locked meanwhile: nothing is sent
      try {
        const report = JSON.parse(await session.accountSync());
        // The local copy changed only if something was synced or sent (a quiet sync is one small
        // request; rewriting megabytes of storage would cost more than the sync itself).
        if (report.synced || report.sent || report.keptBoth.length) await saveData(session.materialJson());
        await persistSnapshot(session);
        // A sync cut short by a lock says nothing about the server.
        const cut = !vault.isUnlocked();
        const lastError = cut
          ? (status.lastError ?? null)
          : report.offline
            ? { code: "server_unreachable", message: "The server cannot be reached." }
            : null;
        await chrome.storage.local.set({
          [KEYS.status]: { lastSync: report.offline ? (status.lastSync ?? null) : Date.now(), lastError, pending: report.pending },
        });
        if (!cut) await scheduleRetry(session);
        return report;
      } catch (e) {
        await persistSnapshot(session);
        await chrome.storage.local.set({
          [KEYS.status]: {
            ...status,
            pending: session.pendingEdits(),
            lastError: { code: e.code ?? "internal", message: e.message },
          },
        });
        throw e;
      }
    })(),
  );
  try {
    return await syncing;
  } finally {
    syncing = null;
  }
}

/** A sync that includes what changed just now: one under way is waited for, then another runs
 *  (the user's "Sync now" too: a background sync that started before the last edit was queued
 *  would otherwise answer it, leaving that edit's item with its local revision date). */
export async function syncAgain() {
  if (syncing) await syncing.catch(() => {});
  return syncNow();
}

/** The back-off of failed edits: an alarm at the earliest `retryAt` (the core decides what is
 *  due; the periodic sync alarm catches anything later). */
async function scheduleRetry(session) {
  const due = JSON.parse(session.unsyncedEdits())
    .map((e) => e.retryAt)
    .filter((t) => typeof t === "number");
  if (!due.length) return chrome.alarms.clear(RETRY_ALARM);
  // Alarms fire no sooner than 30 s after they are set.
  await chrome.alarms.create(RETRY_ALARM, { when: Math.max(Math.min(...due), Date.now() + 30_000) });
}

/** Stores the queue, sync state and sealed tokens after any change (of the open vault's
 *  session, or of the one given: a sync or a lock finishing while the vault locks). */
export async function persistSnapshot(session = vault.isUnlocked() ? core() : null) {
  if (session?.isConnected()) {
    await chrome.storage.local.set({ [KEYS.snapshot]: session.accountSnapshot() });
  }
}

/** After an edit in the popup: keep the queue, then send it. */
export async function afterChange() {
  if (!vault.isUnlocked() || !core().isConnected()) return;
  await persistSnapshot();
  syncSoon();
}

/** The user's answer to an edit the server did not store (`retryEdit`, `keepLocalCopy`,
 *  `discardEdit`) or to a copy kept after a conflict (`resolveKeptBoth`): the core changes the
 *  queue, which is stored; then a sync sends or pulls what follows. Answers the new status. */
export async function answerEdit(method, key, { sync = true } = {}) {
  if (typeof key !== "string" || !key) throw vault.coded("bad_request", "key");
  const session = vault.requireUnlocked();
  if (!session.isConnected()) throw vault.coded("no_account", "This vault has no server account.");
  session[method](key);
  // A kept local copy is a new item in the local vault at once.
  if (method === "keepLocalCopy") await vault.persist();
  await persistSnapshot(session);
  if (sync) await syncAgain().catch(() => {});
  return { account: await accountStatus() };
}

export async function onAlarm(alarm) {
  if (alarm.name !== SYNC_ALARM && alarm.name !== RETRY_ALARM) return;
  if (vault.isUnlocked() && core().isConnected()) await syncNow().catch(() => {});
}

/** Removes the account and its offline copy from this browser (items stay on the server). */
export async function logOut() {
  await vault.lock();
  await chrome.alarms.clear(SYNC_ALARM);
  await chrome.alarms.clear(RETRY_ALARM);
  await chrome.storage.local.remove([KEYS.account, KEYS.snapshot, KEYS.status]);
  await forgetVault();
}
