#!/usr/bin/env python3
"""Self-test of the Bitwarden-protocol test server:  python3 tests/server/selftest.py

Starts bwserver.py as a subprocess in both modes on temporary databases, builds real
accounts with tests/interop/bwref.py (independent client crypto, needs `cryptography`) and
exercises every endpoint and rule with urllib: registration, prelogin, password grant
(scope, wrong password, disabled user), TOTP 2FA (±1 step, reuse, remember token),
e-mail 2FA, refresh (rotation, invalid), 401 on expiry / stamp change, sync shapes per
mode, revision-date bumps, cipher create/update/conflict/partial/soft delete/restore/
hard delete/import, folders, the request log, injected faults, and persistence across a
restart.
Exit status 0 when everything passes.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "interop"))
sys.path.insert(0, HERE)
import bwref  # noqa: E402  (independent client crypto)
from bwserver import totp_at  # noqa: E402  (RFC 6238 helper only)

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

SERVER = os.path.join(HERE, "bwserver.py")
PASSWORD = "correct horse battery staple"
FAILURES = []
CHECKS = [0]


def check(cond, what, detail=None):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)
        print("  FAIL: %s%s" % (what, "" if detail is None else " -- %r" % (detail,)))
    return cond


def section(name):
    print("- " + name)


# ----------------------------------------------------------------------------------------
# process + HTTP helpers
# ----------------------------------------------------------------------------------------


class Server:
    def __init__(self, mode, db, *extra):
        self.mode = mode
        self.proc = subprocess.Popen([sys.executable, SERVER, "--db", db, "--mode", mode] +
                                     list(extra), stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening http"), line
        self.origin = line.split(" ", 1)[1]
        self.base = self.origin + ("/bitwarden" if mode == "cozy" else "")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


def http(method, url, body=None, form=None, token=None, headers=None):
    h = dict(headers or {})
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        h.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    elif body is not None:
        data = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json; charset=utf-8")
    if token:
        h["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return Resp(r.status, dict(r.headers), r.read().decode())
    except urllib.error.HTTPError as e:
        return Resp(e.code, dict(e.headers), e.read().decode())


class Account:
    """Client-side key material built with bwref (docs/protocol.md §1-§5)."""

    def __init__(self, email, iterations, password=PASSWORD, argon=None):
        """`argon` = (iterations, memory MiB, parallelism) for an Argon2id account."""
        self.email = email
        self.salt = email.strip().lower()
        self.iterations = argon[0] if argon else iterations
        self.argon = argon
        if argon:
            mk = bwref.master_key(password, email, argon)
        else:
            mk = hashlib.pbkdf2_hmac("sha256", password.encode(), self.salt.encode(), iterations,
                                     32)
        self.stretched = bwref.stretch(mk)
        self.hash = base64.b64encode(hashlib.pbkdf2_hmac("sha256", mk, password.encode(), 1,
                                                         32)).decode()
        self.user_key = os.urandom(64)
        priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.priv_der = priv.private_bytes(serialization.Encoding.DER,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption())
        self.pub = base64.b64encode(priv.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
        self.key = bwref.enc(self.stretched, self.user_key)
        self.private_key = bwref.enc(self.user_key, self.priv_der)

    def register_body(self):
        return {"email": self.email, "name": "Test " + self.salt, "masterPasswordHash": self.hash,
                "masterPasswordHint": None, "key": self.key, "kdf": 1 if self.argon else 0,
                "kdfIterations": self.iterations,
                "kdfMemory": self.argon[1] if self.argon else None,
                "kdfParallelism": self.argon[2] if self.argon else None,
                "keys": {"publicKey": self.pub, "encryptedPrivateKey": self.private_key}}

    def enc(self, text):
        return bwref.enc(self.user_key, text)


def jwt_payload(token):
    p = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


def login_form(acct, device="dev-1", **extra):
    f = {"grant_type": "password", "username": acct.email, "password": acct.hash,
         "scope": "api offline_access", "client_id": "browser", "deviceType": "2",
         "deviceIdentifier": device, "deviceName": "chrome"}
    f.update(extra)
    return {k: v for k, v in f.items() if v is not None}


def all_keys(v, acc):
    if isinstance(v, dict):
        for k, x in v.items():
            acc.append(k)
            all_keys(x, acc)
    elif isinstance(v, list):
        for x in v:
            all_keys(x, acc)
    return acc


def totp_code(secret, step):
    return totp_at(secret, step)


def safe_totp_window(need=6):
    """Wait for a fresh 30 s window if fewer than `need` seconds are left in this one."""
    left = 30 - (time.time() % 30)
    if left < need:
        time.sleep(left + 0.2)
    return int(time.time()) // 30


def login_cipher(acct, name="Example", uri="https://example.test/login", **extra):
    c = {"type": 1, "name": acct.enc(name), "notes": acct.enc("a note"), "favorite": False,
         "folderId": None, "organizationId": None, "reprompt": 0, "key": None,
         "fields": [{"type": 0, "name": acct.enc("f"), "value": acct.enc("v"), "linkedId": None}],
         "passwordHistory": None,
         "login": {"username": acct.enc("alice"), "password": acct.enc("pw"), "totp": None,
                   "passwordRevisionDate": None, "autofillOnPageLoad": None,
                   "fido2Credentials": None,
                   "uris": [{"uri": acct.enc(uri), "uriChecksum": acct.enc("x"), "match": None},
                            {"uri": acct.enc("https://second.test"), "uriChecksum": None,
                             "match": "3"}]},
         "secureNote": None, "card": None, "identity": None, "sshKey": None,
         "lastKnownRevisionDate": None}
    c.update(extra)
    return c


# ----------------------------------------------------------------------------------------
# Vaultwarden mode
# ----------------------------------------------------------------------------------------


def test_vaultwarden(tmp):
    db = os.path.join(tmp, "vw.sqlite")
    srv = Server("vaultwarden", db, "--version", "2026.6.0")
    B = srv.base
    try:
        state = vaultwarden_part1(B)
        faults(B)
    finally:
        srv.stop()
    # Persistence: restart on the same database with a 2 s token lifetime.
    section("vaultwarden: restart on the same database")
    srv = Server("vaultwarden", db, "--token-ttl", "2")
    try:
        vaultwarden_after_restart(srv.base, state)
    finally:
        srv.stop()


def vaultwarden_part1(B):
    alice = Account("Alice@Example.TEST ", 100_000)
    bob = Account("bob@example.test", 100_000)

    section("vaultwarden: meta endpoints")
    r = http("GET", B + "/api/alive")
    check(r.status == 200 and isinstance(r.json, str) and r.json.endswith("Z"), "alive", r)
    r = http("GET", B + "/api/config")
    check(r.status == 200 and r.json["version"] == "2026.6.0" and
          r.json["server"]["name"] == "Vaultwarden" and r.json["object"] == "config", "config", r)
    check(r.json["featureStates"].get("cipher-key-encryption") is True and
          r.json["environment"]["api"] == B + "/api", "config: cipher keys advertised", r)
    r = http("GET", B + "/api/nothing-here")
    check(r.status == 404 and r.json == {"error": {
        "code": 404, "reason": "Not Found",
        "description": "The requested resource could not be found."}}, "404 catcher", r)

    section("vaultwarden: registration")
    r = http("POST", B + "/identity/accounts/register", alice.register_body())
    check(r.status == 200 and r.json == {"object": "register", "captchaBypassToken": ""},
          "register alice", r)
    r = http("POST", B + "/identity/accounts/register", alice.register_body())
    check(r.status == 400 and r.json["message"] == "Registration not allowed or user already exists"
          and r.json["object"] == "error", "duplicate registration", r)
    low = Account("low@example.test", 5000).register_body()
    r = http("POST", B + "/identity/accounts/register", low)
    check(r.status == 400 and "100000" in r.json["message"], "PBKDF2 < 100000 refused", r)
    r = http("POST", B + "/identity/accounts/register", {"email": "x@example.test"})
    check(r.status == 422, "register without hash -> 422", r)
    r = http("POST", B + "/identity/accounts/register", bob.register_body())
    check(r.status == 200, "register bob", r)

    section("vaultwarden: prelogin")
    for path in ("/identity/accounts/prelogin/password", "/identity/accounts/prelogin",
                 "/api/accounts/prelogin"):
        r = http("POST", B + path, {"email": "ALICE@example.test"})
        check(r.status == 200 and r.json == {
            "kdf": 0, "kdfIterations": 100000, "kdfMemory": None, "kdfParallelism": None,
            "kdfSettings": {"kdfType": 0, "iterations": 100000, "memory": None,
                            "parallelism": None},
            "salt": None}, "prelogin known " + path, r)
    r = http("POST", B + "/identity/accounts/prelogin", {"email": "nobody@example.test"})
    check(r.status == 200 and r.json["kdf"] == 0 and r.json["kdfIterations"] == 600000,
          "prelogin unknown -> defaults", r)

    section("vaultwarden: password grant")
    T = B + "/identity/connect/token"
    r = http("POST", T, form=login_form(alice, scope="api"))
    check(r.status == 400 and r.json["message"] == "Scope not supported" and
          r.json["errorModel"] == {"message": "Scope not supported", "object": "error"} and
          r.json["validationErrors"] == {"": ["Scope not supported"]}, "wrong scope", r)
    r = http("POST", T, form=login_form(alice, deviceType=None))
    check(r.status == 400 and r.json["message"] == "device_type cannot be blank",
          "missing device type", r)
    bad = Account("Alice@Example.TEST ", 100_000, "wrong password")
    r = http("POST", T, form=login_form(alice, password=bad.hash))
    check(r.status == 400 and r.json["message"] == "Username or password is incorrect. Try again"
          and r.json["error"] == "" and r.json["object"] == "error", "wrong password", r)
    r = http("POST", T, form=login_form(alice, username="nobody@example.test"))
    check(r.status == 400 and r.json["message"] == "Username or password is incorrect. Try again",
          "unknown user", r)
    r = http("POST", T, body={"grant_type": "password"})
    check(r.status == 415, "JSON body on /connect/token refused", r)
    # snake_case + odd case field names are accepted
    f = login_form(alice)
    for a, b in (("deviceType", "device_type"), ("deviceIdentifier", "Device_Identifier"),
                 ("deviceName", "DEVICENAME")):
        f[b] = f.pop(a)
    r = http("POST", T, form=f)
    check(r.status == 200, "snake/odd-case field names", r)
    r = http("POST", T, form=login_form(alice, username="  ALICE@example.test "))
    check(r.status == 200, "login alice", r)
    tok = r.json
    check(list(tok)[:4] == ["access_token", "expires_in", "token_type", "refresh_token"],
          "token key order", list(tok))
    for k in ("PrivateKey", "Kdf", "KdfIterations", "KdfMemory", "KdfParallelism",
              "ResetMasterPassword", "ForcePasswordReset", "MasterPasswordPolicy", "scope",
              "AccountKeys", "UserDecryptionOptions", "Key"):
        check(k in tok, "token has " + k)
    check("TwoFactorToken" not in tok, "no TwoFactorToken without 2FA")
    check(tok["expires_in"] == 7200 and tok["token_type"] == "Bearer" and
          tok["scope"] == "api offline_access" and tok["Kdf"] == 0 and
          tok["KdfIterations"] == 100000, "token scalar fields", tok)
    check(bwref.dec(alice.stretched, tok["Key"]) == alice.user_key, "Key unwraps to the user key")
    check(bwref.dec(alice.user_key, tok["PrivateKey"]) == alice.priv_der, "PrivateKey unwraps")
    udo = tok["UserDecryptionOptions"]
    check(udo["HasMasterPassword"] is True and udo["Object"] == "userDecryptionOptions" and
          udo["MasterPasswordUnlock"]["Salt"] == "alice@example.test" and
          udo["MasterPasswordUnlock"]["Kdf"] == {"KdfType": 0, "Iterations": 100000, "Memory": None,
                                                 "Parallelism": None} and
          udo["MasterPasswordUnlock"]["MasterKeyWrappedUserKey"] == tok["Key"], "UDO", udo)
    check(tok["AccountKeys"]["publicKeyEncryptionKeyPair"]["publicKey"] == alice.pub and
          tok["AccountKeys"]["Object"] == "privateKeys", "AccountKeys", tok["AccountKeys"])
    parts = tok["access_token"].split(".")
    check(len(parts) == 3, "JWT-like access token")
    pl = jwt_payload(tok["access_token"])
    check(all(k in pl for k in ("exp", "sub", "email", "sstamp", "device")) and
          pl["device"] == "dev-1" and pl["email"] == "alice@example.test" and
          7190 <= pl["exp"] - time.time() <= 7201, "JWT payload", pl)
    at, rt = tok["access_token"], tok["refresh_token"]

    section("vaultwarden: 401 rules")
    r = http("GET", B + "/api/sync")
    check(r.status == 401 and r.json["error"]["code"] == 401, "no token -> 401", r)
    r = http("GET", B + "/api/sync", token="garbage")
    check(r.status == 401, "garbage token -> 401", r)
    forged = at[:-4] + ("AAAA" if not at.endswith("AAAA") else "BBBB")
    r = http("GET", B + "/api/sync", token=forged)
    check(r.status == 401, "bad signature -> 401", r)
    r = http("GET", B + "/api/accounts/revision-date", token=at)
    check(r.status == 200, "valid token -> 200", r)

    section("vaultwarden: sync shape")
    r = http("GET", B + "/api/sync", token=at, headers={"Bitwarden-Client-Version": "2025.6.0"})
    s = r.json
    check(r.status == 200 and list(s) == ["profile", "folders", "collections", "policies",
                                          "ciphers", "domains", "sends", "userDecryption",
                                          "object"], "sync top-level keys", list(s or {}))
    p = s["profile"]
    check(p["email"] == "alice@example.test" and p["key"] == tok["Key"] and
          p["privateKey"] == tok["PrivateKey"] and p["securityStamp"] == pl["sstamp"] and
          p["organizations"] == [] and p["object"] == "profile" and p["twoFactorEnabled"] is False
          and p["emailVerified"] is True and p["premium"] is True and p["culture"] == "en-US",
          "profile", p)
    check(s["domains"]["object"] == "domains" and s["domains"]["equivalentDomains"] == [] and
          any(g["type"] == 0 for g in s["domains"]["globalEquivalentDomains"]), "domains",
          s["domains"])
    check(s["userDecryption"]["masterPasswordUnlock"] == {
        "kdf": {"kdfType": 0, "iterations": 100000, "memory": None, "parallelism": None},
        "masterKeyEncryptedUserKey": tok["Key"], "masterKeyWrappedUserKey": tok["Key"],
        "salt": "alice@example.test"}, "userDecryption", s["userDecryption"])
    check(s["object"] == "sync" and s["ciphers"] == [] and s["folders"] == [] and
          s["sends"] == [] and s["policies"] == [] and s["collections"] == [], "sync empty lists")
    check(s["userDecryption"]["userKeyId"] is None, "no userKeyId before the client sets it")
    section("vaultwarden: user key id (official clients 2026.9)")
    kid = "0123456789abcdef0123456789abcdef"
    r = http("POST", B + "/api/accounts/key-management/user-key-id", {"userKeyId": kid})
    check(r.status == 401, "user-key-id needs a token", r)
    r = http("POST", B + "/api/accounts/key-management/user-key-id", {"userKeyId": 5}, token=at)
    check(r.status == 422, "user-key-id: not a hex string -> 422", r)
    r = http("POST", B + "/api/accounts/key-management/user-key-id", {"userKeyId": kid},
             token=at)
    check(r.status == 200 and r.body == "", "user-key-id set", r)
    r = http("POST", B + "/api/accounts/key-management/user-key-id", {"userKeyId": kid},
             token=at)
    check(r.status == 200, "user-key-id: the same id again", r)
    r = http("POST", B + "/api/accounts/key-management/user-key-id",
             {"userKeyId": "ff" * 16}, token=at)
    check(r.status == 400, "user-key-id: another id refused", r)
    r = http("GET", B + "/api/sync", token=at)
    check(r.json["userDecryption"]["userKeyId"] == kid, "sync shows userKeyId", r.json)
    r = http("GET", B + "/api/sync?excludeDomains=true", token=at)
    check(r.status == 200 and r.json["domains"] is None, "excludeDomains=true -> null", r)
    r = http("GET", B + "/api/accounts/profile", token=at)
    check(r.status == 200 and r.json["object"] == "profile", "accounts/profile", r)

    section("vaultwarden: equivalent domains")
    r = http("PUT", B + "/api/settings/domains", {"equivalentDomains": [["a.test", "b.test"]],
                                                  "excludedGlobalEquivalentDomains": [0]}, token=at)
    check(r.status == 200, "put domains", r)
    r = http("GET", B + "/api/settings/domains", token=at)
    check(r.json["equivalentDomains"] == [["a.test", "b.test"]] and
          [g for g in r.json["globalEquivalentDomains"] if g["type"] == 0][0]["excluded"] is True,
          "get domains keeps excluded flags", r)
    r = http("GET", B + "/api/sync", token=at)
    check(not any(g["type"] == 0 for g in r.json["domains"]["globalEquivalentDomains"]) and
          r.json["domains"]["equivalentDomains"] == [["a.test", "b.test"]],
          "sync drops excluded global groups", r.json["domains"])

    section("vaultwarden: revision date + folders")
    r = http("GET", B + "/api/accounts/revision-date", token=at)
    check(r.status == 200 and r.headers.get("Content-Type", "").startswith("application/json")
          and isinstance(r.json, int), "revision date is a JSON number", r)
    rev0 = r.json
    r = http("POST", B + "/api/folders", {"name": alice.enc("Work")}, token=at)
    check(r.status == 200 and set(r.json) == {"id", "name", "revisionDate", "object"} and
          r.json["object"] == "folder", "create folder", r)
    folder = r.json
    rev1 = http("GET", B + "/api/accounts/revision-date", token=at).json
    check(rev1 > rev0, "folder creation bumps revision date", (rev0, rev1))
    r = http("PUT", B + "/api/folders/" + folder["id"], {"name": alice.enc("Work 2")}, token=at)
    check(r.status == 200 and r.json["name"] != folder["name"] and
          r.json["revisionDate"] >= folder["revisionDate"], "rename folder", r)
    r = http("GET", B + "/api/folders", token=at)
    check(r.status == 200 and r.json["object"] == "list" and len(r.json["data"]) == 1 and
          r.json["continuationToken"] is None, "list folders", r)
    r = http("GET", B + "/api/folders/00000000-0000-0000-0000-000000000000", token=at)
    check(r.status == 400 and r.json["message"] == "Invalid folder", "unknown folder", r)
    r = http("POST", B + "/api/folders", {"Name": "x"}, token=at)
    check(r.status == 422, "PascalCase request body refused (serde camelCase)", r)

    section("vaultwarden: ciphers")
    body = login_cipher(alice, folderId=folder["id"], reprompt=7)
    r = http("POST", B + "/api/ciphers", body, token=at)
    check(r.status == 200, "create cipher", r)
    c = r.json
    check(list(c) == ["id", "type", "organizationId", "folderId", "favorite", "reprompt", "edit",
                      "viewPassword", "permissions", "organizationUseTotp", "collectionIds",
                      "creationDate", "revisionDate", "deletedDate", "archivedDate", "attachments",
                      "key", "name", "notes", "fields", "passwordHistory", "login", "secureNote",
                      "card", "identity", "sshKey", "object"], "cipher key order", list(c))
    check(c["object"] == "cipherDetails" and c["edit"] is True and c["viewPassword"] is True and
          c["permissions"] == {"delete": True, "restore": True} and c["attachments"] is None and
          c["deletedDate"] is None and c["folderId"] == folder["id"] and c["reprompt"] == 0 and
          c["secureNote"] is None and c["collectionIds"] == [], "cipher fields", c)
    check(c["login"]["uri"] == body["login"]["uris"][0]["uri"] and
          c["login"]["uris"][1]["match"] == 3, "login.uri = first uri; string match coerced",
          c["login"])
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", c["revisionDate"]) is not None,
          "6-digit microsecond dates", c["revisionDate"])
    rev2 = http("GET", B + "/api/accounts/revision-date", token=at).json
    check(rev2 > rev1, "cipher creation bumps revision date")
    r = http("GET", B + "/api/ciphers/" + c["id"], token=at)
    check(r.status == 200 and r.json == c, "get cipher", r)
    bad = login_cipher(alice)
    bad["login"] = None
    r = http("POST", B + "/api/ciphers", bad, token=at)
    check(r.status == 400 and r.json["message"] == "Data missing", "type object missing", r)
    r = http("POST", B + "/api/ciphers", login_cipher(alice, notes="x" * 10001), token=at)
    check(r.status == 400 and "exceeds the maximum" in r.json["message"], "notes > 10000", r)
    r = http("POST", B + "/api/ciphers", {"type": 1}, token=at)
    check(r.status == 422, "cipher without name -> 422", r)
    r = http("POST", B + "/api/ciphers", login_cipher(alice, folderId="nope"), token=at)
    check(r.status == 400 and r.json["message"] == "Invalid folder", "cipher in unknown folder", r)
    # keyed cipher keeps its key
    ck = alice.enc(os.urandom(64))
    r = http("POST", B + "/api/ciphers", login_cipher(alice, key=ck), token=at)
    check(r.status == 200 and r.json["key"] == ck, "per-cipher key stored", r)
    keyed = r.json

    # update with conflict detection
    old_rev = c["revisionDate"]
    time.sleep(0.01)
    upd = login_cipher(alice, name="Renamed", folderId=folder["id"], lastKnownRevisionDate=old_rev)
    r = http("PUT", B + "/api/ciphers/" + c["id"], upd, token=at)
    check(r.status == 200 and r.json["revisionDate"] > old_rev and
          r.json["name"] == upd["name"], "update with current revision", r)
    c2 = r.json
    stale = login_cipher(alice, lastKnownRevisionDate="2020-01-01T00:00:00.000000Z")
    r = http("PUT", B + "/api/ciphers/" + c["id"], stale, token=at)
    check(r.status == 400 and r.json["message"] == "The client copy of this cipher is out of date."
          " Resync the client and try again.", "stale update refused", r)
    r = http("POST", B + "/api/ciphers/" + c["id"],
             login_cipher(alice, folderId=folder["id"], lastKnownRevisionDate=c2["revisionDate"]),
             token=at)
    check(r.status == 200, "POST update accepted", r)
    c3 = r.json
    # partial: favourite/folder only, revisionDate unchanged
    r = http("PUT", B + "/api/ciphers/" + c["id"] + "/partial", {"folderId": None,
                                                                 "favorite": True}, token=at)
    check(r.status == 200 and r.json["favorite"] is True and r.json["folderId"] is None and
          r.json["revisionDate"] == c3["revisionDate"], "partial update", r)
    # soft delete / restore
    rev3 = http("GET", B + "/api/accounts/revision-date", token=at).json
    r = http("PUT", B + "/api/ciphers/" + c["id"] + "/delete", token=at)
    check(r.status == 200 and r.body == "", "soft delete", r)
    r = http("GET", B + "/api/sync", token=at)
    trashed = [x for x in r.json["ciphers"] if x["id"] == c["id"]]
    check(len(trashed) == 1 and trashed[0]["deletedDate"] is not None, "sync lists trashed cipher")
    check(http("GET", B + "/api/accounts/revision-date", token=at).json > rev3,
          "soft delete bumps revision date")
    r = http("PUT", B + "/api/ciphers/" + c["id"] + "/restore", token=at)
    check(r.status == 200 and r.json["deletedDate"] is None and r.json["id"] == c["id"],
          "restore returns the cipher", r)
    # hard deletes
    r = http("DELETE", B + "/api/ciphers/" + c["id"], token=at)
    check(r.status == 200, "DELETE cipher", r)
    r = http("GET", B + "/api/ciphers/" + c["id"], token=at)
    check(r.status == 404, "deleted cipher -> 404", r)
    r = http("POST", B + "/api/ciphers/" + keyed["id"] + "/delete", token=at)
    check(r.status == 200 and http("GET", B + "/api/ciphers/" + keyed["id"], token=at).status
          == 404, "POST .../delete is a hard delete", r)
    # other types
    note = {"type": 2, "name": alice.enc("n"), "secureNote": {"type": 0}}
    r = http("POST", B + "/api/ciphers", note, token=at)
    check(r.status == 200 and r.json["secureNote"] == {"type": 0} and r.json["login"] is None,
          "secure note", r)
    ssh = {"type": 5, "name": alice.enc("ssh"), "sshKey": {"privateKey": alice.enc("p"),
                                                           "publicKey": alice.enc("q"),
                                                           "keyFingerprint": alice.enc("f")}}
    r = http("POST", B + "/api/ciphers", ssh, token=at)
    check(r.status == 200 and r.json["sshKey"]["privateKey"] == ssh["sshKey"]["privateKey"],
          "ssh key cipher", r)
    ssh_id = r.json["id"]
    r = http("GET", B + "/api/sync", token=at)
    check(not any(x["id"] == ssh_id for x in r.json["ciphers"]),
          "SSH keys hidden from clients without Bitwarden-Client-Version >= 2024.12.0")
    r = http("GET", B + "/api/sync", token=at, headers={"Bitwarden-Client-Version": "2025.6.0"})
    check(any(x["id"] == ssh_id for x in r.json["ciphers"]), "SSH keys shown to new clients")

    section("vaultwarden: import + folder delete")
    imp = {"ciphers": [login_cipher(alice, name="i0"), login_cipher(alice, name="i1"),
                       {"type": 2, "name": alice.enc("i2"), "secureNote": {"type": 0}}],
           "folders": [{"name": alice.enc("F0")}, {"name": alice.enc("F1")}],
           "folderRelationships": [{"key": 0, "value": 1}, {"key": 2, "value": 0}]}
    r = http("POST", B + "/api/ciphers/import", imp, token=at)
    check(r.status == 200, "import", r)
    s = http("GET", B + "/api/sync", token=at).json
    names = {f["name"]: f["id"] for f in s["folders"]}
    by_name = {x["name"]: x for x in s["ciphers"]}
    i0, i1, i2 = (by_name[imp["ciphers"][i]["name"]] for i in range(3))
    check(len(s["folders"]) == 3 and i0["folderId"] == names[imp["folders"][1]["name"]] and
          i1["folderId"] is None and i2["folderId"] == names[imp["folders"][0]["name"]],
          "import folder relationships", (i0["folderId"], i1["folderId"], i2["folderId"]))
    bad_imp = {"ciphers": [login_cipher(alice, notes="y" * 10001)], "folders": [],
               "folderRelationships": []}
    r = http("POST", B + "/api/ciphers/import", bad_imp, token=at)
    check(r.status == 400 and "Ciphers[0].Notes" in r.json["validationErrors"],
          "import validation error", r)
    f0 = names[imp["folders"][0]["name"]]
    r = http("DELETE", B + "/api/folders/" + f0, token=at)
    check(r.status == 200, "delete folder", r)
    r = http("GET", B + "/api/ciphers/" + i2["id"], token=at)
    check(r.json["folderId"] is None and r.json["revisionDate"] == i2["revisionDate"],
          "folder delete un-files its ciphers", r.json)
    r = http("PUT", B + "/api/ciphers/delete", {"ids": [i0["id"], i1["id"]]}, token=at)
    check(r.status == 200, "bulk soft delete", r)
    r = http("PUT", B + "/api/ciphers/restore", {"ids": [i0["id"]]}, token=at)
    check(r.status == 200 and r.json["object"] == "list" and len(r.json["data"]) == 1 and
          r.json["data"][0]["deletedDate"] is None, "bulk restore", r)
    r = http("POST", B + "/api/ciphers/move", {"ids": [i0["id"]], "folderId": folder["id"]},
             token=at)
    check(r.status == 200 and http("GET", B + "/api/ciphers/" + i0["id"], token=at)
          .json["folderId"] == folder["id"], "move", r)
    r = http("GET", B + "/api/ciphers", token=at)
    check(r.status == 200 and r.json["object"] == "list", "list ciphers", r)
    # another client edits i0: the server copy becomes newer than ours -> conflict
    r = http("POST", B + "/__test/touch-cipher", {"email": alice.email, "id": i0["id"],
                                                  "seconds": 5})
    check(r.status == 200, "touch-cipher", r)
    r = http("PUT", B + "/api/ciphers/" + i0["id"],
             login_cipher(alice, lastKnownRevisionDate=i0["revisionDate"]), token=at)
    check(r.status == 400 and "out of date" in r.json["message"], "conflict via touch-cipher", r)

    section("vaultwarden: concurrent requests")
    before = len(http("GET", B + "/api/ciphers", token=at).json["data"])
    results = []

    def worker(n):
        for i in range(5):
            results.append(http("POST", B + "/api/ciphers", login_cipher(alice, name="p%d-%d"
                                                                          % (n, i)), token=at)
                           .status)
            results.append(http("GET", B + "/api/sync", token=at).status)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = http("GET", B + "/api/ciphers", token=at).json["data"]
    check(results.count(200) == 80 and len(after) == before + 40, "8 threads x 5 creates + syncs",
          (results.count(200), len(after) - before))
    r = http("POST", B + "/api/ciphers/delete", {"ids": [x["id"] for x in after
                                                         if x["id"] != i0["id"]][-40:]}, token=at)
    check(r.status == 200 and len(http("GET", B + "/api/ciphers", token=at).json["data"])
          == before, "bulk hard delete", r)

    section("vaultwarden: isolation between users")
    r = http("POST", T, form=login_form(bob))
    bt = r.json["access_token"]
    r = http("GET", B + "/api/ciphers/" + i0["id"], token=bt)
    check(r.status == 404 and r.json["message"] == "Cipher doesn't exist", "other user's cipher", r)
    r = http("PUT", B + "/api/ciphers/" + i0["id"], login_cipher(bob), token=bt)
    check(r.status == 404, "other user's cipher update", r)
    r = http("DELETE", B + "/api/ciphers/" + i0["id"], token=bt)
    check(r.status == 404, "other user's cipher delete", r)
    check(http("GET", B + "/api/sync", token=bt).json["ciphers"] == [], "bob sees nothing")

    section("vaultwarden: request log")
    http("POST", B + "/__test/reset-log", {})
    http("GET", B + "/api/accounts/revision-date", token=at)
    r = http("GET", B + "/__test/requests")
    reqs = r.json["requests"]
    check(len(reqs) == 1 and reqs[0]["method"] == "GET" and
          reqs[0]["path"] == "/api/accounts/revision-date" and reqs[0]["status"] == 200 and
          reqs[0]["bytes"] < 20, "no-change sync is one small request", reqs)

    section("vaultwarden: refresh grant")
    r = http("POST", T, form={"grant_type": "refresh_token", "client_id": "browser",
                              "refresh_token": rt})
    check(r.status == 200 and list(r.json) == ["refresh_token", "access_token", "expires_in",
                                               "token_type", "scope"] and
          r.json["refresh_token"] != rt, "refresh rotates", r)
    at2, rt2 = r.json["access_token"], r.json["refresh_token"]
    check(http("GET", B + "/api/sync", token=at2).status == 200, "refreshed token works")
    r = http("POST", T, form={"grant_type": "refresh_token", "client_id": "browser",
                              "refresh_token": rt})
    check(r.status == 400 and r.json == {"error": "invalid_grant"}, "old refresh token invalid", r)
    r = http("POST", T, form={"grant_type": "refresh_token", "client_id": "browser",
                              "refresh_token": "nope"})
    check(r.status == 400 and r.json == {"error": "invalid_grant"}, "bogus refresh token", r)

    section("vaultwarden: expire-tokens, security stamp, disable")
    http("POST", B + "/__test/expire-tokens", {"email": alice.email})
    check(http("GET", B + "/api/sync", token=at2).status == 401, "expired token -> 401")
    r = http("POST", T, form={"grant_type": "refresh_token", "client_id": "browser",
                              "refresh_token": rt2})
    check(r.status == 200, "refresh after expiry", r)
    at3, rt3 = r.json["access_token"], r.json["refresh_token"]
    check(http("GET", B + "/api/sync", token=at3).status == 200, "new token after expiry")
    old_stamp = http("GET", B + "/api/sync", token=at3).json["profile"]["securityStamp"]
    r = http("POST", B + "/__test/security-stamp", {"email": alice.email})
    check(r.status == 200 and r.json["securityStamp"] != old_stamp, "rotate stamp", r)
    check(http("GET", B + "/api/sync", token=at3).status == 401, "stamp change -> 401")
    r = http("POST", T, form={"grant_type": "refresh_token", "client_id": "browser",
                              "refresh_token": rt3})
    check(r.status == 400 and r.json == {"error": "invalid_grant"}, "refresh after stamp change", r)
    r = http("POST", T, form=login_form(alice))
    at4 = r.json["access_token"]
    check(r.status == 200 and http("GET", B + "/api/sync", token=at4).json["profile"]
          ["securityStamp"] != old_stamp, "new stamp in sync after re-login")
    http("POST", B + "/__test/disable", {"email": alice.email, "disabled": True})
    r = http("POST", T, form=login_form(alice))
    check(r.status == 400 and r.json["message"] == "This user has been disabled", "disabled", r)
    check(http("GET", B + "/api/sync", token=at4).status == 401, "disabled user's token -> 401")
    http("POST", B + "/__test/disable", {"email": alice.email, "disabled": False})
    r = http("POST", T, form=login_form(alice))
    check(r.status == 200, "re-enabled", r)

    section("vaultwarden: TOTP two-factor")
    r = http("POST", B + "/__test/two-factor", {"email": alice.email, "provider": 0})
    check(r.status == 200 and r.json["secret"], "enable TOTP", r)
    secret = r.json["secret"]
    r = http("POST", T, form=login_form(alice))
    check(r.status == 400 and r.json == {
        "error": "invalid_grant", "error_description": "Two factor required.",
        "TwoFactorProviders": ["0"], "TwoFactorProviders2": {"0": None},
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"}}, "2FA required", r)
    step = safe_totp_window(8)
    r = http("POST", T, form=login_form(alice, twoFactorToken="12a456", twoFactorProvider="0"))
    check(r.status == 400 and r.json["message"] == "TOTP code is not a number", "non-numeric", r)
    wrong = "%06d" % ((int(totp_code(secret, step)) + 1) % 1000000)
    if wrong in (totp_code(secret, step - 1), totp_code(secret, step + 1)):
        wrong = "%06d" % ((int(wrong) + 7) % 1000000)
    r = http("POST", T, form=login_form(alice, twoFactorToken=wrong, twoFactorProvider="0"))
    check(r.status == 400 and r.json["message"].startswith("Invalid TOTP code"), "wrong TOTP", r)
    r = http("POST", T, form=login_form(alice, twoFactorToken=totp_code(secret, step - 1),
                                        twoFactorProvider="0", twoFactorRemember="0"))
    check(r.status == 200 and "TwoFactorToken" not in r.json, "previous step accepted", r)
    r = http("POST", T, form=login_form(alice, twoFactorToken=totp_code(secret, step),
                                        twoFactorProvider="0"))
    check(r.status == 200, "current step accepted", r)
    r = http("POST", T, form=login_form(alice, twoFactorToken=totp_code(secret, step),
                                        twoFactorProvider="0"))
    check(r.status == 400 and r.json["message"].startswith("Invalid TOTP code"),
          "used step refused", r)
    r = http("POST", T, form=login_form(alice, twoFactorToken=totp_code(secret, step - 1),
                                        twoFactorProvider="0"))
    check(r.status == 400, "older step refused after a newer one", r)
    r = http("POST", T, form=login_form(alice, twoFactorToken=totp_code(secret, step + 1),
                                        twoFactorProvider="0", twoFactorRemember="1"))
    check(r.status == 200 and r.json.get("TwoFactorToken"), "next step + remember", r)
    remember = r.json["TwoFactorToken"]
    r = http("POST", T, form=login_form(alice, twoFactorToken=remember, twoFactorProvider="5"))
    check(r.status == 200, "remember token skips 2FA", r)
    r = http("POST", T, form=login_form(alice, device="dev-2", twoFactorToken=remember,
                                        twoFactorProvider="5"))
    check(r.status == 400 and r.json.get("error_description") == "Two factor required.",
          "remember token bound to its device", r)
    r = http("GET", B + "/__test/totp?email=" + urllib.parse.quote(alice.email))
    check(r.status == 200 and r.json["code"] == totp_code(secret, r.json["step"]),
          "/__test/totp", r)

    section("vaultwarden: e-mail two-factor")
    r = http("POST", B + "/__test/two-factor", {"email": bob.email, "provider": 1})
    check(r.status == 200, "enable e-mail 2FA", r)
    n0 = len(http("GET", B + "/__test/emails?email=" + bob.email).json["codes"])
    r = http("POST", T, form=login_form(bob))
    check(r.status == 400 and r.json["TwoFactorProviders"] == ["1"] and
          r.json["TwoFactorProviders2"] == {"1": {"Email": "***@example.test"}},
          "e-mail 2FA required", r)
    mails = http("GET", B + "/__test/emails?email=" + bob.email).json
    check(len(mails["codes"]) == n0 + 1 and len(mails["last"]) == 6,
          "code auto-sent to old clients", mails)
    r = http("POST", T, form=login_form(bob), headers={"Bitwarden-Client-Version": "2025.6.0"})
    mails2 = http("GET", B + "/__test/emails?email=" + bob.email).json
    check(r.status == 400 and len(mails2["codes"]) == n0 + 1,
          "no auto-send for clients >= 2025.5.0", mails2)
    r = http("POST", B + "/api/two-factor/send-email-login",
             {"email": bob.email, "masterPasswordHash": alice.hash, "deviceIdentifier": "dev-1"})
    check(r.status == 400, "send-email-login checks the password", r)
    r = http("POST", B + "/api/two-factor/send-email-login",
             {"email": bob.email, "masterPasswordHash": bob.hash, "deviceIdentifier": "dev-1"})
    mails3 = http("GET", B + "/__test/emails?email=" + bob.email).json
    code = mails3["last"]
    check(r.status == 200 and r.body == "" and len(mails3["codes"]) == n0 + 2,
          "send-email-login sends a new code", r)
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    r = http("POST", T, form=login_form(bob, twoFactorToken=wrong, twoFactorProvider="1"))
    check(r.status == 400 and r.json["message"] == "Token is invalid", "wrong e-mail code", r)
    r = http("POST", T, form=login_form(bob, twoFactorToken=code, twoFactorProvider="1"))
    check(r.status == 200, "e-mail code accepted", r)
    r = http("POST", T, form=login_form(bob, twoFactorToken=code, twoFactorProvider="1"))
    check(r.status == 400 and r.json["message"] == "No token available",
          "e-mail code is single-use", r)
    long_token = http("POST", T, form=login_form(alice, twoFactorToken=remember,
                                                 twoFactorProvider="5")).json["access_token"]
    return {"alice": alice, "bob": bob, "remember": remember, "folder": folder["id"],
            "i0": i0["id"], "long_token": long_token}


def vaultwarden_after_restart(B, st):
    alice = st["alice"]
    T = B + "/identity/connect/token"
    r = http("GET", B + "/api/sync", token=st["long_token"],
             headers={"Bitwarden-Client-Version": "2025.6.0"})
    check(r.status == 200, "access token survives a restart (persisted signing secret)", r)
    s = r.json
    check(any(f["id"] == st["folder"] for f in s["folders"]) and
          any(c["id"] == st["i0"] for c in s["ciphers"]) and len(s["ciphers"]) >= 4 and
          s["profile"]["twoFactorEnabled"] is True, "data persisted", len(s["ciphers"]))
    r = http("POST", T, form=login_form(alice))
    check(r.status == 400 and r.json["TwoFactorProviders"] == ["0"], "2FA setting persisted", r)
    r = http("POST", T, form=login_form(alice, twoFactorToken=st["remember"],
                                        twoFactorProvider="5"))
    check(r.status == 200 and r.json["expires_in"] == 2, "remember token persisted", r)
    at, rt = r.json["access_token"], r.json["refresh_token"]
    check(http("GET", B + "/api/accounts/revision-date", token=at).status == 200, "fresh token ok")
    time.sleep(2.2)
    check(http("GET", B + "/api/accounts/revision-date", token=at).status == 401,
          "token past exp -> 401")
    r = http("POST", T, form={"grant_type": "refresh_token", "client_id": "browser",
                              "refresh_token": rt})
    check(r.status == 200 and http("GET", B + "/api/accounts/revision-date",
                                   token=r.json["access_token"]).status == 200,
          "refresh after time-based expiry", r)
    r = http("POST", B + "/identity/accounts/prelogin", {"email": alice.email})
    check(r.json["kdfIterations"] == 100000, "KDF persisted", r)


# ----------------------------------------------------------------------------------------
# Cozy mode
# ----------------------------------------------------------------------------------------


def faults(B):
    """/__test/fault: each kind answers as documented, for its method and path only, `count`
    times; `apply` stores first."""
    section("vaultwarden: injected faults")
    r = http("POST", B + "/__test/fault", {"fault": "nonsense"})
    check(r.status == 400, "unknown fault refused", r)
    answers = {"500": (500, "json"), "502-html": (502, "html"), "200-html": (200, "html"),
               "400-validation": (400, "json"), "conflict": (400, "json")}
    for kind, (status, body) in answers.items():
        http("POST", B + "/__test/fault", {"fault": kind, "method": "PUT",
                                           "path": "/api/ciphers/[^/]+/delete"})
        other = http("POST", B + "/api/ciphers/x/delete")
        check(other.status == 401, "fault %s: another method is not touched" % kind, other)
        r = http("PUT", B + "/api/ciphers/x/delete")
        check(r.status == status, "fault %s: status" % kind, r)
        check((r.json is not None) == (body == "json"), "fault %s: body" % kind, r)
        if kind == "400-validation":
            check(r.json.get("validationErrors", {}).get("Name"), "validation shape", r)
        if kind == "conflict":
            check("out of date" in r.json.get("message", ""), "conflict message", r)
        r = http("PUT", B + "/api/ciphers/x/delete")
        check(r.status == 401, "fault %s: used once" % kind, r)
    http("POST", B + "/__test/fault", {"fault": "drop", "path": "/api/folders", "count": 2})
    for n in range(2):
        try:
            http("POST", B + "/api/folders", {"name": "x"})
            check(False, "drop %d: no answer" % n)
        except (urllib.error.URLError, ConnectionError, http_client_errors()):
            check(True, "drop %d: no answer" % n)
    check(http("GET", B + "/__test/faults").json == {"faults": []}, "faults used up")
    http("POST", B + "/__test/fault", {"fault": "500", "count": 5})
    http("POST", B + "/__test/clear-faults", {})
    check(http("GET", B + "/__test/faults").json == {"faults": []}, "faults cleared")
    r = http("POST", B + "/identity/accounts/prelogin", {"email": "nobody@example.test"})
    check(r.status == 200, "no fault after clearing", r)
    # apply: the request takes effect, its answer is replaced.
    http("POST", B + "/__test/fault", {"fault": "200-html", "apply": True,
                                       "path": "/identity/accounts/register"})
    acct = Account("applied@example.test", 100_000)
    r = http("POST", B + "/identity/accounts/register", acct.register_body())
    check(r.status == 200 and r.json is None, "apply: the faulty answer", r)
    r = http("POST", B + "/identity/accounts/register", acct.register_body())
    check(r.status == 400, "apply: the account was stored", r)


def http_client_errors():
    import http.client
    return http.client.HTTPException


def test_cozy(tmp):
    db = os.path.join(tmp, "cozy.sqlite")
    srv = Server("cozy", db)
    try:
        state = cozy_part1(srv.base, srv.origin)
    finally:
        srv.stop()
    section("cozy: restart on the same database")
    srv = Server("cozy", db)
    try:
        B = srv.base
        r = http("GET", B + "/api/sync", token=state["token"])
        check(r.status == 200 and len(r.json["Ciphers"]) == state["ciphers"] and
              len(r.json["Folders"]) == state["folders"], "cozy data + token persisted", r)
        r = http("POST", B + "/api/accounts/prelogin", {"email": state["email"]})
        check(r.json == {"Kdf": 0, "KdfIterations": 10000}, "cozy KDF persisted", r)
    finally:
        srv.stop()


def cozy_part1(B, origin):
    me = Account("me@alice.cozy.test", 10_000)

    section("cozy: routes that do not exist on Cozy")
    check(http("GET", B + "/api/config").status == 404, "no /api/config")
    check(http("POST", B + "/identity/accounts/prelogin", {"email": me.email}).status == 404,
          "no identity prelogin")
    check(http("POST", B + "/identity/accounts/register", me.register_body()).status == 404,
          "no registration")
    check(http("GET", origin + "/api/sync").status == 404, "everything lives under /bitwarden")
    r = http("GET", B + "/api/nothing")
    check(r.status == 404 and r.json == {"error": "Not Found"}, "cozy 404", r)

    section("cozy: test registration + prelogin")
    r = http("POST", B + "/__test/register", me.register_body())
    check(r.status == 200, "register via /bitwarden/__test/register", r)
    r = http("POST", B + "/api/accounts/prelogin", {"email": me.email})
    check(r.status == 200 and r.json == {"Kdf": 0, "KdfIterations": 10000}, "cozy prelogin", r)
    r = http("POST", B + "/api/accounts/prelogin", {"email": "x@y.test"})
    check(r.json == {"Kdf": 0, "KdfIterations": 600000}, "cozy prelogin unknown", r)

    section("cozy: token")
    T = B + "/identity/connect/token"
    bad = Account("me@alice.cozy.test", 10_000, "wrong password")
    r = http("POST", T, form=login_form(me, password=bad.hash))
    check(r.status == 401 and r.json == {"error": "invalid password"}, "cozy wrong password", r)
    r = http("POST", T, form={"password": me.hash})
    check(r.status == 400 and r.json == {"error": "the grant_type parameter is mandatory"},
          "cozy missing grant_type", r)
    r = http("POST", T, form=login_form(me))
    check(r.status == 200 and list(r.json) == ["client_id", "registration_access_token",
                                               "token_type", "expires_in", "access_token",
                                               "refresh_token", "Key", "PrivateKey", "Kdf",
                                               "KdfIterations"], "cozy token shape", r)
    tok = r.json
    check(bwref.dec(me.stretched, tok["Key"]) == me.user_key and tok["Kdf"] == 0 and
          tok["KdfIterations"] == 10000, "cozy Key unwraps")
    at, rt = tok["access_token"], tok["refresh_token"]

    section("cozy: sync is PascalCase")
    r = http("GET", B + "/api/sync", token=at)
    s = r.json
    check(r.status == 200 and list(s) == ["Profile", "Folders", "Ciphers", "Collections",
                                          "Domains", "Object"] and s["Object"] == "sync",
          "cozy sync top level", list(s or {}))
    check(s["Profile"]["Email"] == me.salt and s["Profile"]["Key"] == tok["Key"] and
          s["Profile"]["SecurityStamp"] and s["Profile"]["Object"] == "profile", "cozy profile",
          s["Profile"])
    check(s["Domains"]["Object"] == "domains" and
          all("Type" in g and "Excluded" in g for g in s["Domains"]["GlobalEquivalentDomains"]),
          "cozy domains", s["Domains"])
    r = http("GET", B + "/api/sync?excludeDomains=true", token=at)
    check(r.json["Domains"] is None, "cozy excludeDomains", r)
    r = http("GET", B + "/api/accounts/revision-date", token=at)
    check(r.status == 200 and r.headers["Content-Type"].startswith("text/plain") and
          r.body.isdigit(), "cozy revision date text/plain", r)
    rev0 = int(r.body)
    r = http("GET", B + "/api/sync", token="nope")
    check(r.status == 401 and r.json == {"error": "invalid token"}, "cozy 401", r)

    section("cozy: folders + ciphers")
    r = http("GET", B + "/api/folders", token=at)
    check(r.json == {"Data": None, "Object": "list"}, "cozy empty folder list", r)
    r = http("POST", B + "/api/folders", {"name": me.enc("Perso")}, token=at)
    check(r.status == 200 and list(r.json) == ["Id", "Name", "RevisionDate", "Object"],
          "cozy folder", r)
    folder = r.json
    r = http("POST", B + "/api/folders", {"name": ""}, token=at)
    check(r.status == 400 and r.json == {"error": "missing name"}, "cozy folder without name", r)
    body = login_cipher(me, folderId=folder["Id"], reprompt=1, key=me.enc(os.urandom(64)),
                        passwordHistory=[{"password": me.enc("old"),
                                          "lastUsedDate": "2026-01-01T00:00:00Z"}])
    r = http("POST", B + "/api/ciphers", body, token=at)
    check(r.status == 200, "cozy create cipher", r)
    c = r.json
    check(c["Object"] == "cipher" and c["FolderId"] == folder["Id"] and "Key" not in c and
          "Reprompt" not in c and "PasswordHistory" not in c and "DeletedDate" not in c and
          c["Login"]["Uris"][0]["Uri"] == body["login"]["uris"][0]["uri"] and
          "UriChecksum" not in c["Login"]["Uris"][0] and c["Fields"][0]["Value"] ==
          body["fields"][0]["value"], "cozy cipher drops key/reprompt/history", c)
    keys = all_keys(http("GET", B + "/api/sync", token=at).json, [])
    check(all(k[:1].isupper() for k in keys if not k[:1].isdigit()),
          "every sync key starts upper-case", [k for k in keys if not k[:1].isupper()][:5])
    rev1 = int(http("GET", B + "/api/accounts/revision-date", token=at).body)
    check(rev1 > rev0, "cozy revision date bumped")
    ident = {"type": 4, "name": me.enc("id"), "identity": {"firstName": me.enc("A"),
                                                          "ssn": me.enc("123")}}
    r = http("POST", B + "/api/ciphers", ident, token=at)
    check(r.status == 200 and "SSN" in r.json["Identity"] and "FirstName" in r.json["Identity"]
          and "Login" not in r.json, "cozy identity titleized (ssn -> SSN)", r)
    r = http("POST", B + "/api/ciphers", {"type": 5, "name": me.enc("ssh"), "sshKey": {}}, token=at)
    check(r.status == 400 and r.json == {"error": "type has an unknown value"},
          "cozy no SSH keys", r)
    r = http("POST", B + "/api/ciphers", {"type": 1, "login": {}}, token=at)
    check(r.status == 400 and r.json == {"error": "name is mandatory"}, "cozy name mandatory", r)
    stale = login_cipher(me, name="Updated", lastKnownRevisionDate="2020-01-01T00:00:00Z")
    r = http("PUT", B + "/api/ciphers/" + c["Id"], stale, token=at)
    check(r.status == 200 and r.json["Name"] == stale["name"] and r.json["FolderId"] is None,
          "cozy ignores lastKnownRevisionDate", r)
    r = http("PUT", B + "/api/ciphers/" + c["Id"] + "/partial", {"favorite": True}, token=at)
    check(r.status == 404, "cozy has no /partial", r)
    r = http("PUT", B + "/api/ciphers/" + c["Id"] + "/delete", token=at)
    check(r.status == 200 and r.body == "", "cozy soft delete", r)
    r = http("GET", B + "/api/ciphers/" + c["Id"], token=at)
    check("DeletedDate" in r.json, "cozy DeletedDate set", r)
    r = http("PUT", B + "/api/ciphers/" + c["Id"] + "/restore", token=at)
    check(r.status == 200 and r.body == "", "cozy restore", r)
    check("DeletedDate" not in http("GET", B + "/api/ciphers/" + c["Id"], token=at).json,
          "cozy restored")
    r = http("DELETE", B + "/api/ciphers/" + c["Id"], token=at)
    check(r.status == 200 and http("GET", B + "/api/ciphers/" + c["Id"], token=at).json ==
          {"error": "not found"}, "cozy hard delete", r)
    imp = {"ciphers": [login_cipher(me, name="x0"), login_cipher(me, name="x1")],
           "folders": [{"name": me.enc("IF")}], "folderRelationships": [{"key": 1, "value": 0}]}
    r = http("POST", B + "/api/ciphers/import", imp, token=at)
    check(r.status == 200, "cozy import", r)
    s = http("GET", B + "/api/sync", token=at).json
    x1 = [x for x in s["Ciphers"] if x["Name"] == imp["ciphers"][1]["name"]][0]
    check(x1["FolderId"] is not None and len(s["Folders"]) == 2, "cozy import relationships")
    r = http("DELETE", B + "/api/folders/" + x1["FolderId"], token=at)
    check(r.status == 200 and http("GET", B + "/api/ciphers/" + x1["Id"], token=at)
          .json["FolderId"] is None, "cozy folder delete un-files", r)
    r = http("GET", B + "/api/ciphers", token=at)
    check(r.json["Object"] == "list" and len(r.json["Data"]) == 3, "cozy list ciphers", r)

    r = http("POST", B + "/api/accounts/key-management/user-key-id", {"userKeyId": "ab"},
             token=at)
    check(r.status == 404, "cozy has no user-key-id route", r)

    section("cozy: refresh")
    r = http("POST", T, form={"grant_type": "refresh_token", "refresh_token": rt})
    check(r.status == 200 and r.json["refresh_token"] == rt and "Key" in r.json,
          "cozy refresh keeps the refresh token", r)
    r = http("POST", T, form={"grant_type": "refresh_token", "refresh_token": "bogus"})
    check(r.status == 400 and r.json == {"error": "invalid refresh token"}, "cozy bad refresh", r)
    http("POST", B + "/__test/expire-tokens", {"email": me.email})
    check(http("GET", B + "/api/sync", token=at).status == 401, "cozy expired token")
    at = http("POST", T, form={"grant_type": "refresh_token", "refresh_token": rt}).json[
        "access_token"]
    check(http("GET", B + "/api/sync", token=at).status == 200, "cozy refreshed token")
    r2 = http("POST", T, form=login_form(me))
    http("POST", B + "/__test/expire-tokens", {"email": me.email, "refresh": True})
    r = http("POST", T, form={"grant_type": "refresh_token",
                              "refresh_token": r2.json["refresh_token"]})
    check(r.status == 400 and r.json == {"error": "invalid refresh token"},
          "expire-tokens {refresh: true} ends refresh tokens too", r)
    r = http("POST", T, form=login_form(me))
    at, rt = r.json["access_token"], r.json["refresh_token"]

    section("cozy: e-mail 2FA")
    r = http("POST", B + "/__test/two-factor", {"email": me.email, "provider": 0})
    check(r.status == 400, "cozy refuses TOTP", r)
    r = http("POST", B + "/__test/two-factor", {"email": me.email, "provider": 1})
    check(r.status == 200, "cozy e-mail 2FA on", r)
    r = http("POST", T, form=login_form(me))
    check(r.status == 400 and r.json == {
        "error": "invalid_grant", "error_description": "Two factor required.",
        "TwoFactorProviders": [1], "TwoFactorProviders2": {"1": {"Email": "**@alice.cozy.test"}}},
          "cozy 2FA required", r)
    code = http("GET", B + "/__test/emails?email=" + me.email).json["last"]
    r = http("POST", T, form=login_form(me, twoFactorToken="000000" if code != "000000"
                                        else "111111"))
    check(r.status == 400 and r.json["error_description"] == "Two factor required.",
          "cozy wrong code -> 2FA again", r)
    code2 = http("GET", B + "/__test/emails?email=" + me.email).json["last"]
    r = http("POST", T, form=login_form(me, twoFactorToken=code2, twoFactorProvider="1"))
    check(r.status == 200, "cozy 2FA code accepted", r)
    at = r.json["access_token"]

    section("cozy: security stamp")
    http("POST", B + "/__test/security-stamp", {"email": me.email})
    check(http("GET", B + "/api/sync", token=at).status == 401, "cozy stamp change -> 401")
    r = http("POST", T, form={"grant_type": "refresh_token", "refresh_token": rt})
    check(r.status == 400 and r.json == {"error": "invalid refresh token"},
          "cozy refresh after stamp change", r)
    http("POST", B + "/__test/two-factor", {"email": me.email, "provider": 1, "enabled": False})
    r = http("POST", T, form=login_form(me))
    check(r.status == 200, "cozy login after 2FA off", r)
    s = http("GET", B + "/api/sync", token=r.json["access_token"]).json
    return {"token": r.json["access_token"], "ciphers": len(s["Ciphers"]),
            "folders": len(s["Folders"]), "email": me.email}


def test_tls(tmp):
    """--tls-dir: HTTPS with a certificate from the test CA made in that folder, which a
    client trusts by that CA only (the official Bitwarden CLI refuses http:// servers)."""
    import ssl
    section("https with the test CA")
    tls = os.path.join(tmp, "tls")
    for mode in ("vaultwarden", "cozy"):
        srv = Server(mode, os.path.join(tmp, mode + "-tls.sqlite"), "--tls-dir", tls)
        try:
            check(srv.origin.startswith("https://127.0.0.1:"), mode + ": https origin", srv.origin)
            trusted = ssl.create_default_context(cafile=os.path.join(tls, "ca.pem"))
            path = "/api/config" if mode == "vaultwarden" else "/api/accounts/prelogin"
            method = "GET" if mode == "vaultwarden" else "POST"
            req = urllib.request.Request(srv.base + path, method=method, data=None if
                                         method == "GET" else b'{"email":"x@y.test"}',
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, context=trusted, timeout=20) as r:
                body = json.loads(r.read())
            check(r.status == 200, mode + ": answers over https with the CA trusted")
            if mode == "vaultwarden":
                check(body["environment"]["vault"] == srv.origin, "config names the https origin",
                      body)
            try:
                urllib.request.urlopen(srv.base + path, timeout=20, context=ssl.create_default_context(
                    cafile=None, cadata=None))
                refused = False
            except urllib.error.URLError as e:
                refused = isinstance(e.reason, ssl.SSLCertVerificationError)
            check(refused, mode + ": a client without the CA refuses the certificate")
        finally:
            srv.stop()
    ca_before = open(os.path.join(tls, "ca.pem")).read()
    srv = Server("vaultwarden", os.path.join(tmp, "again.sqlite"), "--tls-dir", tls)
    srv.stop()
    check(open(os.path.join(tls, "ca.pem")).read() == ca_before, "an existing CA is kept")


def main():
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        test_vaultwarden(tmp)
        test_cozy(tmp)
        test_tls(tmp)
    print("%d checks, %d failed (%.1f s)" % (CHECKS[0], len(FAILURES), time.time() - t0))
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
