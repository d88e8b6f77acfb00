"""Small helpers shared by the integration tests (standup, bad input, restart): HTTP calls with a
token, operators that cannot be dispatched to, lead creation, CSV uploads, error-body checks, raw
sockets for what `requests` cannot send, IPC frames, and a read-only look at the SQLite file."""
import itertools
import json
import os
import re
import socket
import sqlite3
import struct
import time

import requests

TIMEOUT = 10
ID_RE = re.compile(r"^[0-9a-f]{24}$")
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def auth(token):
    return {"Authorization": f"Bearer {token}"} if token else {}


def call(system, method, path, token=None, timeout=TIMEOUT, **kw):
    """One HTTP request to the gateway with an optional Bearer token."""
    headers = dict(kw.pop("headers", {}) or {})
    headers.update(auth(token))
    return requests.request(method, system.url + path, headers=headers, timeout=timeout, **kw)


def body_of(resp):
    """The JSON body, or an AssertionError showing what came instead."""
    try:
        return resp.json()
    except ValueError:
        raise AssertionError(f"{resp.request.method} {resp.url}: status {resp.status_code}, body is not JSON: "
                             f"{resp.text[:300]!r}")


def expect(resp, status):
    """Asserts the status and returns the JSON body."""
    assert resp.status_code == status, (f"{resp.request.method} {resp.url}: expected {status}, "
                                        f"got {resp.status_code}: {resp.text[:500]}")
    return body_of(resp)


def expect_error(resp, status, error=None, mentions=None):
    """Asserts an error answer: `status`, a JSON object with string `error` and `message`;
    `error` (exact) and `mentions` (a word that must appear in error or message) when given."""
    body = expect(resp, status)
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and body["error"], f"no 'error' string in {body}"
    assert isinstance(body.get("message"), str) and body["message"], f"no 'message' string in {body}"
    if error is not None:
        assert body["error"] == error, f"expected error {error!r}, got {body}"
    if mentions is not None:
        text = body["error"] + " " + body["message"] + " " + str(body.get("details", ""))
        assert mentions.lower() in text.lower(), f"expected the answer to name {mentions!r}: {body}"
    return body


def peers_reachable(system, token):
    """Whether the gateway reports both daemons reachable (`GET /api/admin/system-status`)."""
    try:
        r = call(system, "GET", "/api/admin/system-status", token, timeout=5)
        status = r.json()["systemStatus"]
        return r.status_code == 200 and status["queueDaemon"]["reachable"] and status["dialer"]["reachable"]
    except (requests.RequestException, ValueError, KeyError, TypeError):
        return False


def ready(system):
    """Logs the admin in and waits until the gateway's IPC connections to both daemons are up
    (the harness's start-up check accepts any 200 from system-status, which the gateway also
    answers while a daemon is unreachable). Returns the admin token."""
    token = system.login()
    system.wait_for(lambda: peers_reachable(system, token), timeout=20, what="queue-daemon and dialer-daemon reachable")
    return token


def phone(n):
    """A distinct valid Uzbek E.164 number for each n < 10_000_000."""
    return "+99890" + str(n).rjust(7, "0")


_numbers = itertools.count(8_000_000)


def register(system, admin_token, name, email, role="operator", number=None, password="operator-pass-1"):
    """Registers a user with the admin token; returns (id, token from the register answer)."""
    r = call(system, "POST", "/api/auth/register", admin_token,
             json={"name": name, "email": email, "password": password,
                   "phone": number or phone(next(_numbers)), "role": role})
    body = expect(r, 201)
    return body["user"]["id"], body["token"]


def set_unavailable(system, token):
    """The caller becomes unavailable, so the dispatcher places no calls to leads for them."""
    r = call(system, "PUT", "/api/operator/profile/availability", token, json={"isAvailable": False})
    expect(r, 200)


def quiet_operators(system, admin_token, count, prefix="op"):
    """`count` operators who are unavailable (the auto-dialer leaves pending leads alone, since a
    call is placed only for a free available operator). Create them BEFORE any lead exists.
    Returns [(id, token)]."""
    ops = []
    for i in range(count):
        uid, tok = register(system, admin_token, f"Operator {prefix} {i}", f"{prefix}{i}@example.com",
                            number=phone(5_000_000 + i))
        set_unavailable(system, tok)
        ops.append((uid, tok))
    return ops


def create_lead(system, token, number, **fields):
    body = dict(fields)
    body["phone"] = number
    r = call(system, "POST", "/api/leads", token, json=body)
    return expect(r, 201)["lead"]


def upload_csv(system, token, data, filename="leads.csv", content_type="text/csv", field="csvFile", timeout=60):
    if isinstance(data, str):
        data = data.encode("utf-8")
    files = {field: (filename, data, content_type)}
    return call(system, "POST", "/api/leads/upload-csv", token, files=files, timeout=timeout)


def names(items):
    """The `name` of each item."""
    return [item["name"] for item in items]


def get_lead(system, token, lead_id):
    """`GET /api/leads/:id` → the lead (asserting 200)."""
    return expect(call(system, "GET", f"/api/leads/{lead_id}", token), 200)["lead"]


def assignee(lead):
    """`assignedTo` as an id, whether the route gives the id or the populated user."""
    value = lead["assignedTo"]
    return value.get("_id") or value.get("id") if isinstance(value, dict) else value


def check_summary(body):
    """The CSV summary invariant; returns the summary."""
    assert body.get("message") == "CSV upload completed", body
    s = body["summary"]
    for key in ("totalProcessed", "successCount", "duplicateCount", "errorCount"):
        assert isinstance(s.get(key), int) and s[key] >= 0, f"{key} missing or not a count: {s}"
    assert s["successCount"] + s["duplicateCount"] + s["errorCount"] == s["totalProcessed"], s
    # Issue 12: imported rows whose number is on the do-not-call list (a part of successCount).
    s = dict(s)
    listed = s.pop("doNotCallCount", 0)
    assert isinstance(listed, int) and 0 <= listed <= s["successCount"], body["summary"]
    return s


def error_lines(errors):
    """The line numbers named by CSV error strings (`Line 7: ...`)."""
    lines = []
    for text in errors:
        m = re.search(r"(?i)\bline\s+(\d+)\b", text)
        assert m, f"error without a line number: {text!r}"
        lines.append(int(m.group(1)))
    return lines


def all_pages(system, token, path, params, limit=100):
    """Every item of a paginated list, page by page, checking the pagination block."""
    items, page = [], 1
    key = None
    while True:
        q = dict(params)
        q.update({"page": page, "limit": limit})
        body = expect(call(system, "GET", path, token, params=q), 200)
        key = key or next(k for k in body if k != "pagination")
        p = body["pagination"]
        assert p["page"] == page and p["limit"] == limit, p
        items += body[key]
        if page >= p["pages"]:
            assert len(items) == p["total"], (len(items), p)
            return items
        page += 1


# --- raw sockets ---------------------------------------------------------------------------------

def raw_exchange(system, data, read_timeout=5.0):
    """Sends raw bytes to the gateway, then reads until the server closes or `read_timeout`
    passes without data. Returns everything read."""
    with socket.create_connection(("127.0.0.1", system.port), timeout=read_timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if response_complete(b"".join(chunks)):
                break
        return b"".join(chunks)


def response_complete(data):
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return m is not None and len(rest) >= int(m.group(1))


def parse_raw_response(data):
    """(status, {lower-case header: value}, body bytes) of the first response in `data`."""
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines and lines[0].startswith("HTTP/1.1 "), f"not an HTTP response: {data[:200]!r}"
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", len(rest)))
    return status, headers, rest[:length]


def raw_error(data, status):
    """Asserts a raw response is `status` with a JSON `{error, message}` body."""
    got, headers, body = parse_raw_response(data)
    assert got == status, f"expected {status}, got {got}: {data[:400]!r}"
    obj = json.loads(body)
    assert isinstance(obj.get("error"), str) and isinstance(obj.get("message"), str), obj
    return obj


# --- IPC and database ----------------------------------------------------------------------------

def run_dir(system):
    return os.path.join(system.dir, "run")


def ipc_connect(system, name, timeout=3.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(os.path.join(run_dir(system), name))
    return s


def frame(obj):
    data = json.dumps(obj).encode("utf-8")
    return struct.pack(">I", len(data)) + data


def read_frame(s):
    head = recv_exact(s, 4)
    if head is None:
        return None
    (n,) = struct.unpack(">I", head)
    data = recv_exact(s, n)
    return None if data is None else json.loads(data)


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def closed_by_peer(s, within=3.0):
    """True when the peer closes the connection (EOF or reset) within `within` seconds,
    discarding anything it sends first."""
    deadline = time.time() + within
    while time.time() < deadline:
        s.settimeout(max(0.05, deadline - time.time()))
        try:
            if not s.recv(65536):
                return True
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def hello(system, name, role="gateway"):
    """Opens a fresh IPC connection and completes the hello handshake; returns the reply."""
    with ipc_connect(system, name) as s:
        s.sendall(frame({"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": role}}))
        return read_frame(s)


def db_path(system):
    return os.path.join(system.dir, "ibrat.db")


def db_query(system, sql, params=()):
    """Runs a read-only query on the shared database (WAL lets us read beside the daemons)."""
    con = sqlite3.connect(f"file:{db_path(system)}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def lead_count(system):
    return db_query(system, "SELECT count(*) FROM leads")[0][0]
