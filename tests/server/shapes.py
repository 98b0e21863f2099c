"""Every response body the test server sends, per server mode, in one place.

Each builder returns a plain Python value (dict/list/str/int) that bwserver.py serialises
as JSON (except the Cozy revision date, which is text/plain).  The comments cite the
section of docs/protocol.md (and the fixture tests/data/fixtures/sdk-account/)
the shape comes from, so the bodies are easy to compare with recorded transcripts.

Modes:
  "vaultwarden" - Vaultwarden >= 1.31 (camelCase JSON; PascalCase custom fields in the
                  identity token answer and in the 2FA error).
  "cozy"        - cozy-stack's /bitwarden API (PascalCase almost everywhere, Go structs).

Stored models handed to these functions (built by store.py / bwserver.py):
  user   : dict with id, email, name, akey, private_key, public_key, kdf, kdf_iterations,
           kdf_memory, kdf_parallelism, security_stamp, created_us, culture ...
  folder : dict with id, name, revision_us
  cipher : dict with id, folder_id, favorite, created_us, revision_us, deleted_us and
           data (the stored request fields: type, key, name, notes, fields, passwordHistory,
           reprompt, and the type object under login/secureNote/card/identity/sshKey).
"""

import datetime

VAULTWARDEN = "vaultwarden"
COZY = "cozy"

# ---------------------------------------------------------------------------------------
# Dates (docs/protocol.md §0 "Dates")
# ---------------------------------------------------------------------------------------


def _dt(us):
    return datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=int(us))


def date_vw(us):
    """Vaultwarden `format_date`: microseconds + `Z`, e.g. 2026-11-22T12:00:00.123456Z (§0)."""
    if us is None:
        return None
    return _dt(us).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def date_cozy(us):
    """Go's time.Time JSON (RFC 3339 nano): trailing zeros of the fraction dropped (§0)."""
    if us is None:
        return None
    d = _dt(us)
    frac = ("%06d" % d.microsecond).rstrip("0")
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ("." + frac if frac else "") + "Z"


def date(mode, us):
    return date_vw(us) if mode == VAULTWARDEN else date_cozy(us)


def pascalize(v):
    """Upper-case the first letter of every key, recursively (Cozy answers, §6.15)."""
    if isinstance(v, dict):
        return {(k[:1].upper() + k[1:]): pascalize(x) for k, x in v.items()}
    if isinstance(v, list):
        return [pascalize(x) for x in v]
    return v


# ---------------------------------------------------------------------------------------
# Errors (docs/protocol.md §6.7)
# ---------------------------------------------------------------------------------------


def vw_error(message):
    """Vaultwarden generic error (any endpoint, usually HTTP 400) - §6.7."""
    return {
        "message": message,
        "validationErrors": {"": [message]},
        "errorModel": {"message": message, "object": "error"},
        "error": "",
        "error_description": "",
        "exceptionMessage": None,
        "exceptionStackTrace": None,
        "innerExceptionMessage": None,
        "object": "error",
    }


def vw_validation_error(errors):
    """Vaultwarden `Cipher::validate_cipher_data` answer (§7.2 notes limit; import)."""
    return {"message": "The model state is invalid.", "validationErrors": errors, "object": "error"}


_ROCKET_REASONS = {
    400: ("Bad Request",
          "The request could not be understood by the server due to malformed syntax."),
    401: ("Unauthorized", "The request requires user authentication."),
    404: ("Not Found", "The requested resource could not be found."),
    405: ("Method Not Allowed", "The request method is not supported for the requested resource."),
    415: ("Unsupported Media Type",
          "The request entity has a media type which the server or resource does not support."),
    422: ("Unprocessable Entity",
          "The request was well-formed but was unable to be followed due to semantic errors."),
}


def vw_catcher(code):
    """Vaultwarden's 404 catcher / Rocket's default JSON catchers:
    {"error": {"code", "reason", "description"}} (§6.7 "404 catcher")."""
    reason, description = _ROCKET_REASONS.get(code, ("Error", "An error occurred."))
    return {"error": {"code": code, "reason": reason, "description": description}}


def cozy_error(text):
    """Cozy: {"error": "<text>"} with 400/401/404/500 (§6.7)."""
    return {"error": text}


def error(mode, message):
    """The generic 'business' error of a mode (§6.7)."""
    return vw_error(message) if mode == VAULTWARDEN else cozy_error(message)


def unauthorized(mode):
    """401 on /api with a missing/invalid/expired token or a changed security stamp.
    Vaultwarden: Rocket's JSON catcher; Cozy: {"error": "invalid token"} (web/bitwarden/*.go)."""
    return vw_catcher(401) if mode == VAULTWARDEN else cozy_error("invalid token")


def not_found(mode):
    """Unknown route.  Vaultwarden §6.7 404 catcher; Cozy {"error": "Not Found"}."""
    return vw_catcher(404) if mode == VAULTWARDEN else cozy_error("Not Found")


def refresh_invalid(mode):
    """§6.6: invalid/expired refresh token, HTTP 400."""
    if mode == VAULTWARDEN:
        return {"error": "invalid_grant"}
    return cozy_error("invalid refresh token")


# ---------------------------------------------------------------------------------------
# Prelogin (docs/protocol.md §6.3, fixture prelogin.json)
# ---------------------------------------------------------------------------------------


def prelogin(mode, kdf, iterations, memory, parallelism):
    if mode == COZY:
        # cozy-stack web/bitwarden/bitwarden.go Prelogin: only these two keys.
        return {"Kdf": kdf, "KdfIterations": iterations}
    return {
        "kdf": kdf,
        "kdfIterations": iterations,
        "kdfMemory": memory,
        "kdfParallelism": parallelism,
        "kdfSettings": {"kdfType": kdf, "iterations": iterations, "memory": memory,
                        "parallelism": parallelism},
        "salt": None,
    }


# ---------------------------------------------------------------------------------------
# Registration (docs/protocol.md §6.8)
# ---------------------------------------------------------------------------------------


def register_ok():
    return {"object": "register", "captchaBypassToken": ""}


# ---------------------------------------------------------------------------------------
# Identity token answers (docs/protocol.md §6.4, §6.5, §6.6; fixture token.json)
# ---------------------------------------------------------------------------------------


def _master_password_unlock_pascal(user):
    # §6.4 UserDecryptionOptions.MasterPasswordUnlock (PascalCase in the token answer).
    return {
        "Kdf": {"KdfType": user["kdf"], "Iterations": user["kdf_iterations"],
                "Memory": user["kdf_memory"], "Parallelism": user["kdf_parallelism"]},
        "MasterKeyEncryptedUserKey": user["akey"],
        "MasterKeyWrappedUserKey": user["akey"],
        "Salt": user["email"],
    }


def _account_keys(user):
    # §6.4 AccountKeys; signatureKeyPair/securityState are always null on Vaultwarden (§4.6).
    if not user.get("private_key"):
        return None
    return {
        "signatureKeyPair": None,
        "publicKeyEncryptionKeyPair": {
            "wrappedPrivateKey": user["private_key"],
            "publicKey": user.get("public_key"),
            "Object": "publicKeyEncryptionKeyPair",
        },
        "securityState": None,
        "Object": "privateKeys",
    }


def token_success(mode, user, access_token, refresh_token, expires_in, scope,
                  two_factor_token=None, client_id=None, registration_token=None):
    """Password-grant success (§6.4)."""
    if mode == COZY:
        # cozy-stack AccessTokenReponse (field order of the Go struct).
        return {
            "client_id": client_id,
            "registration_access_token": registration_token,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "access_token": access_token,
            "refresh_token": refresh_token,
            "Key": user["akey"],
            "PrivateKey": user.get("private_key") or None,
            "Kdf": user["kdf"],
            "KdfIterations": user["kdf_iterations"],
        }
    # Vaultwarden src/api/identity.rs authenticated_response (key order kept).
    out = {
        "access_token": access_token,
        "expires_in": expires_in,
        "token_type": "Bearer",
        "refresh_token": refresh_token,
        "PrivateKey": user.get("private_key"),
        "Kdf": user["kdf"],
        "KdfIterations": user["kdf_iterations"],
        "KdfMemory": user["kdf_memory"],
        "KdfParallelism": user["kdf_parallelism"],
        "ResetMasterPassword": False,
        "ForcePasswordReset": False,
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"},
        "scope": scope,
        "AccountKeys": _account_keys(user),
        "UserDecryptionOptions": {
            "HasMasterPassword": True,
            "MasterPasswordUnlock": _master_password_unlock_pascal(user),
            "Object": "userDecryptionOptions",
        },
    }
    if user.get("akey"):
        out["Key"] = user["akey"]
    if two_factor_token is not None:
        out["TwoFactorToken"] = two_factor_token
    return out


def refresh_success(mode, user, access_token, refresh_token, expires_in, scope):
    """Refresh-grant success (§6.6).  Cozy repeats Key/PrivateKey/Kdf/KdfIterations."""
    if mode == COZY:
        return {
            "token_type": "Bearer",
            "expires_in": expires_in,
            "access_token": access_token,
            "refresh_token": refresh_token,
            "Key": user["akey"],
            "PrivateKey": user.get("private_key") or None,
            "Kdf": user["kdf"],
            "KdfIterations": user["kdf_iterations"],
        }
    return {
        "refresh_token": refresh_token,
        "access_token": access_token,
        "expires_in": expires_in,
        "token_type": "Bearer",
        "scope": scope,
    }


def obscure_email_vw(email):
    """Vaultwarden two_factor/email.rs obscure_email: 1-3 chars all stars, else the first
    two characters and stars."""
    local, _, domain = email.rpartition("@")
    n = len(local)
    shown = "*" * n if n <= 3 else local[:2] + "*" * (n - 2)
    return shown + "@" + domain


def obscure_email_cozy(email):
    """cozy-stack checkTwoFactor: every character of the local part becomes '*'."""
    local, sep, domain = email.partition("@")
    return "*" * len(local) + sep + domain


def two_factor_required(mode, providers, email):
    """HTTP 400 "Two factor required." (§6.5).  `providers` = enabled provider ints."""
    if mode == COZY:
        return {
            "error": "invalid_grant",
            "error_description": "Two factor required.",
            "TwoFactorProviders": [1],
            "TwoFactorProviders2": {"1": {"Email": obscure_email_cozy(email)}},
        }
    p2 = {}
    for p in providers:
        p2[str(p)] = {"Email": obscure_email_vw(email)} if p == 1 else None
    return {
        "error": "invalid_grant",
        "error_description": "Two factor required.",
        "TwoFactorProviders": [str(p) for p in providers],
        "TwoFactorProviders2": p2,
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"},
    }


# ---------------------------------------------------------------------------------------
# /api/config, /api/alive (docs/protocol.md §6.14) - Vaultwarden only
# ---------------------------------------------------------------------------------------


def config(version, base_url):
    return {
        "version": version,
        "gitHash": None,
        "server": {"name": "Vaultwarden", "url": "https://github.com/dani-garcia/vaultwarden"},
        "settings": {"disableUserRegistration": False},
        "environment": {
            "vault": base_url,
            "api": base_url + "/api",
            "identity": base_url + "/identity",
            "notifications": base_url + "/notifications",
            "sso": "",
        },
        # The official server sends "cipher-key-encryption" (bitwarden/server Constants.cs
        # FeatureFlagKeys.CipherKeyEncryption; the SDK's Flags read it), and Vaultwarden
        # 2026.6's config() turns "pm-19148-innovation-archive" on. Without the first the
        # official CLI writes no per-cipher keys (docs/protocol.md §5.5).
        "featureStates": {"cipher-key-encryption": True, "pm-19148-innovation-archive": True},
        "push": {"pushTechnology": 0, "vapidPublicKey": None},
        "object": "config",
    }


def now_string(us):
    """GET /api/alive and /api/now: a JSON string date (Vaultwarden)."""
    return date_vw(us)


# ---------------------------------------------------------------------------------------
# Revision date (docs/protocol.md §6.13)
# ---------------------------------------------------------------------------------------


def revision_date(mode, ms):
    """Returns (body bytes, content type): a bare JSON number, or text/plain digits on Cozy."""
    if mode == COZY:
        return str(int(ms)).encode(), "text/plain"
    return str(int(ms)).encode(), "application/json"


# ---------------------------------------------------------------------------------------
# Profile, folders, ciphers, domains, sync (docs/protocol.md §6.9-§6.12, §7.1; fixture sync.json)
# ---------------------------------------------------------------------------------------


def profile(mode, user, two_factor_enabled):
    if mode == COZY:
        # cozy-stack web/bitwarden/sync.go profileResponse (TwoFactorEnabled is always false).
        return {
            "Id": user["id"],
            "Name": user.get("name") or "",
            "Email": user["email"],
            "EmailVerified": False,
            "Premium": True,
            "MasterPasswordHint": user.get("hint") or None,
            "Culture": "en",
            "TwoFactorEnabled": False,
            "Key": user["akey"],
            "PrivateKey": user.get("private_key") or None,
            "SecurityStamp": user["security_stamp"],
            "Organizations": [],
            "Object": "profile",
        }
    # Vaultwarden User::to_json, key order of the fixture sync.json.
    return {
        "id": user["id"],
        "name": user.get("name"),
        "email": user["email"],
        "emailVerified": True,
        "premium": True,
        "premiumFromOrganization": False,
        "culture": "en-US",
        "twoFactorEnabled": bool(two_factor_enabled),
        "key": user["akey"],
        "privateKey": user.get("private_key"),
        "securityStamp": user["security_stamp"],
        "organizations": [],
        "providers": [],
        "providerOrganizations": [],
        "forcePasswordReset": False,
        "avatarColor": None,
        "usesKeyConnector": False,
        "creationDate": date_vw(user["created_us"]),
        "object": "profile",
    }


def folder(mode, f):
    if mode == COZY:
        # cozy-stack web/bitwarden/folders.go folderResponse.
        return {"Id": f["id"], "Name": f["name"], "RevisionDate": date_cozy(f["revision_us"]),
                "Object": "folder"}
    return {"id": f["id"], "name": f["name"], "revisionDate": date_vw(f["revision_us"]),
            "object": "folder"}


_TYPE_KEYS = {1: "login", 2: "secureNote", 3: "card", 4: "identity", 5: "sshKey"}


def _vw_type_data(ctype, data):
    td = data.get(_TYPE_KEYS.get(ctype, ""))
    if ctype == 1:
        td = dict(td or {})
        uris = td.get("uris")
        td["uri"] = None
        if isinstance(uris, list) and uris:
            fixed = []
            for u in uris:
                u = dict(u) if isinstance(u, dict) else {}
                m = u.get("match")
                if isinstance(m, str):  # Vaultwarden coerces string match values (§7.1)
                    u["match"] = int(m) if m.isdigit() and int(m) < 256 else None
                fixed.append(u)
            td["uris"] = fixed
            td["uri"] = fixed[0].get("uri")  # legacy login.uri = first uri (§7.1)
    elif ctype == 2:
        if not (isinstance(td, dict) and isinstance(td.get("type"), int)):
            td = {"type": 0}
    elif ctype == 5:
        if not (isinstance(td, dict) and all(td.get(k) for k in ("privateKey", "publicKey",
                                                                   "keyFingerprint"))):
            td = None
    return td


def _vw_fields(fields):
    if not fields:
        return None
    out = []
    for f in fields:
        f = dict(f) if isinstance(f, dict) else {}
        t = f.get("type")
        if isinstance(t, bool) or not isinstance(t, int):
            # Vaultwarden: string types parsed, anything else falls back to 1 (hidden).
            f["type"] = int(t) if isinstance(t, str) and t.isdigit() and int(t) < 256 else 1
        out.append(f)
    return out


def _vw_password_history(ph):
    if not ph:
        return None
    out = [dict(p) for p in ph if isinstance(p, dict) and isinstance(p.get("password"), str)]
    return out or None


def cipher(mode, c):
    return cipher_vw(c) if mode == VAULTWARDEN else cipher_cozy(c)


def cipher_vw(c):
    """§7.1 cipherDetails, key order of the fixture sync.json."""
    d = c["data"]
    ctype = d["type"]
    reprompt = d.get("reprompt")
    out = {
        "id": c["id"],
        "type": ctype,
        "organizationId": None,
        "folderId": c.get("folder_id"),
        "favorite": bool(c.get("favorite")),
        "reprompt": reprompt if reprompt in (0, 1) else 0,
        "edit": True,
        "viewPassword": True,
        "permissions": {"delete": True, "restore": True},
        "organizationUseTotp": True,
        "collectionIds": [],
        "creationDate": date_vw(c["created_us"]),
        "revisionDate": date_vw(c["revision_us"]),
        "deletedDate": date_vw(c.get("deleted_us")),
        "archivedDate": None,
        "attachments": None,
        "key": d.get("key"),
        "name": d.get("name"),
        "notes": d.get("notes"),
        "fields": _vw_fields(d.get("fields")),
        "passwordHistory": _vw_password_history(d.get("passwordHistory")),
        "login": None,
        "secureNote": None,
        "card": None,
        "identity": None,
        "sshKey": None,
        "object": "cipherDetails",
    }
    if ctype in _TYPE_KEYS:
        out[_TYPE_KEYS[ctype]] = _vw_type_data(ctype, d)
    return out


def _titleize(m):
    # cozy-stack ciphers.go titleizeKeys: first letter upper-cased, "ssn" becomes "SSN".
    out = {}
    for k, v in (m or {}).items():
        if k == "ssn":
            k = "SSN"
        out[k[:1].upper() + k[1:] if k[:1].islower() else k] = v
    return out


def cipher_cozy(c):
    """cozy-stack web/bitwarden/ciphers.go cipherResponse (Go struct order, omitempty kept)."""
    d = c["data"]
    ctype = d["type"]
    out = {
        "Object": "cipher",
        "Id": c["id"],
        "Type": ctype,
        "Favorite": bool(c.get("favorite")),
        "Name": d.get("name") or "",
        "Notes": d.get("notes") or None,
        "FolderId": c.get("folder_id") or None,
        "OrganizationId": None,
        "CollectionIds": None,
        "Fields": None,
        "Attachments": None,
    }
    fields = d.get("fields") or []
    if fields:
        out["Fields"] = [{"Type": f.get("type", 0), "Name": f.get("name") or "",
                          "Value": f.get("value") or ""} for f in fields]
    if ctype == 1:
        lg = d.get("login") or {}
        uris = lg.get("uris") or []
        out["Login"] = {
            "Uris": [{"Uri": u.get("uri") or "", "Match": u.get("match")} for u in uris] or None,
            "Username": lg.get("username") or None,
            "Password": lg.get("password") or None,
            "PasswordRevisionDate": lg.get("passwordRevisionDate") or None,
            "Totp": lg.get("totp") or None,
        }
    elif ctype == 2:
        out["SecureNote"] = _titleize(d.get("secureNote"))
    elif ctype == 3:
        out["Card"] = _titleize(d.get("card"))
    elif ctype == 4:
        out["Identity"] = _titleize(d.get("identity"))
    out["RevisionDate"] = date_cozy(c["revision_us"])
    if c.get("deleted_us") is not None:
        out["DeletedDate"] = date_cozy(c["deleted_us"])
    out["Edit"] = True
    out["OrganizationUseTotp"] = False
    return out


def list_of(mode, items):
    """List wrapper (§6.10/§6.11).  Cozy's Go nil slice serialises as null when empty."""
    if mode == COZY:
        return {"Data": items or None, "Object": "list"}
    return {"data": items, "object": "list", "continuationToken": None}


# Subset of Vaultwarden's src/static/global_domains.json (91 groups upstream, §6.12).
GLOBAL_DOMAINS = [
    {"type": 2, "domains": ["ameritrade.com", "tdameritrade.com"]},
    {"type": 3, "domains": ["bankofamerica.com", "bofa.com", "mbna.com", "usecfo.com"]},
    {"type": 0, "domains": ["youtube.com", "google.com", "gmail.com"]},
    {"type": 1, "domains": ["apple.com", "icloud.com"]},
    {"type": 10, "domains": ["bing.com", "hotmail.com", "live.com", "microsoft.com", "msn.com",
                             "passport.net", "windows.com", "microsoftonline.com", "office.com",
                             "office365.com", "microsoftstore.com", "xbox.com", "azure.com",
                             "windowsazure.com"]},
    {"type": 18, "domains": ["amazon.com", "amazon.co.uk", "amazon.ca", "amazon.de", "amazon.fr",
                             "amazon.es", "amazon.it", "amazon.com.au", "amazon.co.nz", "amazon.in",
                             "amazon.com.mx", "amazon.nl", "amazon.sg", "amazon.com.tr",
                             "amazon.ae"]},
    {"type": 51, "domains": ["facebook.com", "messenger.com"]},
    {"type": 74, "domains": ["stackexchange.com", "superuser.com", "stackoverflow.com",
                             "serverfault.com", "mathoverflow.net", "askubuntu.com"]},
    {"type": 81, "domains": ["discordapp.com", "discord.com"]},
]


def domains(mode, equivalent, excluded, drop_excluded):
    """§6.12.  Vaultwarden's sync drops excluded global groups; GET settings/domains keeps
    them flagged.  Cozy always lists every group with its Excluded flag."""
    groups = []
    for g in GLOBAL_DOMAINS:
        ex = g["type"] in (excluded or [])
        if ex and drop_excluded and mode == VAULTWARDEN:
            continue
        groups.append({"type": g["type"], "domains": list(g["domains"]), "excluded": ex})
    if mode == COZY:
        return {"EquivalentDomains": equivalent or None,
                "GlobalEquivalentDomains": pascalize(groups), "Object": "domains"}
    return {"equivalentDomains": equivalent or [], "globalEquivalentDomains": groups,
            "object": "domains"}


def domains_saved(mode, equivalent, excluded):
    """POST/PUT settings/domains answer: Vaultwarden `{}`, Cozy the full domains object."""
    if mode == COZY:
        return domains(mode, equivalent, excluded, False)
    return {}


def sync(mode, user, two_factor_enabled, folders, ciphers, domains_obj):
    """GET /api/sync (§6.9; fixture sync.json; cozy-stack sync.go syncResponse)."""
    if mode == COZY:
        return {
            "Profile": profile(mode, user, two_factor_enabled),
            "Folders": [folder(mode, f) for f in folders],
            "Ciphers": [cipher_cozy(c) for c in ciphers],
            "Collections": [],
            "Domains": domains_obj,
            "Object": "sync",
        }
    return {
        "profile": profile(mode, user, two_factor_enabled),
        "folders": [folder(mode, f) for f in folders],
        "collections": [],
        "policies": [],
        "ciphers": [cipher_vw(c) for c in ciphers],
        "domains": domains_obj,
        "sends": [],
        "userDecryption": {
            "masterPasswordUnlock": {
                "kdf": {"kdfType": user["kdf"], "iterations": user["kdf_iterations"],
                        "memory": user["kdf_memory"], "parallelism": user["kdf_parallelism"]},
                "masterKeyEncryptedUserKey": user["akey"],
                "masterKeyWrappedUserKey": user["akey"],
                "salt": user["email"],
            },
            # Set by POST /api/accounts/key-management/user-key-id; while it is null the
            # official CLI 2026.9 posts its key's id on every unlock (sdk-internal
            # UserDecryptionResponseModel.user_key_id, user_key_id_needs_backfill).
            "userKeyId": user.get("user_key_id"),
        },
        "object": "sync",
    }
