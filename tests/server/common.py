"""Shared by the test server's modules: imports, protocol constants, small helpers, and the
request and response types. See bwserver.py."""


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
        self.drop = False  # close the connection without answering (an injected fault)


# ----------------------------------------------------------------------------------------
# the application
# ----------------------------------------------------------------------------------------
