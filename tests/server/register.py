#!/usr/bin/env python3
"""Registers an account on the test server with client keys made by the independent Python
implementation (selftest.Account, built on tests/interop/bwref.py), for the browser tests:

    python3 tests/server/register.py BASE EMAIL PASSWORD [ITERATIONS | argon2:T,M,P] [--ca CA.pem]

BASE is what a user types (`http://127.0.0.1:PORT`, or `.../bitwarden` for Cozy mode).
`argon2:3,16,1` makes an Argon2id account (iterations, memory in MiB, parallelism); `--ca`
trusts the test CA of a server started with --tls-dir."""

import json
import ssl
import sys
import urllib.request

import selftest


def main(base, email, password, kdf="100000", ca=None):
    argon = None
    if kdf.startswith("argon2:"):
        argon = tuple(int(x) for x in kdf[len("argon2:"):].split(","))
    account = selftest.Account(email, 0 if argon else int(kdf), password, argon=argon)
    cozy = base.rstrip("/").endswith("/bitwarden")
    # Cozy has no registration route; the test route also skips Vaultwarden's KDF minimums
    # (PBKDF2 under 100 000, quick Argon2 settings).
    test_route = cozy or argon or account.iterations < 100_000
    path = "/__test/register" if test_route else "/identity/accounts/register"
    req = urllib.request.Request(base.rstrip("/") + path, method="POST",
                                 data=json.dumps(account.register_body()).encode(),
                                 headers={"Content-Type": "application/json"})
    ctx = ssl.create_default_context(cafile=ca) if ca else None
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
    if status != 200:
        sys.exit(f"register: HTTP {status}")
    print(json.dumps({"email": email}))


if __name__ == "__main__":
    argv = sys.argv[1:]
    ca = None
    if "--ca" in argv:
        i = argv.index("--ca")
        ca = argv[i + 1]
        del argv[i:i + 2]
    main(*argv, ca=ca)
