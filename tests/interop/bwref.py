#!/usr/bin/env python3
"""An independent implementation of the Bitwarden client crypto of docs/protocol.md §1-5, written
against Python's `cryptography` and `argon2-cffi`, used to check Keyfill both ways:
EncStrings written here must open in Keyfill and the other way round, and the accounts it
builds (Argon2id, organizations, per-cipher keys, PascalCase answers) must export identically.

Commands (JSON on stdout):
  decrypt KEY_HEX ENCSTRING            -> {"plaintext": ...}
  encrypt KEY_HEX PLAINTEXT            -> {"encString": ...}
  rsa-keypair                          -> {"privateDer": b64, "publicDer": b64}
  rsa-encrypt PUBLIC_DER_B64 DATA_HEX  -> {"encString": "4.…"}
  rsa-decrypt PRIVATE_DER_B64 ENC      -> {"hex": ...}
  make-account DIR [--argon2] [--pascal]
"""
import base64, hashlib, hmac, json, os, sys, uuid

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as apad, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def b64(b):
    return base64.b64encode(b).decode()


def unb64(s):
    return base64.b64decode(s + "=" * (-len(s) % 4))


def enc(key, text):
    if isinstance(text, str):
        text = text.encode()
    iv = os.urandom(16)
    p = padding.PKCS7(128).padder()
    data = p.update(text) + p.finalize()
    e = Cipher(algorithms.AES(key[:32]), modes.CBC(iv)).encryptor()
    ct = e.update(data) + e.finalize()
    mac = hmac.new(key[32:], iv + ct, hashlib.sha256).digest()
    return f"2.{b64(iv)}|{b64(ct)}|{b64(mac)}"


def dec(key, s):
    kind, body = s.split(".", 1)
    assert kind == "2", "only type 2 here"
    iv, ct, mac = (unb64(x) for x in body.split("|"))
    want = hmac.new(key[32:], iv + ct, hashlib.sha256).digest()
    if not hmac.compare_digest(want, mac):
        raise ValueError("mac")
    d = Cipher(algorithms.AES(key[:32]), modes.CBC(iv)).decryptor()
    data = d.update(ct) + d.finalize()
    u = padding.PKCS7(128).unpadder()
    return u.update(data) + u.finalize()


def master_key(password, email, argon):
    salt = email.strip().lower().encode()
    if argon:
        from argon2.low_level import Type, hash_secret_raw
        return hash_secret_raw(password.encode(), hashlib.sha256(salt).digest(),
                               time_cost=argon[0], memory_cost=argon[1] * 1024,
                               parallelism=argon[2], hash_len=32, type=Type.ID)
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600000, 32)


def stretch(mk):
    return (hmac.new(mk, b"enc\x01", hashlib.sha256).digest()
            + hmac.new(mk, b"mac\x01", hashlib.sha256).digest())


def oaep():
    return apad.OAEP(mgf=apad.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


def make_account(out, argon, pascal):
    email, password = "Bob@Example.TEST ", "correct horse battery staple"
    kdf = (3, 64, 4) if argon else None
    user_key = os.urandom(64)
    priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    priv_der = priv.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    org_key, org_id = os.urandom(64), str(uuid.uuid4())
    org_wrapped = "4." + b64(priv.public_key().encrypt(org_key, oaep()))
    folder_id, coll_id = str(uuid.uuid4()), str(uuid.uuid4())
    date = "2026-03-04T05:06:07.123456Z"
    items, ciphers = [], []

    def login(name, owner_key, org, keyed, username, pw, uris, notes=None):
        cid = str(uuid.uuid4())
        ck = os.urandom(64) if keyed else None
        k = ck or owner_key
        wire_uris = [{"uri": enc(k, u), "uriChecksum": enc(k, b64(hashlib.sha256(u.encode()).digest())),
                      "match": m} for u, m in uris]
        ciphers.append({
            "id": cid, "type": 1, "organizationId": org, "folderId": None if org else folder_id,
            "favorite": False, "reprompt": 0, "key": enc(owner_key, ck) if ck else None,
            "name": enc(k, name), "notes": enc(k, notes) if notes else None, "fields": None,
            "passwordHistory": None, "collectionIds": [coll_id] if org else [],
            "creationDate": date, "revisionDate": date, "deletedDate": None,
            "login": {"username": enc(k, username), "password": enc(k, pw), "totp": None,
                      "uris": wire_uris, "passwordRevisionDate": None},
            "secureNote": None, "card": None, "identity": None, "sshKey": None,
            "object": "cipherDetails"})
        items.append({
            "id": cid, "organizationId": org, "folderId": None if org else folder_id, "type": 1,
            "reprompt": 0, "name": name, "notes": notes, "favorite": False, "fields": [],
            "passwordHistory": None, "collectionIds": [coll_id] if org else None,
            "revisionDate": date, "creationDate": date, "deletedDate": None,
            "login": {"uris": [{"uri": u, "match": m} for u, m in uris], "username": username,
                      "password": pw, "totp": None}})

    login("Personal keyed", user_key, None, True, "bob", "pw-1", [("https://bob.example.test", None)], "n€")
    login("Personal plain", user_key, None, False, "bob2", "pw-2", [("https://two.example.test", 3)])
    login("Team keyed", org_key, org_id, True, "team", "pw-3", [("https://team.example.test", 1)])
    login("Team plain", org_key, org_id, False, "team2", "pw-4", [])
    mk = master_key(password, email, kdf)
    sync = {
        "profile": {"id": str(uuid.uuid4()), "email": email.strip().lower(),
                    "key": enc(stretch(mk), user_key), "privateKey": enc(user_key, priv_der),
                    "securityStamp": str(uuid.uuid4()),
                    "organizations": [{"id": org_id, "name": "Team", "key": org_wrapped,
                                       "enabled": True, "object": "profileOrganization"}]},
        "folders": [{"id": folder_id, "name": enc(user_key, "Bob's"), "revisionDate": date}],
        "collections": [{"id": coll_id, "organizationId": org_id, "name": enc(org_key, "Shared")}],
        "policies": [], "ciphers": ciphers, "domains": None, "object": "sync"}
    prelogin = {"kdf": 1 if kdf else 0, "kdfIterations": kdf[0] if kdf else 600000,
                "kdfMemory": kdf[1] if kdf else None, "kdfParallelism": kdf[2] if kdf else None}
    if pascal:
        sync, prelogin = pascalize(sync), pascalize(prelogin)
    expected = {"encrypted": False, "folders": [{"id": folder_id, "name": "Bob's"}],
                "collections": [{"id": coll_id, "organizationId": org_id, "name": "Shared"}],
                "items": items}
    os.makedirs(out, exist_ok=True)
    for name, value in [("sync.json", sync), ("prelogin.json", prelogin), ("expected.json", expected)]:
        with open(os.path.join(out, name), "w") as f:
            json.dump(value, f, indent=1, ensure_ascii=False)
    with open(os.path.join(out, "email"), "w") as f:
        f.write(email)
    with open(os.path.join(out, "password"), "w") as f:
        f.write(password)


def pascalize(v):
    if isinstance(v, dict):
        return {k[:1].upper() + k[1:]: pascalize(x) for k, x in v.items()}
    if isinstance(v, list):
        return [pascalize(x) for x in v]
    return v


def main(argv):
    cmd = argv[0]
    if cmd == "decrypt":
        r = {"plaintext": dec(bytes.fromhex(argv[1]), argv[2]).decode()}
    elif cmd == "encrypt":
        r = {"encString": enc(bytes.fromhex(argv[1]), argv[2])}
    elif cmd == "rsa-keypair":
        k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        r = {"privateDer": b64(k.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption())),
             "publicDer": b64(k.public_key().public_bytes(serialization.Encoding.DER,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))}
    elif cmd == "rsa-encrypt":
        pub = serialization.load_der_public_key(unb64(argv[1]))
        r = {"encString": "4." + b64(pub.encrypt(bytes.fromhex(argv[2]), oaep()))}
    elif cmd == "rsa-decrypt":
        priv = serialization.load_der_private_key(unb64(argv[1]), None)
        kind, body = argv[2].split(".", 1)
        h = hashes.SHA256() if kind in ("3", "5") else hashes.SHA1()
        data = unb64(body.split("|")[0])
        r = {"hex": priv.decrypt(data, apad.OAEP(mgf=apad.MGF1(h), algorithm=h, label=None)).hex()}
    elif cmd == "make-account":
        make_account(argv[1], "--argon2" in argv, "--pascal" in argv)
        r = {"ok": True}
    else:
        raise SystemExit(f"unknown command {cmd}")
    print(json.dumps(r))


if __name__ == "__main__":
    main(sys.argv[1:])
