"""Injected faults: the answers a flaky network or server gives, set per request method and
path for the next N requests through /__test/fault. Mixed into bwserver.App."""

from common import *  # noqa: F401,F403

# The kinds of fault, each as the answer it gives (`drop` gives none).
FAULT_KINDS = ("500", "502-html", "200-html", "400-validation", "conflict", "drop", "delay")

_BAD_GATEWAY = (b"<html><head><title>502 Bad Gateway</title></head><body><center>"
                b"<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
_PORTAL = (b"<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>"
           b"<form action=\"/portal/login\"><input name=\"room\"></form></body></html>")


class Faults:
    def init_faults(self):
        self.faults = []   # [{method, path (compiled), fault, left, apply, message}]
        self.faults_lock = threading.Lock()

    def add_fault(self, body):
        """Validates and records one fault; returns its public form."""
        kind = body.get("fault")
        if kind not in FAULT_KINDS:
            raise HttpError(400, {"error": "fault must be one of " + ", ".join(FAULT_KINDS)})
        try:
            pattern = re.compile(str(body.get("path") or ".*"))
        except re.error:
            raise HttpError(400, {"error": "path is not a regular expression"})
        count = as_int(body.get("count"))
        method = body.get("method")
        fault = {"method": method.upper() if isinstance(method, str) else None,
                 "path": pattern, "fault": kind, "left": 1 if count is None else count,
                 "apply": body.get("apply") is True,
                 "message": str(body.get("message") or "The field Name is invalid."),
                 # `delay`: the request waits `ms` (a slow server, a request still out when
                 # the client gives up), then is answered (`apply`) or dropped unanswered.
                 "ms": max(0, min(as_int(body.get("ms")) or 0, 60_000))}
        with self.faults_lock:
            self.faults.append(fault)
        return self.fault_view(fault)

    @staticmethod
    def fault_view(f):
        return {"method": f["method"], "path": f["path"].pattern, "fault": f["fault"],
                "left": f["left"], "apply": f["apply"]}

    def list_faults(self):
        with self.faults_lock:
            return [self.fault_view(f) for f in self.faults]

    def clear_faults(self):
        with self.faults_lock:
            self.faults.clear()

    def take_fault(self, method, path):
        """The first fault matching this request, counted down (and forgotten at zero)."""
        with self.faults_lock:
            found = None
            for f in self.faults:
                if f["method"] not in (None, method) or not f["path"].fullmatch(path):
                    continue
                f["left"] -= 1
                if f["left"] <= 0:
                    self.faults.remove(f)
                found = f
                break
        if found is None or found["fault"] != "delay":
            return found
        time.sleep(found["ms"] / 1000)  # this request's thread only: the others go on
        return None if found["apply"] else {"fault": "drop", "apply": False}

    def fault_answer(self, f):
        """The answer of a fault; `Response.drop` asks the HTTP glue to close without one."""
        kind = f["fault"]
        if kind == "500":
            return self.json_response(500, shapes.error(self.mode, "Internal server error"))
        if kind == "502-html":
            return Response(502, _BAD_GATEWAY, "text/html")
        if kind == "200-html":
            return Response(200, _PORTAL, "text/html; charset=utf-8")
        if kind == "400-validation":
            # Bitwarden's model-state answer, whatever the mode (a proxy in front, or a newer
            # server): the client must read it either way.
            return self.json_response(400, shapes.vw_validation_error({"Name": [f["message"]]}))
        if kind == "conflict":
            return self.json_response(400, shapes.vw_error(MSG_OUT_OF_DATE))
        resp = Response(0, b"", None)
        resp.drop = True
        return resp
