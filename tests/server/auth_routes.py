"""The identity side of the test server: tokens, prelogin, registration, the password and
refresh grants, two-factor (docs/protocol.md §6.3–6.6, §6.8). Mixed into bwserver.App."""

from common import *  # noqa: F401,F403  (the helpers and constants every route uses)


class AuthRoutes:
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
