"""A fake Twilio for the integration tests: a loopback HTTP server (stdlib `http.server` in a
thread) that plays Twilio's REST API for calls and then calls the gateway's webhooks like Twilio.

REST side: checks every request the dialer sends (path, basic auth, form content type and fields:
To, From, Url, StatusCallback, StatusCallbackMethod, the four StatusCallbackEvent values, Timeout)
and answers like Twilio's documented JSON (201 with `sid` and `status: queued`; `Status=canceled`
or `completed` updates; GET of a call). Problems are collected in `violations` (tests assert it
stays empty). `reject_with(...)` makes the next creates fail with a Twilio error, `outage()` answers
503, `refuse_connections()` closes the port.

Webhook side: `status(sid, ...)` and `answer(sid)` POST form callbacks to the gateway signed with
`X-Twilio-Signature` over the public URL, as Twilio does; `signature=` overrides it (bad ones)."""
import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
FROM = "+15005550006"
PUBLIC_URL = "https://ibrat.example.test"
EVENTS = ["initiated", "ringing", "answered", "completed"]


def signature(token, url, params):
    """Twilio's algorithm: base64(HMAC-SHA1(token, url + sorted name+value pairs))."""
    data = url + "".join(name + value for name, value in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


class FakeTwilio:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = {}          # sid -> {"to", "from", "status", "form"}
        self.creates = []        # every create request's form, in order (accepted or not)
        self.updates = []        # (sid, Status) of every end request
        self.violations = []
        self.mode = ("ok",)
        self.gateway_url = None
        self.sequence = 0
        self.last = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # -- control ---------------------------------------------------------------------------
    def env(self):
        return {"IBRAT_TWILIO_ACCOUNT_SID": ACCOUNT_SID, "IBRAT_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                "IBRAT_TWILIO_FROM": FROM, "IBRAT_PUBLIC_URL": PUBLIC_URL, "IBRAT_TWILIO_API_BASE": self.base,
                "IBRAT_TWILIO_CPS": "5", "IBRAT_TWILIO_RING_TIMEOUT": "30"}

    def reject_with(self, status, code, message):
        self.mode = ("reject", status, code, message)

    def outage(self):
        self.mode = ("outage",)

    def recover(self):
        self.mode = ("ok",)

    def refuse_connections(self):
        self.server.shutdown()
        self.server.server_close()

    def stop(self):
        try:
            self.server.shutdown()
            self.server.server_close()
        except OSError:
            pass

    def sids(self):
        with self.lock:
            return list(self.calls)

    def wait_calls(self, count, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.sids()) >= count:
                return self.sids()
            time.sleep(0.05)
        raise AssertionError(f"expected {count} call(s) at the fake Twilio, got {len(self.sids())}")

    # -- webhooks ----------------------------------------------------------------------------
    def _params(self, sid, status, extra):
        call = self.calls[sid]
        self.sequence += 1
        params = [("AccountSid", ACCOUNT_SID), ("ApiVersion", "2010-04-01"), ("CallSid", sid),
                  ("CallStatus", status), ("Called", call["to"]), ("Caller", call["from"]), ("Direction", "outbound-api"),
                  ("From", call["from"]), ("To", call["to"])]
        return params + list(extra.items())

    def post(self, path, params, signature_override=None, query=""):
        self.last = (path, params, query)
        target = path + (("?" + query) if query else "")
        sig = signature_override if signature_override is not None else signature(AUTH_TOKEN, PUBLIC_URL + target, params)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "I-Twilio-Idempotency-Token": secrets.token_hex(8)}
        if sig:
            headers["X-Twilio-Signature"] = sig
        return requests.post(self.gateway_url + target, data=urllib.parse.urlencode(params), headers=headers, timeout=10)

    def replay(self):
        """Sends the last webhook again, byte for byte, correctly signed."""
        path, params, query = self.last
        return self.post(path, params, query=query)

    def status(self, sid, status, duration=None, signature_override=None, **extra):
        extra = dict(extra)
        extra.setdefault("Timestamp", time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()))
        extra.setdefault("SequenceNumber", str(self.sequence))
        extra.setdefault("CallbackSource", "call-progress-events")
        if duration is not None:
            extra["CallDuration"] = str(duration)
            extra["Duration"] = str(max(1, (duration + 59) // 60))
        params = self._params(sid, status, extra)
        return self.post("/api/calls/webhook/status", params, signature_override)

    def answer(self, sid, signature_override=None, answered_by=None):
        extra = {"AnsweredBy": answered_by} if answered_by else {}
        return self.post("/api/calls/webhook/answer", self._params(sid, "in-progress", extra), signature_override)

    # -- REST side ---------------------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json"):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _check_auth(self):
                expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    fake.violations.append(f"bad Authorization on {self.command} {self.path}")
                    self._send(401, {"code": 20003, "message": "Authenticate", "status": 401})
                    return False
                return True

            def _form(self):
                if self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
                    fake.violations.append(f"{self.path}: Content-Type {self.headers.get('Content-Type')}")
                length = int(self.headers.get("Content-Length", "0"))
                return urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)

            def do_POST(self):
                base = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls"
                if not self._check_auth():
                    return
                form = self._form()
                if fake.mode[0] == "outage":
                    with fake.lock:
                        fake.creates.append(form)
                    return self._send(503, "<html><body>Service Unavailable</body></html>", "text/html")
                if self.path == base + ".json":
                    return self._create(form)
                match = re.fullmatch(re.escape(base) + r"/(CA[0-9a-f]{32})\.json", self.path)
                if match and match.group(1) in fake.calls:
                    status = form.get("Status", [""])[0]
                    if status not in ("canceled", "completed"):
                        fake.violations.append(f"update with Status={status}")
                    with fake.lock:
                        fake.updates.append((match.group(1), status))
                        call = fake.calls[match.group(1)]
                        if call["status"] not in ("completed", "busy", "no-answer", "failed", "canceled"):
                            call["status"] = status
                    return self._send(200, {"sid": match.group(1), "status": call["status"]})
                fake.violations.append(f"unexpected POST {self.path}")
                self._send(404, {"code": 20404, "message": "The requested resource was not found", "status": 404})

            def do_GET(self):
                if not self._check_auth():
                    return
                match = re.fullmatch(rf"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/(CA[0-9a-f]{{32}})\.json", self.path)
                if match and match.group(1) in fake.calls:
                    call = fake.calls[match.group(1)]
                    return self._send(200, {"sid": match.group(1), "status": call["status"], "duration": None})
                self._send(404, {"code": 20404, "message": "The requested resource was not found", "status": 404})

            def _create(self, form):
                with fake.lock:
                    fake.creates.append(form)
                checks = {"From": [FROM], "Url": [PUBLIC_URL + "/api/calls/webhook/answer"],
                          "StatusCallback": [PUBLIC_URL + "/api/calls/webhook/status"],
                          "StatusCallbackMethod": ["POST"], "StatusCallbackEvent": EVENTS}
                for name, expected in checks.items():
                    if form.get(name) != expected:
                        fake.violations.append(f"create: {name}={form.get(name)} (expected {expected})")
                to = form.get("To", [""])[0]
                if not re.fullmatch(r"\+[1-9][0-9]{7,14}", to):
                    fake.violations.append(f"create: To={to}")
                timeout = form.get("Timeout", ["?"])[0]
                if not timeout.isdigit() or not 5 <= int(timeout) <= 600:
                    fake.violations.append(f"create: Timeout={timeout}")
                if fake.mode[0] == "reject":
                    _, status, code, message = fake.mode
                    return self._send(status, {"code": code, "message": message,
                                               "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status})
                sid = "CA" + secrets.token_hex(16)
                with fake.lock:
                    fake.calls[sid] = {"to": to, "from": FROM, "status": "queued", "form": form}
                self._send(201, {"sid": sid, "account_sid": ACCOUNT_SID, "to": to, "from": FROM, "status": "queued",
                                 "direction": "outbound-api", "api_version": "2010-04-01", "duration": None,
                                 "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{sid}.json"})

        return Handler
