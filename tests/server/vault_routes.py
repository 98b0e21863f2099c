"""The API side of the test server: config, revision date, sync, domains, folders, ciphers,
import (docs/protocol.md §6.9–6.14, §7). Mixed into bwserver.App."""

from common import *  # noqa: F401,F403  (the helpers and constants every route uses)


class VaultRoutes:
    # -- misc api ------------------------------------------------------------------------

    def h_config(self, req):
        base = self.scheme + "://" + (req.header("Host") or "127.0.0.1")
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

    def h_user_key_id(self, req, user):
        """POST /api/accounts/key-management/user-key-id {userKeyId}: the official clients
        (2026.9) report the id of the account's user key once, and fail the login when this
        answers 404 (sdk-internal bitwarden-user-crypto-management post_user_key_id: the
        server refuses when it already holds a different id). The id is shown back in the
        sync's userDecryption.userKeyId (Vaultwarden mode)."""
        body = self.body_json(req)
        key_id = self.get(body, "userKeyId")
        if not (isinstance(key_id, str) and re.fullmatch(r"[0-9a-fA-F]{1,64}", key_id)):
            raise self.missing()
        stored = user.get("user_key_id")
        if stored and stored.lower() != key_id.lower():
            raise self.err("The user key id is already set.")
        self.store.update_user(user["id"], user_key_id=key_id.lower())
        return self.empty()

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
