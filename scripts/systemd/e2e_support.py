"""HTTP and container helpers of scripts/systemd/e2e_checks.py: commands inside the container
through nsenter, a one-connection-per-request JSON client for the gateway, a load client that
keeps creating and listing leads, and small queries (lead and call counts, queue control).
Standard library only."""
import http.client
import json
import subprocess
import threading
import time

HOST, PORT = "127.0.0.1", 5000


class CheckFailed(Exception):
    pass


class Container:
    """Commands inside the container (all namespaces of its init)."""

    def __init__(self, init_pid):
        self.prefix = ["nsenter", "-t", str(init_pid), "-m", "-u", "-i", "-n", "-p", "--"]

    def run(self, *cmd, check=True, timeout=120):
        p = subprocess.run(self.prefix + list(cmd), capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise CheckFailed(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip() or p.stdout.strip()}")
        return p.stdout

    def show(self, unit, *props):
        out = self.run("systemctl", "show", unit, *[f"--property={p}" for p in props])
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


class Api:
    """A tiny HTTP/1.1 JSON client: one connection per request, so every request is also a
    fresh connect() to the socket systemd holds."""

    def __init__(self, token=None):
        self.token = token

    def request(self, method, path, body=None, timeout=15):
        conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
        headers = {"Connection": "close"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace")
        return resp.status, payload


def entity_id(obj):
    if isinstance(obj, dict):
        return obj.get("id") or obj.get("_id")
    return obj


def step(text):
    print(f"e2e: -- {text}", flush=True)


def wait_for(what, cond, timeout, interval=0.2):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            value = cond()
            if value:
                return value
        except (OSError, http.client.HTTPException, CheckFailed) as e:
            last = e
        time.sleep(interval)
    raise CheckFailed(f"timed out after {timeout}s waiting for {what}" + (f" (last error: {last})" if last else ""))


def login(email, password):
    status, body = Api().request("POST", "/api/auth/login", {"email": email, "password": password})
    if status != 200 or not isinstance(body, dict) or "token" not in body:
        raise CheckFailed(f"login of {email} answered {status}: {body}")
    return body["token"]


class PhoneSeq:
    def __init__(self, start):
        self.next = start
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            self.next += 1
            return f"+99893{self.next:07d}"


def create_lead(api, phone, priority="medium"):
    return api.request("POST", "/api/leads", {"phone": phone, "name": "E2E " + phone[-4:], "priority": priority})


class LoadClient(threading.Thread):
    """Keeps creating leads (a command the queue-daemon must execute) and reading the lead
    list (answered by the gateway from SQL) until stopped. Any connection-level error is a
    failure; a 503 is retried (the phone is kept, so nothing is lost or duplicated)."""

    def __init__(self, api, phones):
        super().__init__(daemon=True)
        self.api, self.phones = api, phones
        self.stop = threading.Event()
        self.attempted, self.created, self.status_counts, self.errors = [], [], {}, []

    def run(self):
        while not self.stop.is_set():
            phone = self.phones.take()
            self.attempted.append(phone)
            for _ in range(50):
                try:
                    status, body = create_lead(self.api, phone)
                    self.status_counts[status] = self.status_counts.get(status, 0) + 1
                    if status == 201:
                        self.created.append(phone)
                        break
                    if status == 503:
                        time.sleep(0.1)
                        continue
                    if status in (400, 409) and "exist" in json.dumps(body).lower():
                        break  # a retried create whose first attempt had landed
                    self.errors.append(f"create {phone}: {status} {body}")
                    break
                except (OSError, http.client.HTTPException) as e:
                    self.errors.append(f"create {phone}: {type(e).__name__}: {e}")
                    break
            try:
                status, _ = self.api.request("GET", "/api/leads?page=1&limit=5")
                self.status_counts[f"GET {status}"] = self.status_counts.get(f"GET {status}", 0) + 1
                if status != 200:
                    self.errors.append(f"GET /api/leads: {status}")
            except (OSError, http.client.HTTPException) as e:
                self.errors.append(f"GET /api/leads: {type(e).__name__}: {e}")


def all_lead_phones(api):
    phones, page = set(), 1
    while True:
        status, body = api.request("GET", f"/api/leads?page={page}&limit=100")
        if status != 200:
            raise CheckFailed(f"GET /api/leads page {page}: {status} {body}")
        for lead in body.get("leads", []):
            phones.add(lead.get("phone"))
        pages = (body.get("pagination") or {}).get("pages", 1)
        if page >= pages:
            return phones
        page += 1


def lead_total(api, query=""):
    status, body = api.request("GET", f"/api/leads?page=1&limit=1{query}")
    if status != 200:
        raise CheckFailed(f"GET /api/leads{query}: {status} {body}")
    return (body.get("pagination") or {}).get("total", 0)


def control(api, action):
    status, body = api.request("POST", "/api/admin/system/control", {"action": action})
    if status != 200:
        raise CheckFailed(f"system/control {action}: {status} {body}")
    return body


def list_calls(api):
    status, body = api.request("GET", "/api/calls?page=1&limit=100")
    if status != 200:
        raise CheckFailed(f"GET /api/calls: {status} {body}")
    return body.get("calls", [])


def call_status(api, call_id):
    status, body = api.request("GET", f"/api/calls/{call_id}")
    if status != 200:
        raise CheckFailed(f"GET /api/calls/{call_id}: {status} {body}")
    return (body.get("call") or {}).get("status")


def count_calls(api, status):
    code, body = api.request("GET", f"/api/calls?page=1&limit=1&status={status}")
    if code != 200:
        raise CheckFailed(f"GET /api/calls?status={status}: {code} {body}")
    return (body.get("pagination") or {}).get("total", len(body.get("calls", [])))
