#!/usr/bin/env python3
"""A Bitwarden-protocol test server for Keyfill's sync tests (Python 3.11 standard library;
`cryptography` only for the test CA of --tls-dir).

    python3 tests/server/bwserver.py --db PATH.sqlite --mode vaultwarden|cozy
        [--port 0] [--host 127.0.0.1] [--token-ttl 7200] [--version 2026.6.0] [--verbose]
        [--tls-dir DIR]

Binds, prints ONE line `listening http://HOST:PORT` on stdout, then serves until killed.
With --tls-dir it serves HTTPS instead (`listening https://…`), with the certificate signed by
the test CA in DIR (made there by testca.py if missing; clients trust DIR/ca.pem).
Speaks the protocol of docs/protocol.md §3, §5, §6, §7 as Vaultwarden or as
cozy-stack's /bitwarden API do.  Every response body comes from shapes.py; storage is
store.py (SQLite, survives restarts).  Test-control endpoints live under /__test/
(/bitwarden/__test/ in cozy mode).  See tests/server/README.md.

Nothing secret is ever logged: with --verbose only `METHOD PATH STATUS` lines go to stderr.
"""

import sys

sys.dont_write_bytecode = True  # keep tests/server free of __pycache__ (set before our imports)

from common import *  # noqa: E402,F401,F403
from auth_routes import AuthRoutes  # noqa: E402
from control_routes import ControlRoutes  # noqa: E402
from faults import Faults  # noqa: E402
from vault_routes import VaultRoutes  # noqa: E402


class App(AuthRoutes, VaultRoutes, ControlRoutes, Faults):
    def __init__(self, mode, store, token_ttl, version, verbose=False, scheme="http"):
        self.mode, self.store, self.token_ttl = mode, store, token_ttl
        self.scheme = scheme
        self.version, self.verbose = version, verbose
        self.secret = store.secret()
        self.log = deque(maxlen=5000)
        self.log_lock = threading.Lock()
        self.cozy_codes = {}   # user id -> (code, expires_s): cozy-stack's 5-minute cache
        self.init_faults()
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
        fault = None if is_test or req.method == "OPTIONS" else \
            self.take_fault(req.method, path)
        if fault is None or fault["apply"]:
            resp = self._answer(req, is_test)
        if fault is not None:  # `apply`: the request took effect, only its answer is lost
            resp = self.fault_answer(fault)
        return self._finish(req, resp, not is_test)

    def _answer(self, req, is_test):
        try:
            if req.method == "OPTIONS":
                return self.empty(200 if self.mode == VW else 204)
            if is_test:
                return self.test_control(req)
            return self.dispatch(req)
        except HttpError as e:
            if e.ctype.startswith("application/json"):
                return self.json_response(e.status, e.body)
            return Response(e.status, e.body or b"", e.ctype)
        except Exception as e:  # never echo values: only the type and the frames
            sys.stderr.write("bwserver: internal error %s\n%s" % (
                type(e).__name__, "".join(traceback.format_tb(e.__traceback__))))
            return self.json_response(500, shapes.error(self.mode, "Internal server error"))

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
        r("POST", r"/api/accounts/key-management/user-key-id", self.h_user_key_id, vw)
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
        if resp.drop:  # an injected fault: the connection ends with no answer at all
            self.close_connection = True
            return
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

    def handle_error(self, request, client_address):
        # A client that refuses the test certificate ends the handshake: one line, no trace.
        e = sys.exc_info()[1]
        if type(e).__module__ == "ssl" or isinstance(e, ConnectionError):
            sys.stderr.write("bwserver: connection ended: %s\n" % type(e).__name__)
            return
        super().handle_error(request, client_address)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Bitwarden-protocol test server (Keyfill)")
    ap.add_argument("--db", required=True, help="SQLite file (created if missing)")
    ap.add_argument("--mode", required=True, choices=[VW, COZY])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token-ttl", type=int, default=7200, help="access token lifetime, seconds")
    ap.add_argument("--version", default="2026.6.0", help="version reported by /api/config")
    ap.add_argument("--verbose", action="store_true", help="log METHOD PATH STATUS to stderr")
    ap.add_argument("--tls-dir", help="serve HTTPS with the test CA in this folder (testca.py)")
    args = ap.parse_args(argv)

    store = Store(args.db)
    scheme = "https" if args.tls_dir else "http"
    Handler.app = App(args.mode, store, args.token_ttl, args.version, args.verbose, scheme)
    if ":" in args.host:
        Server.address_family = socket.AF_INET6
    httpd = Server((args.host, args.port), Handler)
    if args.tls_dir:
        # The official Bitwarden CLI refuses http:// servers (InsecureUrlNotAllowedError), so
        # the tests that drive it need HTTPS; the handshake runs in the request's thread.
        import ssl
        import testca
        _, cert, key = testca.ensure(args.tls_dir)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True,
                                       do_handshake_on_connect=False)
    host, port = httpd.server_address[:2]
    def on_sigterm(*_):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    shown = "[%s]" % host if ":" in host else host
    print("listening %s://%s:%d" % (scheme, shown, port), flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
