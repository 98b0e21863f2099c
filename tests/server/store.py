"""SQLite persistence for the Bitwarden-protocol test server (bwserver.py).

One connection shared by every request thread, serialised by a lock; each public method is
one transaction.  Everything the server knows lives in the file, so restarting the server
with the same --db keeps accounts, devices, refresh tokens, 2FA settings, remembered
devices, folders, ciphers, equivalent domains and the token-signing secret.

Times are integers: microseconds since the epoch (`*_us`) or milliseconds (`revision_ms`).
Cipher bodies are stored as JSON text (`data`), exactly as accepted from the client.
"""

import json
import secrets
import sqlite3
import threading
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    hint TEXT,
    password_hash BLOB NOT NULL,
    password_salt BLOB NOT NULL,
    password_iterations INTEGER NOT NULL,
    akey TEXT NOT NULL,
    private_key TEXT,
    public_key TEXT,
    kdf INTEGER NOT NULL,
    kdf_iterations INTEGER NOT NULL,
    kdf_memory INTEGER,
    kdf_parallelism INTEGER,
    security_stamp TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    token_gen INTEGER NOT NULL DEFAULT 0,
    created_us INTEGER NOT NULL,
    revision_ms INTEGER NOT NULL,
    equivalent_domains TEXT NOT NULL DEFAULT '[]',
    excluded_globals TEXT NOT NULL DEFAULT '[]',
    user_key_id TEXT
);
CREATE TABLE IF NOT EXISTS devices (
    user_id TEXT NOT NULL,
    identifier TEXT NOT NULL,
    name TEXT,
    type INTEGER,
    created_us INTEGER NOT NULL,
    remember_token TEXT,
    PRIMARY KEY (user_id, identifier)
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    device_identifier TEXT NOT NULL,
    client_id TEXT,
    created_us INTEGER NOT NULL,
    expires_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS two_factor (
    user_id TEXT NOT NULL,
    provider INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    data TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (user_id, provider)
);
CREATE TABLE IF NOT EXISTS emails (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code TEXT NOT NULL,
    sent_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS folders (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    revision_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ciphers (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    organization_id TEXT,
    folder_id TEXT,
    favorite INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    revision_us INTEGER NOT NULL,
    deleted_us INTEGER
);
CREATE INDEX IF NOT EXISTS ciphers_user ON ciphers (user_id);
CREATE INDEX IF NOT EXISTS folders_user ON folders (user_id);
"""


def now_us():
    return time.time_ns() // 1000


def _row(cur_row):
    return dict(cur_row) if cur_row is not None else None


class Store:
    def __init__(self, path):
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        with self.lock:
            # A rollback journal (not WAL): the .sqlite file alone always holds every
            # committed change, even while the server runs or after a SIGKILL.
            self.db.execute("PRAGMA journal_mode=DELETE")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            # A database made before the column existed gets it (user-key-id route).
            cols = [r["name"] for r in self.db.execute("PRAGMA table_info(users)")]
            if "user_key_id" not in cols:
                self.db.execute("ALTER TABLE users ADD COLUMN user_key_id TEXT")

    # -- helpers -------------------------------------------------------------------------

    def _one(self, sql, args=()):
        with self.lock:
            return _row(self.db.execute(sql, args).fetchone())

    def _all(self, sql, args=()):
        with self.lock:
            return [dict(r) for r in self.db.execute(sql, args).fetchall()]

    def _exec(self, sql, args=()):
        with self.lock:
            return self.db.execute(sql, args)

    def tx(self):
        """`with store.tx():` groups several calls into one transaction."""
        return _Tx(self)

    # -- meta ----------------------------------------------------------------------------

    def secret(self):
        """The server's token-signing secret, created once per database."""
        with self.lock:
            r = self._one("SELECT value FROM meta WHERE key = 'jwt_secret'")
            if r:
                return bytes.fromhex(r["value"])
            s = secrets.token_bytes(32)
            self._exec("INSERT INTO meta (key, value) VALUES ('jwt_secret', ?)", (s.hex(),))
            return s

    # -- users ---------------------------------------------------------------------------

    def create_user(self, u):
        cols = ", ".join(u)
        marks = ", ".join("?" for _ in u)
        self._exec(f"INSERT INTO users ({cols}) VALUES ({marks})", tuple(u.values()))

    def user_by_email(self, email):
        return self._one("SELECT * FROM users WHERE email = ?", (email,))

    def user_by_id(self, uid):
        return self._one("SELECT * FROM users WHERE id = ?", (uid,))

    def update_user(self, uid, **fields):
        sets = ", ".join(f"{k} = ?" for k in fields)
        self._exec(f"UPDATE users SET {sets} WHERE id = ?", tuple(fields.values()) + (uid,))

    def bump_revision(self, uid):
        """The account's revision date (ms) moves forward, strictly (§6.13)."""
        with self.lock:
            u = self.user_by_id(uid)
            ms = max(now_us() // 1000, (u["revision_ms"] if u else 0) + 1)
            self.update_user(uid, revision_ms=ms)
            return ms

    def only_user(self):
        return self._one("SELECT * FROM users LIMIT 1")

    def count_users(self):
        return self._one("SELECT COUNT(*) AS n FROM users")["n"]

    # -- devices / tokens ----------------------------------------------------------------

    def device(self, uid, identifier):
        return self._one("SELECT * FROM devices WHERE user_id = ? AND identifier = ?",
                         (uid, identifier))

    def ensure_device(self, uid, identifier, name, dtype):
        with self.lock:
            d = self.device(uid, identifier)
            if d:
                return d
            self._exec("INSERT INTO devices (user_id, identifier, name, type, created_us) "
                       "VALUES (?, ?, ?, ?, ?)", (uid, identifier, name, dtype, now_us()))
            return self.device(uid, identifier)

    def set_remember(self, uid, identifier, token):
        self._exec("UPDATE devices SET remember_token = ? WHERE user_id = ? AND identifier = ?",
                   (token, uid, identifier))

    def add_refresh(self, token_hash, uid, identifier, client_id, ttl_us):
        t = now_us()
        self._exec("INSERT INTO refresh_tokens (token_hash, user_id, device_identifier, client_id, "
                   "created_us, expires_us) VALUES (?, ?, ?, ?, ?, ?)",
                   (token_hash, uid, identifier, client_id, t, t + ttl_us))

    def refresh(self, token_hash):
        return self._one("SELECT * FROM refresh_tokens WHERE token_hash = ?", (token_hash,))

    def delete_refresh(self, token_hash):
        self._exec("DELETE FROM refresh_tokens WHERE token_hash = ?", (token_hash,))

    def delete_user_refresh(self, uid):
        self._exec("DELETE FROM refresh_tokens WHERE user_id = ?", (uid,))

    # -- two factor ----------------------------------------------------------------------

    def two_factors(self, uid):
        rows = self._all("SELECT * FROM two_factor WHERE user_id = ? AND enabled = 1 "
                         "ORDER BY created_us, provider", (uid,))
        for r in rows:
            r["data"] = json.loads(r["data"])
        return rows

    def set_two_factor(self, uid, provider, data, enabled=True):
        with self.lock:
            self._exec("DELETE FROM two_factor WHERE user_id = ? AND provider = ?", (uid, provider))
            if enabled:
                self._exec("INSERT INTO two_factor (user_id, provider, enabled, data, created_us) "
                           "VALUES (?, ?, 1, ?, ?)", (uid, provider, json.dumps(data), now_us()))

    def update_two_factor_data(self, uid, provider, data):
        self._exec("UPDATE two_factor SET data = ? WHERE user_id = ? AND provider = ?",
                   (json.dumps(data), uid, provider))

    def add_email(self, email, purpose, code):
        self._exec("INSERT INTO emails (email, purpose, code, sent_us) VALUES (?, ?, ?, ?)",
                   (email, purpose, code, now_us()))

    def emails(self, email=None):
        if email:
            return self._all("SELECT * FROM emails WHERE email = ? ORDER BY seq", (email,))
        return self._all("SELECT * FROM emails ORDER BY seq")

    # -- folders -------------------------------------------------------------------------

    def folders(self, uid):
        return self._all("SELECT * FROM folders WHERE user_id = ? ORDER BY created_us, id", (uid,))

    def folder(self, uid, fid):
        return self._one("SELECT * FROM folders WHERE id = ? AND user_id = ?", (fid, uid))

    def put_folder(self, f):
        self._exec("INSERT OR REPLACE INTO folders (id, user_id, name, created_us, revision_us) "
                   "VALUES (?, ?, ?, ?, ?)",
                   (f["id"], f["user_id"], f["name"], f["created_us"], f["revision_us"]))

    def delete_folder(self, uid, fid):
        with self.lock:
            self._exec("UPDATE ciphers SET folder_id = NULL WHERE user_id = ? AND folder_id = ?",
                       (uid, fid))
            self._exec("DELETE FROM folders WHERE id = ? AND user_id = ?", (fid, uid))

    # -- ciphers -------------------------------------------------------------------------

    @staticmethod
    def _cipher(r):
        if r is not None:
            r["data"] = json.loads(r["data"])
        return r

    def ciphers(self, uid):
        return [self._cipher(r) for r in
                self._all("SELECT * FROM ciphers WHERE user_id = ? ORDER BY created_us, id",
                          (uid,))]

    def cipher(self, uid, cid):
        return self._cipher(self._one("SELECT * FROM ciphers WHERE id = ? AND user_id = ?",
                                      (cid, uid)))

    def put_cipher(self, c):
        self._exec("INSERT OR REPLACE INTO ciphers (id, user_id, organization_id, folder_id, "
                   "favorite, data, created_us, revision_us, deleted_us) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (c["id"], c["user_id"], c.get("organization_id"), c.get("folder_id"),
                    1 if c.get("favorite") else 0, json.dumps(c["data"]), c["created_us"],
                    c["revision_us"], c.get("deleted_us")))

    def delete_cipher(self, uid, cid):
        self._exec("DELETE FROM ciphers WHERE id = ? AND user_id = ?", (cid, uid))


class _Tx:
    def __init__(self, store):
        self.store = store

    def __enter__(self):
        self.store.lock.acquire()
        self.store.db.execute("BEGIN IMMEDIATE")
        return self.store

    def __exit__(self, exc_type, exc, tb):
        try:
            self.store.db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store.lock.release()
        return False
