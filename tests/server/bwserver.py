#!/usr/bin/env python3
"""A Bitwarden-protocol test server for Keyfill's sync tests (Python 3.11 standard library only).

    python3 tests/server/bwserver.py --db PATH.sqlite --mode vaultwarden|cozy
        [--port 0] [--host 127.0.0.1] [--token-ttl 7200] [--version 2026.6.0] [--verbose]

Binds, prints ONE line `listening http://HOST:PORT` on stdout, then serves until killed.
Speaks the protocol of /work/shared/PROTOCOL.md §3, §5, §6, §7 as Vaultwarden or as
cozy-stack's /bitwarden API do.  Every response body comes from shapes.py; storage is
store.py (SQLite, survives restarts).  Test-control endpoints live under /__test/
(/bitwarden/__test/ in cozy mode).  See tests/server/README.md.

Nothing secret is ever logged: with --verbose only `METHOD PATH STATUS` lines go to stderr.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True  # keep tests/server free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import shapes  # noqa: E402
from store import Store, now_us  # noqa: E402

VW, COZY = shapes.VAULTWARDEN, shapes.COZY
SCOPE = "api offline_access"
SERVER_HASH_ITERATIONS = 100_000          # Vaultwarden uses 600 000; too slow for tests
REFRESH_TTL_US = 30 * 86400 * 1_000_000   # Vaultwarden: 30 days (90 for client_id=mobile)
EMAIL_CODE_TTL_S = {VW: 600, COZY: 300}   # VW email_expiration_time / Cozy cache 5 min
EMAIL_ATTEMPTS_LIMIT = 3                  # VW email_attempts_limit
MAX_NOTE_SIZE = 10_000                    # VW _max_note_size default
DEFAULT_KDF = (0, 600_000, None, None)    # §1.3 / §6.3 unknown users
TYPE_KEYS = {1: "login", 2: "secureNote", 3: "card", 4: "identity", 5: "sshKey"}
MSG_BAD_LOGIN = "Username or password is incorrect. Try again"
MSG_OUT_OF_DATE = "The client copy of this cipher is out of date. Resync the client and try again."


# ----------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------


class HttpError(Exception):
    def __init__(self, status, body=None, ctype="application/json"):
        super().__init__(status)
        self.status, self.body, self.ctype = status, body, ctype


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def same(a, b):
    """Constant-time comparison of two strings (any characters)."""
    return hmac.compare_digest(str(a).encode("utf-8"), str(b).encode("utf-8"))


def sha256_hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


def server_hash(client_hash, salt, iterations):
    """Server-side hash of the client's master password hash (§3.1)."""
    return hashlib.pbkdf2_hmac("sha256", client_hash.encode("utf-8"), salt, iterations, 32)


def b32decode_lenient(s):
    s = re.sub(r"[^A-Z2-7]", "", s.upper())
    s += "=" * (-len(s) % 8)
    return base64.b32decode(s)


def totp_at(secret_b32, step, digits=6):
    """RFC 6238, HMAC-SHA1, 6 digits, 30 s (§9)."""
    mac = hmac.new(b32decode_lenient(secret_b32), struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return str(value % (10 ** digits)).zfill(digits)


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?$", re.I)


def parse_iso_us(s):
    """Lenient ISO 8601 -> microseconds since the epoch (None if unparsable)."""
    m = _ISO.match(s.strip()) if isinstance(s, str) else None
    if not m:
        return None
    y, mo, d, h, mi, se, frac, tz = m.groups()
    try:
        dt = datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(se),
                               int((frac or "0")[:6].ljust(6, "0")))
    except ValueError:
        return None
    if tz and tz.upper() != "Z":
        sign = 1 if tz[0] == "+" else -1
        hh, mm = int(tz[1:3]), int(tz[-2:])
        dt -= sign * datetime.timedelta(hours=hh, minutes=mm)
    delta = dt - datetime.datetime(1970, 1, 1)
    return delta.days * 86_400_000_000 + delta.seconds * 1_000_000 + delta.microseconds


def parse_semver(v):
    m = re.match(r"^\s*(\d+)\.(\d+)\.(\d+)\s*$", v or "")
    return tuple(int(x) for x in m.groups()) if m else None


def parse_bool(v):
    if v is None:
        return None
    v = v.strip().lower()
    if v in ("true", "on", "yes", "1"):
        return True
    if v in ("false", "off", "no", "0"):
        return False
    return None


def as_int(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?\d+", v.strip()):
        return int(v)
    return None


class Request:
    def __init__(self, method, raw_path, query, headers, body):
        self.method, self.raw_path, self.query = method, raw_path, query
        self.headers, self.body = headers, body
        self.path = raw_path
        self.query_string = ""

    def header(self, name):
        return self.headers.get(name)

    def q(self, name):
        v = self.query.get(name)
        return v[0] if v else None


class Response:
    def __init__(self, status, body=b"", ctype=None, headers=None):
        self.status, self.body, self.ctype = status, body, ctype
        self.headers = headers or {}


# ----------------------------------------------------------------------------------------
# the application
# ----------------------------------------------------------------------------------------


class App:
    def __init__(self, mode, store, token_ttl, version, verbose=False):
        self.mode, self.store, self.token_ttl = mode, store, token_ttl
        self.version, self.verbose = version, verbose
        self.secret = store.secret()
        self.log = deque(maxlen=5000)
        self.log_lock = threading.Lock()
        self.cozy_codes = {}   # user id -> (code, expires_s): cozy-stack's 5-minute cache
        self.routes = self._routes()

    # -- plumbing ------------------------------------------------------------------------

    def json_response(self, status, obj):
        return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                        "application/json; charset=utf-8")

    def empty(self, status=200):
        return Response(status, b"", None)

    def err(self, message, status=400):
        """A mode's generic error (§6.7)."""
        return HttpError(status, shapes.error(self.mode, message))

    def catcher(self, code):
        if self.mode == VW:
            return HttpError(code, shapes.vw_catcher(code))
        return HttpError(code, shapes.cozy_error({400: "invalid JSON", 404: "Not Found",
                                                 405: "Method Not Allowed"}.get(code, "error")))

    def body_json(self, req):
        """Parse a JSON body: Rocket answers 400 for a syntax error and 422 for a wrong
        shape; Cozy answers 400 {"error": "invalid JSON"}."""
        try:
            data = json.loads(req.body.decode("utf-8") or "null")
        except (ValueError, UnicodeDecodeError):
            raise self.catcher(400) if self.mode == VW else self.err("invalid JSON")
        if not isinstance(data, dict):
            raise self.catcher(422) if self.mode == VW else self.err("invalid JSON")
        return data

    def missing(self):
        """A required JSON field is absent or of the wrong type."""
        return self.catcher(422) if self.mode == VW else self.err("invalid JSON")

    def get(self, d, key):
        """Body field lookup: exact camelCase for Vaultwarden (serde), case-insensitive for
        Cozy (Go encoding/json)."""
        if not isinstance(d, dict):
            return None
        if key in d or self.mode == VW:
            return d.get(key)
        low = key.lower()
        for k, v in d.items():
            if k.lower() == low:
                return v
        return None

    def form(self, req):
        """Form-urlencoded body as {name: value}."""
        try:
            parsed = parse_qs(req.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            parsed = {}
        return {k: v[0] for k, v in parsed.items()}

    # -- entry point ---------------------------------------------------------------------

    def handle(self, req):
        path = req.raw_path
        if self.mode == COZY:
            if not (path == "/bitwarden" or path.startswith("/bitwarden/")):
                return self._finish(req, self.json_response(404, shapes.not_found(COZY)), True)
            path = path[len("/bitwarden"):]
        req.path = path
        is_test = path.startswith("/__test/")
        try:
            if req.method == "OPTIONS":
                resp = self.empty(200 if self.mode == VW else 204)
            elif is_test:
                resp = self.test_control(req)
            else:
                resp = self.dispatch(req)
        except HttpError as e:
            if e.ctype.startswith("application/json"):
                resp = self.json_response(e.status, e.body)
            else:
                resp = Response(e.status, e.body or b"", e.ctype)
        except Exception as e:  # never echo values: only the type and the frames
            sys.stderr.write("bwserver: internal error %s\n%s" % (
                type(e).__name__, "".join(traceback.format_tb(e.__traceback__))))
            resp = self.json_response(500, shapes.error(self.mode, "Internal server error"))
        return self._finish(req, resp, not is_test)

    def _finish(self, req, resp, record):
        if record:
            with self.log_lock:
                self.log.append({"method": req.method, "path": req.raw_path,
                                 "query": req.query_string, "status": resp.status,
                                 "bytes": len(resp.body), "time": now_us() // 1000})
        if self.verbose:
            sys.stderr.write("%s %s %d\n" % (req.method, req.raw_path, resp.status))
        return resp

    def _routes(self):
        both, vw = (VW, COZY), (VW,)
        cid = r"(?P<cid>[^/]+)"
        fid = r"(?P<fid>[^/]+)"
        R = []

        def r(methods, pattern, handler, modes=both, auth=True):
            R.append((tuple(methods.split("|")), re.compile(pattern), handler, modes, auth))

        r("POST", r"/identity/connect/token", self.h_token, auth=False)
        r("POST", r"/identity/accounts/prelogin", self.h_prelogin, vw, auth=False)
        r("POST", r"/identity/accounts/prelogin/password", self.h_prelogin, vw, auth=False)
        r("POST", r"/identity/accounts/register", self.h_register, vw, auth=False)
        r("POST", r"/api/accounts/prelogin", self.h_prelogin, auth=False)
        r("GET", r"/api/config", self.h_config, vw, auth=False)
        r("GET", r"/api/alive", self.h_alive, vw, auth=False)
        r("GET", r"/api/now", self.h_alive, vw, auth=False)
        r("POST", r"/api/two-factor/send-email-login", self.h_send_email_login, vw, auth=False)
        r("GET", r"/api/accounts/revision-date", self.h_revision_date)
        r("GET", r"/api/accounts/profile", self.h_profile)
        r("GET", r"/api/sync", self.h_sync)
        r("GET", r"/api/settings/domains", self.h_domains_get)
        r("PUT|POST", r"/api/settings/domains", self.h_domains_put)
        r("GET", r"/api/ciphers", self.h_ciphers_list)
        r("POST", r"/api/ciphers", self.h_cipher_create)
        r("DELETE", r"/api/ciphers", self.h_ciphers_bulk_hard)
        r("POST", r"/api/ciphers/import", self.h_import)
        r("PUT", r"/api/ciphers/delete", self.h_ciphers_bulk_soft)
        r("POST", r"/api/ciphers/delete", self.h_ciphers_bulk_hard)
        r("PUT", r"/api/ciphers/restore", self.h_ciphers_bulk_restore)
        r("PUT|POST", r"/api/ciphers/move", self.h_ciphers_move, vw)
        r("GET", r"/api/ciphers/" + cid, self.h_cipher_get)
        r("PUT|POST", r"/api/ciphers/" + cid, self.h_cipher_update)
        r("DELETE", r"/api/ciphers/" + cid, self.h_cipher_hard_delete)
        r("PUT|POST", r"/api/ciphers/" + cid + r"/partial", self.h_cipher_partial, vw)
        r("PUT", r"/api/ciphers/" + cid + r"/delete", self.h_cipher_soft_delete)
        r("POST", r"/api/ciphers/" + cid + r"/delete", self.h_cipher_hard_delete)
        r("PUT", r"/api/ciphers/" + cid + r"/restore", self.h_cipher_restore)
        r("GET", r"/api/folders", self.h_folders_list)
        r("POST", r"/api/folders", self.h_folder_create)
        r("GET", r"/api/folders/" + fid, self.h_folder_get)
        r("PUT|POST", r"/api/folders/" + fid, self.h_folder_update)
        r("DELETE", r"/api/folders/" + fid, self.h_folder_delete)
        r("POST", r"/api/folders/" + fid + r"/delete", self.h_folder_delete)
        return R

    def dispatch(self, req):
        path_matched = False
        for methods, pattern, handler, modes, auth in self.routes:
            if self.mode not in modes:
                continue
            m = pattern.fullmatch(req.path)
            if not m:
                continue
            path_matched = True
            if req.method not in methods:
                continue
            user = self.authenticate(req) if auth else None
            if auth:
                return handler(req, user, **m.groupdict())
            return handler(req, **m.groupdict())
        if path_matched and self.mode == COZY:
            raise self.catcher(405)  # echo answers 405 when only the method differs
        raise self.catcher(404) if self.mode == VW else HttpError(404, shapes.not_found(COZY))

    # -- tokens --------------------------------------------------------------------------

    def make_jwt(self, payload):
        head = b64u(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
        body = b64u(json.dumps(payload, separators=(",", ":")).encode())
        signing_input = head + "." + body
        sig = hmac.new(self.secret, signing_input.encode(), hashlib.sha256).digest()
        return signing_input + "." + b64u(sig)

    def read_jwt(self, token):
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            want = hmac.new(self.secret, (parts[0] + "." + parts[1]).encode(),
                            hashlib.sha256).digest()
            if not hmac.compare_digest(want, unb64u(parts[2])):
                return None
            claims = json.loads(unb64u(parts[1]))
        except (ValueError, TypeError):
            return None
        return claims if isinstance(claims, dict) else None

    def access_token(self, user, device_id, device_type, client_id):
        now = int(time.time())
        return self.make_jwt({
            "nbf": now,
            "exp": now + self.token_ttl,
            "iss": "keyfill-test-server|login",
            "sub": user["id"],
            "premium": True,
            "name": user.get("name"),
            "email": user["email"],
            "email_verified": True,
            "sstamp": user["security_stamp"],
            "device": device_id,
            "devicetype": str(device_type),
            "client_id": client_id,
            "scope": SCOPE.split(),
            "amr": ["Application"],
            "gen": user["token_gen"],
            "jti": secrets.token_hex(8),
        })

    def new_refresh(self, user, device_id, client_id):
        token = b64u(secrets.token_bytes(64))
        self.store.add_refresh(sha256_hex(token), user["id"], device_id, client_id, REFRESH_TTL_US)
        return token

    def authenticate(self, req):
        """Bearer token check for /api (§6.2): signature, exp, user, security stamp, device."""
        h = req.header("Authorization") or ""
        if not h[:7].lower() == "bearer ":
            raise HttpError(401, shapes.unauthorized(self.mode))
        claims = self.read_jwt(h[7:].strip())
        if not claims or not isinstance(claims.get("exp"), int) or claims["exp"] <= time.time():
            raise HttpError(401, shapes.unauthorized(self.mode))
        user = self.store.user_by_id(claims.get("sub"))
        if (not user or not user["enabled"]
                or not same(claims.get("sstamp"), user["security_stamp"])
                or claims.get("gen", -1) < user["token_gen"]
                or not self.store.device(user["id"], str(claims.get("device")))):
            raise HttpError(401, shapes.unauthorized(self.mode))
        return user

    # -- identity ------------------------------------------------------------------------

    def h_prelogin(self, req):
        """§6.3: a known user gets its KDF, an unknown one the defaults (no existence leak)."""
        if self.mode == VW:
            email = self.get(self.body_json(req), "email")
            if not isinstance(email, str):
                raise self.missing()
        else:  # cozy-stack's Prelogin does not even read the body
            try:
                email = self.get(json.loads(req.body.decode("utf-8") or "{}"), "email")
            except (ValueError, UnicodeDecodeError):
                email = None
        user = self.store.user_by_email(email.strip().lower()) if isinstance(email, str) else None
        if user:
            kdf = (user["kdf"], user["kdf_iterations"], user["kdf_memory"], user["kdf_parallelism"])
        else:
            kdf = DEFAULT_KDF
        return self.json_response(200, shapes.prelogin(self.mode, *kdf))

    def h_register(self, req):
        return self.register(req, validate_kdf=True)[0]

    def register(self, req, validate_kdf):
        """§6.8 legacy registration body."""
        body = self.body_json(req)
        email = self.get(body, "email")
        mph = self.get(body, "masterPasswordHash")
        key = self.get(body, "key") or self.get(body, "userSymmetricKey")
        if not isinstance(email, str) or not isinstance(mph, str) or not isinstance(key, str):
            raise self.missing()
        keys = self.get(body, "keys") or self.get(body, "userAsymmetricKeys") or {}
        kdf = as_int(self.get(body, "kdf"))
        kdf = 0 if kdf is None else kdf
        it = as_int(self.get(body, "kdfIterations"))
        mem = as_int(self.get(body, "kdfMemory"))
        par = as_int(self.get(body, "kdfParallelism"))
        if kdf == 0:
            it = 600_000 if it is None else it
            mem = par = None
        if validate_kdf:
            # Vaultwarden set_kdf_data (src/api/core/accounts.rs)
            if kdf == 0 and it < 100_000:
                raise self.err("PBKDF2 KDF iterations must be at least 100000.")
            if kdf == 1:
                if it is None or it < 1:
                    raise self.err("Argon2 KDF iterations must be at least 1.")
                if mem is None:
                    raise self.err("Argon2 memory parameter is required.")
                if not 15 <= mem <= 1024:
                    raise self.err("Argon2 memory must be between 15 MB and 1024 MB.")
                if par is None:
                    raise self.err("Argon2 parallelism parameter is required.")
                if not 1 <= par <= 16:
                    raise self.err("Argon2 parallelism must be between 1 and 16.")
            if kdf not in (0, 1):
                raise self.err("Invalid KDF type")
        if it is None or it < 1:
            raise self.err("Invalid KDF iterations")
        email = email.strip().lower()
        salt = secrets.token_bytes(64)
        now = now_us()
        user = {
            "id": str(uuid.uuid4()), "email": email,
            "name": self.get(body, "name"), "hint": self.get(body, "masterPasswordHint"),
            "password_hash": server_hash(mph, salt, SERVER_HASH_ITERATIONS),
            "password_salt": salt, "password_iterations": SERVER_HASH_ITERATIONS,
            "akey": key,
            "private_key": self.get(keys, "encryptedPrivateKey"),
            "public_key": self.get(keys, "publicKey"),
            "kdf": kdf, "kdf_iterations": it, "kdf_memory": mem, "kdf_parallelism": par,
            "security_stamp": str(uuid.uuid4()), "enabled": 1, "token_gen": 0,
            "created_us": now, "revision_ms": now // 1000,
        }
        with self.store.tx() as st:
            if st.user_by_email(email):
                raise self.err("Registration not allowed or user already exists")
            st.create_user(user)
        out = shapes.register_ok()
        return self.json_response(200, out), user

    def check_password(self, user, client_hash):
        got = server_hash(client_hash, user["password_salt"], user["password_iterations"])
        return hmac.compare_digest(got, user["password_hash"])

    def h_token(self, req):
        ctype = (req.header("Content-Type") or "").lower()
        if self.mode == VW and not ctype.startswith("application/x-www-form-urlencoded"):
            raise self.catcher(415)
        raw = self.form(req)
        if self.mode == COZY:
            return self.token_cozy(req, raw)
        # Vaultwarden ConnectData: names matched case-insensitively, with or without "_".
        f = {}
        for k, v in raw.items():
            f.setdefault(k.lower().replace("_", ""), v)
        grant = f.get("granttype")
        if grant is None:
            raise self.catcher(422)
        if grant == "refresh_token":
            if f.get("refreshtoken") is None:
                raise self.err("refresh_token cannot be blank")
            return self.refresh_grant(f.get("refreshtoken"), f.get("clientid"))
        if grant != "password":
            raise self.err("Invalid type")
        for name in ("client_id", "password", "scope", "username", "device_identifier",
                     "device_name", "device_type"):
            if f.get(name.replace("_", "")) is None:
                raise self.err(name + " cannot be blank")
        if f["scope"] != SCOPE:
            raise self.err("Scope not supported")
        user = self.store.user_by_email(f["username"].strip().lower())
        if not user:
            raise self.err(MSG_BAD_LOGIN)
        if not user["enabled"]:
            raise self.err("This user has been disabled")
        if not self.check_password(user, f["password"]):
            raise self.err(MSG_BAD_LOGIN)
        dtype = as_int(f["devicetype"])
        dtype = 14 if dtype is None else dtype
        device_id = f["deviceidentifier"]
        self.store.ensure_device(user["id"], device_id, f["devicename"], dtype)
        remember = self.two_factor_vw(req, user, f, device_id)
        user = self.store.user_by_id(user["id"])
        access = self.access_token(user, device_id, dtype, f["clientid"])
        refresh = self.new_refresh(user, device_id, f["clientid"])
        return self.json_response(200, shapes.token_success(
            VW, user, access, refresh, self.token_ttl, SCOPE, two_factor_token=remember))

    def refresh_grant(self, token, client_id):
        """§6.6.  Vaultwarden mode rotates the refresh token; Cozy hands the same one back."""
        row = self.store.refresh(sha256_hex(token or ""))
        user = self.store.user_by_id(row["user_id"]) if row else None
        device = self.store.device(row["user_id"], row["device_identifier"]) if row else None
        if (not row or row["expires_us"] <= now_us() or not user or not user["enabled"]
                or not device):
            if row and row["expires_us"] <= now_us():
                self.store.delete_refresh(row["token_hash"])
            raise HttpError(400, shapes.refresh_invalid(self.mode))
        access = self.access_token(user, device["identifier"], device["type"],
                                   row["client_id"] or client_id)
        if self.mode == VW:
            with self.store.tx():
                self.store.delete_refresh(row["token_hash"])
                new = self.new_refresh(user, device["identifier"], row["client_id"] or client_id)
        else:
            new = token
        return self.json_response(200, shapes.refresh_success(
            self.mode, user, access, new, self.token_ttl, SCOPE))

    def token_cozy(self, req, f):
        """cozy-stack web/bitwarden/bitwarden.go GetToken (form values read by exact name)."""
        grant = f.get("grant_type", "")
        if grant == "":
            raise self.err("the grant_type parameter is mandatory")
        if grant == "refresh_token":
            return self.refresh_grant(f.get("refresh_token", ""), None)
        if grant != "password":
            raise self.err("invalid grant type")
        username = (f.get("username") or "").strip().lower()
        user = self.store.user_by_email(username) if username else None
        if not username and self.store.count_users() == 1:
            user = self.store.only_user()  # Cozy has one account per instance
        if not user or not self.check_password(user, f.get("password", "")):
            raise HttpError(401, shapes.cozy_error("invalid password"))
        if not user["enabled"]:
            raise self.err("This user has been disabled")
        if any(t["provider"] == 1 for t in self.store.two_factors(user["id"])):
            code = f.get("twoFactorToken", "")
            cached = self.cozy_codes.get(user["id"])
            ok = bool(code) and cached and cached[1] > time.time() and \
                same(cached[0], code)
            if not ok:
                new_code = "%06d" % secrets.randbelow(1_000_000)
                self.cozy_codes[user["id"]] = (new_code, time.time() + EMAIL_CODE_TTL_S[COZY])
                self.store.add_email(user["email"], "two-factor-login", new_code)
                raise HttpError(400, shapes.two_factor_required(COZY, [1], user["email"]))
        # Each password login registers a new OAuth client (= device) on Cozy.
        client_id = str(uuid.uuid4()).replace("-", "")
        dtype = as_int(f.get("deviceType"))
        dtype = 14 if dtype is None else dtype
        self.store.ensure_device(user["id"], client_id, f.get("deviceName"), dtype)
        access = self.access_token(user, client_id, dtype, client_id)
        refresh = self.new_refresh(user, client_id, client_id)
        return self.json_response(200, shapes.token_success(
            COZY, user, access, refresh, self.token_ttl, SCOPE, client_id=client_id,
            registration_token=b64u(secrets.token_bytes(32))))

    # -- two-factor (Vaultwarden) -----------------------------------------------------------

    def two_factor_vw(self, req, user, f, device_id):
        """Vaultwarden identity.rs twofactor_auth (§6.5).  Returns a remember token or None."""
        tfs = self.store.two_factors(user["id"])
        if not tfs:
            return None
        by_type = {t["provider"]: t for t in tfs}
        ids = [t["provider"] for t in tfs]

        def required():
            version = parse_semver(req.header("Bitwarden-Client-Version"))
            if ids == [1] and not (version and version >= (2025, 5, 0)):
                self.send_email_code(user, by_type[1])  # auto-send: e-mail is the only provider
            email = by_type[1]["data"].get("email", user["email"]) if 1 in by_type \
                else user["email"]
            return HttpError(400, shapes.two_factor_required(VW, ids, email))

        provider = as_int(f.get("twofactorprovider"))
        provider = ids[0] if provider is None else provider
        if provider not in (5, 8) and provider not in ids:
            raise required()
        code = f.get("twofactortoken")
        if code is None:
            raise required()
        if provider == 0:
            self.validate_totp(user, by_type[0], code)
        elif provider == 1:
            self.validate_email_code(user, by_type[1], code)
        elif provider == 5:
            dev = self.store.device(user["id"], device_id)
            stored = dev["remember_token"] if dev else None
            if not (stored and same(stored, code)):
                if stored:
                    self.store.set_remember(user["id"], device_id, None)
                raise required()
        else:
            raise self.err("Invalid two factor provider")
        if as_int(f.get("twofactorremember")) == 1:
            token = base64.b64encode(secrets.token_bytes(96)).decode()
            self.store.set_remember(user["id"], device_id, token)
            return token
        return None

    def validate_totp(self, user, tf, code):
        """authenticator.rs validate_totp_code: current step ±1, a used step is refused."""
        if not all(ch.isdigit() for ch in code):
            raise self.err("TOTP code is not a number")
        now = time.time()
        msg = "Invalid TOTP code! Server time: %s IP: 127.0.0.1" % time.strftime(
            "%Y-%m-%d %H:%M:%S UTC", time.gmtime(now))
        with self.store.tx() as st:
            tf = {t["provider"]: t for t in st.two_factors(user["id"])}.get(0, tf)
            data = tf["data"]
            last = data.get("last_used_step", -1)
            current = int(now) // 30
            for step in (current - 1, current, current + 1):
                if same(totp_at(data["secret"], step), code):
                    if step > last:
                        data["last_used_step"] = step
                        st.update_two_factor_data(user["id"], 0, data)
                        return
                    break
        raise self.err(msg)

    def send_email_code(self, user, tf):
        """email.rs send_token: a 6-digit code, recorded for /__test/emails."""
        code = "%06d" % secrets.randbelow(1_000_000)
        data = dict(tf["data"])
        data.update(last_token=code, token_sent=int(time.time()), attempts=0)
        self.store.update_two_factor_data(user["id"], 1, data)
        self.store.add_email(data.get("email", user["email"]), "two-factor-login", code)
        return code

    def validate_email_code(self, user, tf, code):
        """email.rs validate_email_code_str."""
        current = {t["provider"]: t for t in self.store.two_factors(user["id"])}.get(1, tf)
        data = dict(current["data"])
        issued = data.get("last_token")
        if not issued:
            raise self.err("No token available")
        if not same(issued, code):
            data["attempts"] = data.get("attempts", 0) + 1
            if data["attempts"] >= EMAIL_ATTEMPTS_LIMIT:
                data["last_token"] = None
                data["attempts"] = 0
            self.store.update_two_factor_data(user["id"], 1, data)
            raise self.err("Token is invalid")
        sent = data.get("token_sent", 0)
        data.update(last_token=None, attempts=0)
        self.store.update_two_factor_data(user["id"], 1, data)
        if sent + EMAIL_CODE_TTL_S[VW] < time.time():
            raise self.err("Token has expired")

    def h_send_email_login(self, req):
        """POST /api/two-factor/send-email-login {email, masterPasswordHash, deviceIdentifier}."""
        body = self.body_json(req)
        email = self.get(body, "email")
        mph = self.get(body, "masterPasswordHash")
        if not isinstance(email, str) or not email:
            raise self.err("Please provide an email")
        if not isinstance(mph, str):
            raise self.err("No password hash has been submitted.")
        user = self.store.user_by_email(email.strip().lower())
        if not user or not self.check_password(user, mph):
            raise self.err(MSG_BAD_LOGIN + ".")
        tf = {t["provider"]: t for t in self.store.two_factors(user["id"])}.get(1)
        if not tf:
            raise self.err("Email 2FA is disabled")
        self.send_email_code(user, tf)
        return self.empty()

    # -- misc api ------------------------------------------------------------------------

    def h_config(self, req):
        base = "http://" + (req.header("Host") or "127.0.0.1")
        return self.json_response(200, shapes.config(self.version, base))

    def h_alive(self, req):
        return self.json_response(200, shapes.now_string(now_us()))

    def h_revision_date(self, req, user):
        body, ctype = shapes.revision_date(self.mode, user["revision_ms"])
        return Response(200, body, ctype)

    def two_factor_enabled(self, user):
        return bool(self.store.two_factors(user["id"]))

    def h_profile(self, req, user):
        return self.json_response(200, shapes.profile(self.mode, user,
                                                      self.two_factor_enabled(user)))

    def _domains_obj(self, user, drop_excluded):
        return shapes.domains(self.mode, json.loads(user["equivalent_domains"]),
                              json.loads(user["excluded_globals"]), drop_excluded)

    def h_sync(self, req, user):
        """§6.9.  Vaultwarden hides SSH keys (type 5) from clients older than 2024.12.0."""
        if self.mode == VW:
            exclude = parse_bool(req.q("excludeDomains")) is True
        else:
            exclude = bool(req.q("excludeDomains"))  # cozy: any non-empty value excludes
        ciphers = self.store.ciphers(user["id"])
        if self.mode == VW:
            version = parse_semver(req.header("Bitwarden-Client-Version"))
            if not (version and version >= (2024, 12, 0)):
                ciphers = [c for c in ciphers if c["data"].get("type") != 5]
        domains = None if exclude else self._domains_obj(user, drop_excluded=True)
        return self.json_response(200, shapes.sync(
            self.mode, user, self.two_factor_enabled(user), self.store.folders(user["id"]),
            ciphers, domains))

    def h_domains_get(self, req, user):
        return self.json_response(200, self._domains_obj(user, drop_excluded=False))

    def h_domains_put(self, req, user):
        body = self.body_json(req)
        eq = self.get(body, "equivalentDomains") or []
        ex_key = "excludedGlobalEquivalentDomains" if self.mode == VW else "globalEquivalentDomains"
        ex = self.get(body, ex_key) or []
        if not (isinstance(eq, list) and all(isinstance(g, list) and
                                             all(isinstance(d, str) for d in g) for g in eq)):
            raise self.missing()
        if not (isinstance(ex, list) and all(as_int(x) is not None for x in ex)):
            raise self.missing()
        ex = [as_int(x) for x in ex]
        self.store.update_user(user["id"], equivalent_domains=json.dumps(eq),
                               excluded_globals=json.dumps(ex))
        self.store.bump_revision(user["id"])
        return self.json_response(200, shapes.domains_saved(self.mode, eq, ex))

    # -- folders -------------------------------------------------------------------------

    def _folder_or_error(self, user, fid):
        f = self.store.folder(user["id"], fid)
        if not f:
            if self.mode == VW:
                raise self.err("Invalid folder")
            raise HttpError(404, shapes.cozy_error("not found"))
        return f

    def _folder_name(self, req):
        body = self.body_json(req)
        name = self.get(body, "name")
        if self.mode == VW and not isinstance(name, str):
            raise self.missing()
        if self.mode == COZY and not name:
            raise self.err("missing name")
        return name

    def h_folders_list(self, req, user):
        return self.json_response(200, shapes.list_of(
            self.mode, [shapes.folder(self.mode, f) for f in self.store.folders(user["id"])]))

    def h_folder_get(self, req, user, fid):
        return self.json_response(200, shapes.folder(self.mode, self._folder_or_error(user, fid)))

    def h_folder_create(self, req, user):
        name = self._folder_name(req)
        t = now_us()
        f = {"id": str(uuid.uuid4()), "user_id": user["id"], "name": name, "created_us": t,
             "revision_us": t}
        self.store.put_folder(f)
        self.store.bump_revision(user["id"])
        return self.json_response(200, shapes.folder(self.mode, f))

    def h_folder_update(self, req, user, fid):
        f = self._folder_or_error(user, fid)
        f["name"] = self._folder_name(req)
        f["revision_us"] = now_us()
        self.store.put_folder(f)
        self.store.bump_revision(user["id"])
        return self.json_response(200, shapes.folder(self.mode, f))

    def h_folder_delete(self, req, user, fid):
        self._folder_or_error(user, fid)
        self.store.delete_folder(user["id"], fid)  # un-files its ciphers (§6.11)
        self.store.bump_revision(user["id"])
        return self.empty()

    # -- ciphers -------------------------------------------------------------------------

    def _cipher_or_404(self, user, cid):
        c = self.store.cipher(user["id"], cid)
        if not c:
            if self.mode == VW:
                raise HttpError(404, shapes.vw_error("Cipher doesn't exist"))
            raise HttpError(404, shapes.cozy_error("not found"))
        return c

    def _cipher_json(self, c):
        return self.json_response(200, shapes.cipher(self.mode, c))

    def cipher_data_vw(self, user, body, existing, index=None):
        """Vaultwarden CipherData + update_cipher_from_data (§7.2).  Returns
        (stored data, folder id, favorite or None)."""
        ctype, name = body.get("type"), body.get("name")
        if as_int(ctype) is None or isinstance(ctype, str) or not isinstance(name, str):
            raise self.missing()
        if existing is not None:
            lkr = body.get("lastKnownRevisionDate")
            known = parse_iso_us(lkr) if isinstance(lkr, str) else None
            if known is not None and int((existing["revision_us"] - known) / 1_000_000) > 1:
                raise self.err(MSG_OUT_OF_DATE)
        notes = body.get("notes")
        if isinstance(notes, str) and len(notes) > MAX_NOTE_SIZE:
            raise self.err("The field Notes exceeds the maximum encrypted value length of "
                           "%d characters." % MAX_NOTE_SIZE)
        if body.get("organizationId"):
            raise self.err("You don't have permission to add item to organization")
        folder_id = body.get("folderId")
        if folder_id is not None and not (isinstance(folder_id, str) and
                                          self.store.folder(user["id"], folder_id)):
            raise self.err("Invalid folder")
        if ctype not in TYPE_KEYS:
            raise self.err("Invalid type")
        type_key = TYPE_KEYS[ctype]
        type_data = body.get(type_key)
        if type_data is None:
            raise self.err("Data missing")
        if isinstance(type_data, dict):
            type_data = {k: v for k, v in type_data.items() if k.lower() != "response"}
        reprompt = body.get("reprompt")
        data = {
            "type": ctype,
            "key": body.get("key"),
            "name": name,
            "notes": notes,
            "fields": body.get("fields"),
            "passwordHistory": body.get("passwordHistory"),
            "reprompt": reprompt if isinstance(reprompt, int) and not isinstance(reprompt, bool)
            else None,
            type_key: type_data,
        }
        favorite = body.get("favorite")
        return data, folder_id, favorite if isinstance(favorite, bool) else None

    def cipher_data_cozy(self, user, body, existing):
        """cozy-stack ciphers.go cipherRequest.toCipher: what Cozy keeps of a cipher.
        No per-cipher key, reprompt, password history, uriChecksum or SSH keys."""
        g = self.get
        ctype, name = g(body, "type"), g(body, "name")
        if ctype is not None and (as_int(ctype) is None or isinstance(ctype, str)):
            raise self.err("invalid JSON")
        if not name:
            raise self.err("name is mandatory")
        data = {"type": ctype, "name": name, "notes": g(body, "notes") or ""}
        data["fields"] = [{"type": as_int(g(f, "type")) or 0, "name": g(f, "name") or "",
                           "value": g(f, "value") or ""}
                          for f in (g(body, "fields") or []) if isinstance(f, dict)]
        if ctype == 1:
            lg = g(body, "login") or {}
            uris = [{"uri": g(u, "uri") or "", "match": g(u, "match")}
                    for u in (g(lg, "uris") or []) if isinstance(u, dict)]
            if g(lg, "uri"):  # legacy login.uri is appended to the list
                uris.append({"uri": g(lg, "uri"), "match": None})
            data["login"] = {"uris": uris, "username": g(lg, "username") or "",
                             "password": g(lg, "password") or "",
                             "passwordRevisionDate": g(lg, "passwordRevisionDate") or "",
                             "totp": g(lg, "totp") or ""}
        elif ctype in (2, 3, 4):
            key = TYPE_KEYS[ctype]
            v = g(body, key)
            data[key] = v if isinstance(v, dict) else {}
        else:
            raise self.err("type has an unknown value")
        folder_id = g(body, "folderId") or None
        if folder_id and (existing is None or folder_id != existing.get("folder_id")):
            if not self.store.folder(user["id"], folder_id):
                raise self.err("folder not found")
        return data, folder_id, bool(g(body, "favorite"))

    def cipher_data(self, user, body, existing):
        if self.mode == VW:
            return self.cipher_data_vw(user, body, existing)
        return self.cipher_data_cozy(user, body, existing)

    def h_ciphers_list(self, req, user):
        return self.json_response(200, shapes.list_of(
            self.mode, [shapes.cipher(self.mode, c) for c in self.store.ciphers(user["id"])]))

    def h_cipher_get(self, req, user, cid):
        return self._cipher_json(self._cipher_or_404(user, cid))

    def h_cipher_create(self, req, user):
        body = self.body_json(req)
        data, folder_id, favorite = self.cipher_data(user, body, None)
        t = now_us()
        c = {"id": str(uuid.uuid4()), "user_id": user["id"], "folder_id": folder_id,
             "favorite": bool(favorite), "data": data, "created_us": t, "revision_us": t,
             "deleted_us": None}
        self.store.put_cipher(c)
        self.store.bump_revision(user["id"])
        return self._cipher_json(c)

    def h_cipher_update(self, req, user, cid):
        body = self.body_json(req)
        with self.store.tx():
            c = self._cipher_or_404(user, cid)
            data, folder_id, favorite = self.cipher_data(user, body, c)
            c["data"] = data
            c["folder_id"] = folder_id
            if favorite is not None:
                c["favorite"] = favorite
            c["revision_us"] = max(now_us(), c["revision_us"] + 1)
            self.store.put_cipher(c)
            self.store.bump_revision(user["id"])
        return self._cipher_json(c)

    def h_cipher_partial(self, req, user, cid):
        """PUT /ciphers/{id}/partial {folderId, favorite}: per-user data only, so the
        cipher's own revisionDate does not move (Vaultwarden)."""
        body = self.body_json(req)
        favorite = body.get("favorite")
        if not isinstance(favorite, bool):
            raise self.missing()
        folder_id = body.get("folderId")
        with self.store.tx():
            c = self._cipher_or_404(user, cid)
            if folder_id is not None and not (isinstance(folder_id, str) and
                                              self.store.folder(user["id"], folder_id)):
                raise self.err("Invalid folder")
            c["folder_id"], c["favorite"] = folder_id, favorite
            self.store.put_cipher(c)
            self.store.bump_revision(user["id"])
        return self._cipher_json(c)

    def _soft_delete(self, user, c):
        t = max(now_us(), c["revision_us"] + 1)
        c["deleted_us"] = t
        c["revision_us"] = t
        self.store.put_cipher(c)

    def _restore(self, user, c):
        c["deleted_us"] = None
        c["revision_us"] = max(now_us(), c["revision_us"] + 1)
        self.store.put_cipher(c)

    def h_cipher_soft_delete(self, req, user, cid):
        with self.store.tx():
            self._soft_delete(user, self._cipher_or_404(user, cid))
            self.store.bump_revision(user["id"])
        return self.empty()

    def h_cipher_restore(self, req, user, cid):
        with self.store.tx():
            c = self._cipher_or_404(user, cid)
            self._restore(user, c)
            self.store.bump_revision(user["id"])
        return self._cipher_json(c) if self.mode == VW else self.empty()

    def h_cipher_hard_delete(self, req, user, cid):
        with self.store.tx():
            self._cipher_or_404(user, cid)
            self.store.delete_cipher(user["id"], cid)
            self.store.bump_revision(user["id"])
        return self.empty()

    def _ids(self, req):
        body = self.body_json(req)
        ids = self.get(body, "ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise self.missing()
        if not ids and self.mode == COZY:
            raise self.err("Request missing ids field")
        return body, ids

    def h_ciphers_bulk_soft(self, req, user):
        _, ids = self._ids(req)
        with self.store.tx():
            for cid in ids:
                c = self.store.cipher(user["id"], cid)
                if c:
                    self._soft_delete(user, c)
            self.store.bump_revision(user["id"])
        return self.empty()

    def h_ciphers_bulk_hard(self, req, user):
        _, ids = self._ids(req)
        with self.store.tx():
            for cid in ids:
                self.store.delete_cipher(user["id"], cid)
            self.store.bump_revision(user["id"])
        return self.empty()

    def h_ciphers_bulk_restore(self, req, user):
        _, ids = self._ids(req)
        out = []
        with self.store.tx():
            for cid in ids:
                c = self.store.cipher(user["id"], cid)
                if c:
                    self._restore(user, c)
                    out.append(shapes.cipher(self.mode, c))
            self.store.bump_revision(user["id"])
        return self.json_response(200, shapes.list_of(self.mode, out))

    def h_ciphers_move(self, req, user):
        body, ids = self._ids(req)
        folder_id = body.get("folderId")
        with self.store.tx():
            if folder_id is not None and not (isinstance(folder_id, str) and
                                              self.store.folder(user["id"], folder_id)):
                raise self.err("Invalid folder")
            for cid in ids:
                c = self.store.cipher(user["id"], cid)
                if c:
                    c["folder_id"] = folder_id
                    self.store.put_cipher(c)
            self.store.bump_revision(user["id"])
        return self.empty()

    def h_import(self, req, user):
        """POST /ciphers/import {ciphers, folders: [{name}],
        folderRelationships: [{key: cipher index, value: folder index}]}."""
        body = self.body_json(req)
        ciphers = self.get(body, "ciphers")
        folders = self.get(body, "folders") or []
        rels = self.get(body, "folderRelationships") or []
        if not isinstance(ciphers, list) or not isinstance(folders, list) or \
                not isinstance(rels, list):
            raise self.missing()
        if self.mode == VW:
            # Cipher::validate_cipher_data: the whole import is refused if one note is too long.
            errors = {}
            for i, c in enumerate(ciphers):
                notes = c.get("notes") if isinstance(c, dict) else None
                if isinstance(notes, str) and len(notes) > MAX_NOTE_SIZE:
                    errors["Ciphers[%d].Notes" % i] = [
                        "The field Notes exceeds the maximum encrypted value length of "
                        "%d characters." % MAX_NOTE_SIZE]
            if errors:
                raise HttpError(400, shapes.vw_validation_error(errors))
        with self.store.tx():
            t = now_us()
            folder_ids = []
            for f in folders:
                name = self.get(f, "name")
                if not isinstance(name, str):
                    raise self.missing()
                fid = self.get(f, "id")
                if not (isinstance(fid, str) and self.store.folder(user["id"], fid)):
                    fid = str(uuid.uuid4())
                    self.store.put_folder({"id": fid, "user_id": user["id"], "name": name,
                                           "created_us": t, "revision_us": t})
                folder_ids.append(fid)
            relation = {}
            for r in rels:
                k, v = as_int(self.get(r, "key")), as_int(self.get(r, "value"))
                if k is not None and v is not None and 0 <= v < len(folder_ids):
                    relation[k] = folder_ids[v]
            for i, cbody in enumerate(ciphers):
                if not isinstance(cbody, dict):
                    raise self.missing()
                cbody = dict(cbody)
                cbody["folderId"] = relation.get(i)
                data, folder_id, favorite = self.cipher_data(user, cbody, None)
                self.store.put_cipher({"id": str(uuid.uuid4()), "user_id": user["id"],
                                       "folder_id": folder_id, "favorite": bool(favorite),
                                       "data": data, "created_us": t, "revision_us": t,
                                       "deleted_us": None})
            self.store.bump_revision(user["id"])
        return self.empty()

    # -- test control --------------------------------------------------------------------

    def test_control(self, req):
        """/__test/* (no auth): the tests act as the server administrator."""
        name = req.path[len("/__test/"):]
        ok = lambda obj=None: self.json_response(200, obj if obj is not None else {"ok": True})

        def user_from(body_or_email):
            email = body_or_email if isinstance(body_or_email, str) else \
                (body_or_email.get("email") if isinstance(body_or_email, dict) else None)
            u = self.store.user_by_email(email.strip().lower()) if isinstance(email, str) else None
            if not u:
                raise HttpError(404, {"error": "no such user"})
            return u

        if req.method == "GET" and name == "requests":
            with self.log_lock:
                entries = list(self.log)
            return ok({"requests": entries, "count": len(entries)})
        if req.method == "POST" and name == "reset-log":
            with self.log_lock:
                self.log.clear()
            return ok()
        if req.method == "GET" and name == "emails":
            email = (req.q("email") or "").strip().lower()
            rows = self.store.emails(email or None)
            return ok({"email": email or None, "codes": [r["code"] for r in rows],
                       "last": rows[-1]["code"] if rows else None,
                       "emails": [{"email": r["email"], "purpose": r["purpose"],
                                   "code": r["code"], "sentAt": shapes.date_vw(r["sent_us"])}
                                  for r in rows]})
        if req.method == "GET" and name == "totp":
            u = user_from(req.q("email"))
            tf = {t["provider"]: t for t in self.store.two_factors(u["id"])}.get(0)
            if not tf:
                raise HttpError(404, {"error": "TOTP not enabled"})
            step = int(time.time()) // 30 + (as_int(req.q("offset")) or 0)
            return ok({"code": totp_at(tf["data"]["secret"], step), "step": step,
                       "secret": tf["data"]["secret"]})
        if req.method != "POST":
            raise HttpError(404, {"error": "unknown test endpoint"})
        try:
            body = json.loads(req.body.decode("utf-8") or "{}")
        except ValueError:
            raise HttpError(400, {"error": "invalid JSON"})
        if not isinstance(body, dict):
            raise HttpError(400, {"error": "invalid JSON"})

        if name == "register":
            resp, user = self.register(req, validate_kdf=False)
            out = json.loads(resp.body)
            out["id"] = user["id"]
            return ok(out)
        if name == "two-factor":
            u = user_from(body)
            provider = as_int(body.get("provider"))
            enabled = body.get("enabled", True) is not False
            if provider not in (0, 1) or (self.mode == COZY and provider != 1):
                raise HttpError(400, {"error": "provider must be 0 (TOTP) or 1 (e-mail)"
                                      if self.mode == VW else "cozy mode only has e-mail 2FA (1)"})
            out = {"provider": provider, "enabled": enabled}
            if provider == 0:
                secret = body.get("secret") or base64.b32encode(secrets.token_bytes(20)).decode()
                data = {"secret": secret, "last_used_step": -1}
                out["secret"] = secret
            else:
                data = {"email": body.get("emailAddress") or u["email"], "last_token": None,
                        "token_sent": 0, "attempts": 0}
            self.store.set_two_factor(u["id"], provider, data, enabled)
            self.store.bump_revision(u["id"])
            return ok(out)
        if name == "security-stamp":
            u = user_from(body)
            stamp = str(uuid.uuid4())
            with self.store.tx():
                self.store.update_user(u["id"], security_stamp=stamp)
                self.store.delete_user_refresh(u["id"])  # like Vaultwarden's "deauthorize"
                self.store.bump_revision(u["id"])
            return ok({"securityStamp": stamp})
        if name == "disable":
            u = user_from(body)
            disabled = body.get("disabled", True) is not False
            with self.store.tx():
                self.store.update_user(u["id"], enabled=0 if disabled else 1)
                if disabled:  # Vaultwarden's admin "disable" also ends every session
                    self.store.update_user(u["id"], security_stamp=str(uuid.uuid4()))
                    self.store.delete_user_refresh(u["id"])
            return ok({"enabled": not disabled})
        if name == "expire-tokens":
            u = user_from(body)
            with self.store.tx():
                self.store.update_user(u["id"], token_gen=u["token_gen"] + 1)
                if body.get("refresh") is True:  # also expire the refresh tokens
                    self.store.delete_user_refresh(u["id"])
            return ok()
        if name == "kdf":
            u = user_from(body)
            kdf = as_int(body.get("kdf"))
            fields = {"kdf": u["kdf"] if kdf is None else kdf}
            for src, dst in (("kdfIterations", "kdf_iterations"), ("kdfMemory", "kdf_memory"),
                             ("kdfParallelism", "kdf_parallelism")):
                if src in body:
                    fields[dst] = as_int(body[src])
            self.store.update_user(u["id"], **fields)
            return ok()
        if name == "touch-cipher":
            u = user_from(body)
            c = self.store.cipher(u["id"], str(body.get("id")))
            if not c:
                raise HttpError(404, {"error": "no such cipher"})
            # "another client edited it": revisionDate = now (+ `seconds`, to provoke the
            # "out of date" conflict without sleeping).
            ahead = int(float(body.get("seconds") or 0) * 1_000_000)
            c["revision_us"] = max(now_us() + ahead, c["revision_us"] + 1)
            self.store.put_cipher(c)
            self.store.bump_revision(u["id"])
            return ok({"revisionDate": shapes.date(self.mode, c["revision_us"])})
        raise HttpError(404, {"error": "unknown test endpoint"})


# ----------------------------------------------------------------------------------------
# HTTP glue
# ----------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bwserver"
    sys_version = ""
    app = None  # set in main()

    def log_message(self, fmt, *args):  # request logging is App._finish's job (no secrets)
        pass

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _serve(self):
        parts = urlsplit(self.path)
        body = self._read_body()
        req = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                      self.headers, body)
        req.query_string = parts.query
        resp = self.app.handle(req)
        self.send_response(resp.status)
        if resp.ctype:
            self.send_header("Content-Type", resp.ctype)
        self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    ap = argparse.ArgumentParser(description="Bitwarden-protocol test server (Keyfill)")
    ap.add_argument("--db", required=True, help="SQLite file (created if missing)")
    ap.add_argument("--mode", required=True, choices=[VW, COZY])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token-ttl", type=int, default=7200, help="access token lifetime, seconds")
    ap.add_argument("--version", default="2026.6.0", help="version reported by /api/config")
    ap.add_argument("--verbose", action="store_true", help="log METHOD PATH STATUS to stderr")
    args = ap.parse_args(argv)

    store = Store(args.db)
    Handler.app = App(args.mode, store, args.token_ttl, args.version, args.verbose)
    if ":" in args.host:
        Server.address_family = socket.AF_INET6
    httpd = Server((args.host, args.port), Handler)
    host, port = httpd.server_address[:2]
    def on_sigterm(*_):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    shown = "[%s]" % host if ":" in host else host
    print("listening http://%s:%d" % (shown, port), flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
