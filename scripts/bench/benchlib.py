"""Helpers shared by the Python halves of the calling-slice benchmarks (stdlib only): a keep-alive
HTTP client for the gateway, admin login, operator registration, queue control, percentiles, a
read-only view of the SQLite file, /proc CPU and RSS sampling, and a minimal IPC client
(4-byte big-endian length + JSON envelope, docs/IPC.md)."""
import http.client
import json
import os
import socket
import sqlite3
import statistics
import struct
import sys
import time
import urllib.parse
import uuid

ADMIN_EMAIL = os.environ.get("IBRAT_ADMIN_EMAIL", "bench@example.com")
ADMIN_PASSWORD = os.environ.get("IBRAT_ADMIN_PASSWORD", "bench-password-1")


class Gateway:
    """One keep-alive HTTP/1.1 connection to the gateway."""

    def __init__(self, url, token=None):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.token = token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method, path, body=None, auth=True):
        """(status, parsed JSON or None, milliseconds for the round trip)."""
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth and self.token:
            headers["Authorization"] = "Bearer " + self.token
        for attempt in (0, 1):
            t = time.perf_counter()
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                # The gateway closed the idle keep-alive connection (idle timeout): reconnect once.
                self.conn.close()
                if attempt:
                    raise
        ms = (time.perf_counter() - t) * 1000
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return r.status, parsed, ms

    def ok(self, method, path, body=None, auth=True, expect=(200, 201)):
        status, parsed, ms = self.request(method, path, body, auth)
        if status not in expect:
            sys.exit(f"{method} {path}: HTTP {status} {parsed}")
        return parsed, ms

    def login(self):
        body, _ = self.ok("POST", "/api/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, auth=False)
        self.token = body["token"]
        return self.token

    def control(self, action, value=None):
        body = {"action": action}
        if value is not None:
            body["value"] = value
        return self.ok("POST", "/api/admin/system/control", body)[0]

    def queue_status(self):
        return self.control("get_queue_status")["status"]

    def wait_dispatch_ready(self, timeout=30):
        """Waits until the queue-daemon is connected to the dialer and has reconciled with it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body, _ = self.request("POST", "/api/admin/system/control", {"action": "get_queue_status"})
            if status == 200 and body["status"].get("dialerSynced"):
                return body["status"]
            time.sleep(0.1)
        sys.exit("queue-daemon never reported dialerSynced")

    def upload_csv(self, csv_bytes, filename="leads.csv"):
        """`POST /api/leads/upload-csv` (multipart `csvFile`) → (summary, seconds); exits on an error."""
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csvFile\"; filename=\"{filename}\"\r\n"
                f"Content-Type: text/csv\r\n\r\n").encode() + csv_bytes + f"\r\n--{boundary}--\r\n".encode()
        t = time.perf_counter()
        self.conn.request("POST", "/api/leads/upload-csv", body=body, headers={
            "Authorization": "Bearer " + self.token, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        r = self.conn.getresponse()
        raw = r.read()
        if r.status != 200:
            sys.exit(f"upload: HTTP {r.status} {raw[:300]!r}")
        return json.loads(raw)["summary"], time.perf_counter() - t

    def register_operators(self, count, start=0):
        """Registers `count` operators (available by default); returns their ids."""
        ids = []
        for i in range(start, start + count):
            body, _ = self.ok("POST", "/api/auth/register", {
                "name": f"Bench Operator {i}", "email": f"op{i}@bench.example.com",
                "phone": f"+99893{i:07d}", "password": "operator-pass-1", "role": "operator"})
            ids.append(body["user"]["id"])
        return ids


def wait_free_operators(gw, count, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = gw.queue_status()
        if st.get("freeOperators", 0) >= count:
            return st
        time.sleep(0.1)
    sys.exit(f"the queue never saw {count} free operators: {gw.queue_status()}")


def pct(values, p):
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(-(-p * len(v) // 100)) - 1))]


def object_id(prefix, n):
    """A 24-hex id as the daemons make them: seconds, a 6-hex prefix naming the kind, a counter."""
    return f"{int(time.time()):08x}{prefix:06x}{n:010x}"


def dialer_bench_parser():
    """Arguments of the benchmarks that drive the dialer-daemon directly: its socket and pid."""
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("pid", type=int)
    return ap


def median(values):
    return statistics.median(values) if values else float("nan")


def readonly_db(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    db.execute("PRAGMA busy_timeout=30000")
    return db


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_percent(pid, seconds):
    """CPU used by `pid` over the next `seconds` (percent of one core)."""
    c0, t0 = proc_cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (proc_cpu_seconds(pid) - c0) / (time.monotonic() - t0) * 100


class IPCClient:
    """Blocking client for the daemons' sockets: hello, requests matched on `re`, events queued."""

    def __init__(self, path, role):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = bytearray()
        self.next_id = 1
        self.events = 0
        reply = self.call("hello", {"v": 1, "role": role})
        if reply["type"] != "hello":
            raise RuntimeError(f"hello refused: {reply}")

    def send(self, type_, body):
        msg_id = self.next_id
        self.next_id += 1
        data = json.dumps({"v": 1, "type": type_, "id": msg_id, "re": None, "body": body},
                          separators=(",", ":")).encode()
        self.sock.sendall(struct.pack("!I", len(data)) + data)
        return msg_id

    def send_many(self, frames):
        """Writes several (type, body) requests in one go; returns their ids."""
        out, ids = bytearray(), []
        for type_, body in frames:
            ids.append(self.next_id)
            data = json.dumps({"v": 1, "type": type_, "id": self.next_id, "re": None, "body": body},
                              separators=(",", ":")).encode()
            self.next_id += 1
            out += struct.pack("!I", len(data)) + data
        self.sock.sendall(out)
        return ids

    def read(self):
        """The next frame (events are counted and returned like any other frame)."""
        while True:
            if len(self.buf) >= 4:
                n = struct.unpack_from("!I", self.buf)[0]
                if len(self.buf) >= 4 + n:
                    frame = json.loads(bytes(self.buf[4:4 + n]))
                    del self.buf[:4 + n]
                    if frame["type"].startswith("event."):
                        self.events += 1
                    return frame
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("peer closed the connection")
            self.buf += chunk

    def wait_replies(self, ids):
        """Reads until every id in `ids` got its reply or error; returns {id: frame}."""
        pending, got = set(ids), {}
        while pending:
            frame = self.read()
            if frame.get("re") in pending:
                pending.discard(frame["re"])
                got[frame["re"]] = frame
        return got

    def call(self, type_, body):
        msg_id = self.send(type_, body)
        return self.wait_replies([msg_id])[msg_id]

    def close(self):
        self.sock.close()
