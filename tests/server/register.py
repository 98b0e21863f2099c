#!/usr/bin/env python3
"""Registers an account on the test server with client keys made by the independent Python
implementation (selftest.Account, built on tests/interop/bwref.py), for the browser tests:

    python3 tests/server/register.py BASE EMAIL PASSWORD [ITERATIONS]

BASE is what a user types (`http://127.0.0.1:PORT`, or `.../bitwarden` for Cozy mode)."""

import json
import sys

import selftest


def main(base, email, password, iterations=100_000):
    account = selftest.Account(email, int(iterations), password)
    cozy = base.rstrip("/").endswith("/bitwarden")
    path = "/__test/register" if cozy else "/identity/accounts/register"
    resp = selftest.http("POST", base.rstrip("/") + path, account.register_body())
    if resp.status != 200:
        sys.exit(f"register: HTTP {resp.status}")
    print(json.dumps({"email": email}))


if __name__ == "__main__":
    main(*sys.argv[1:])
