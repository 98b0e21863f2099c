"""The test-control endpoints under /__test/ (no auth): the tests act as the server
administrator. Mixed into bwserver.App."""

from common import *  # noqa: F401,F403  (the helpers and constants every route uses)


class ControlRoutes:
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
        if req.method == "GET" and name == "faults":
            return ok({"faults": self.list_faults()})
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

        if name == "fault":
            return ok(self.add_fault(body))
        if name == "clear-faults":
            self.clear_faults()
            return ok()
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
