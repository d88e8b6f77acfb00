"""Helpers for the calling integration tests (test_calling*.py): a system of the three real
daemons tuned for fast simulated calls, lead and operator creation over HTTP, queue controls
(the admin HTTP route when the gateway has it, else `queue.control` over the queue's IPC socket),
and read-only SQLite queries for the end-state checks. No tests here."""
import json
import os
import socket
import sqlite3
import struct

import requests

from conftest import System, auth

FAST_CALLS = {
    "IBRAT_MAX_CONCURRENT_CALLS": "3",
    "IBRAT_SIM_TIME_SCALE": "0.01",
    "IBRAT_SIM_RING_SECONDS": "1-5",
    "IBRAT_SIM_TALK_SECONDS": "1-10",
    "IBRAT_BACKOFF_BUSY": "1",
    "IBRAT_BACKOFF_NO_ANSWER": "1",
    "IBRAT_BACKOFF_FAILED": "1",
    "IBRAT_STUCK_SWEEP": "2",
}
LIVE = ("initiated", "ringing", "answered")
FINAL_LEAD_STATES = {"pending", "claimed", "transferred", "failed"}
PRIORITIES = ["urgent"] * 20 + ["high"] * 40 + ["medium"] * 80 + ["low"] * 60


class CallingSystem(System):
    """`System` plus socket readiness, lead/operator helpers and SQL reads."""

    def __init__(self, extra_env=None):
        env = dict(FAST_CALLS)
        env.update(extra_env or {})
        super().__init__(env)
        self.token = None

    def socket_path(self, name):
        return os.path.join(self.dir, "run", f"{name}.sock")

    def listening(self, name):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(self.socket_path(name))
            return True
        except OSError:
            return False
        finally:
            s.close()

    def wait_daemon(self, name, timeout=20):
        sock = {"queue-daemon": "queue", "dialer-daemon": "dialer"}[name]
        self.wait_for(lambda: self.listening(sock), timeout, f"{name} listening")

    def boot(self):
        for name in ("dialer-daemon", "queue-daemon", "api-gateway"):
            self.start(name)
        self.wait_daemon("dialer-daemon")
        self.wait_daemon("queue-daemon")
        self.wait_healthy()
        self.token = self.login()

    def add_leads(self, priorities, first=0):
        ids = []
        for i, priority in enumerate(priorities, start=first):
            r = requests.post(self.url + "/api/leads", headers=auth(self.token), timeout=10,
                              json={"phone": f"+99890{i:07d}", "name": f"Lead {i}", "priority": priority})
            assert r.status_code == 201, r.text
            ids.append(r.json()["lead"]["id"])
        return ids

    def add_operators(self, count):
        return [self.create_operator(self.token, f"Operator {i}", f"op{i}@example.com",
                                     phone=f"+99891{i:07d}")[0] for i in range(count)]

    def control(self, action, **extra):
        """`POST /api/admin/system/control`, or `queue.control` over IPC while the route is missing."""
        body = dict(extra, action=action)
        r = requests.post(self.url + "/api/admin/system/control", headers=auth(self.token), json=body, timeout=10)
        if r.status_code != 404:
            assert r.status_code == 200, r.text
            return r.json()
        return ipc_request(self.socket_path("queue"), "queue.control", body)

    def db(self):
        return sqlite3.connect(f"file:{os.path.join(self.dir, 'ibrat.db')}?mode=ro", uri=True, timeout=10)

    def scalar(self, sql, *params):
        with self.db() as con:
            return con.execute(sql, params).fetchone()[0]

    def rows(self, sql, *params):
        with self.db() as con:
            return con.execute(sql, params).fetchall()

    def live_calls(self):
        return self.scalar(f"SELECT COUNT(*) FROM calls WHERE status IN {LIVE}")

    def wait_drained(self, timeout=180):
        """Every lead transferred or failed, no call live."""
        self.wait_for(lambda: self.scalar(
            "SELECT COUNT(*) FROM leads WHERE status NOT IN ('transferred', 'failed')") == 0
            and self.live_calls() == 0, timeout, "all leads in a final state")

    def assert_consistent(self):
        statuses = {s for (s,) in self.rows("SELECT DISTINCT status FROM leads")}
        assert statuses <= FINAL_LEAD_STATES, statuses
        assert self.live_calls() == 0, "a call was left unfinished"
        overlaps = self.rows("""
            SELECT a.lead_id, a.id, b.id FROM calls a JOIN calls b ON a.lead_id = b.lead_id AND a.id < b.id
            WHERE a.start_time < COALESCE(b.end_time, 9223372036854775807)
              AND b.start_time < COALESCE(a.end_time, 9223372036854775807)""")
        assert overlaps == [], f"leads with two live calls at once: {overlaps[:5]}"
        attempts = self.scalar("SELECT MAX(call_attempts) FROM leads")
        assert attempts is None or attempts <= 3


def ipc_request(path, type_, body, timeout=10):
    """One command on a fresh IPC connection as the gateway; returns the reply body."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        send_frame(s, {"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": "gateway"}})
        hello = read_frame(s)
        assert hello["type"] == "hello", hello
        send_frame(s, {"v": 1, "type": type_, "id": 2, "re": None, "body": body})
        while True:
            msg = read_frame(s)
            if msg.get("re") == 2:
                assert msg["type"] == "reply", msg
                return msg["body"]


def send_frame(s, obj):
    data = json.dumps(obj).encode()
    s.sendall(struct.pack(">I", len(data)) + data)


def read_frame(s):
    (length,) = struct.unpack(">I", read_exact(s, 4))
    return json.loads(read_exact(s, length))


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("IPC peer closed the connection")
        buf += chunk
    return buf


def first_dial_times(system):
    """{priority: [first call start time of each dialled lead]}."""
    result = {}
    for priority, first in system.rows("""
            SELECT l.priority, MIN(c.start_time) FROM calls c JOIN leads l ON l.id = c.lead_id
            GROUP BY c.lead_id"""):
        result.setdefault(priority, []).append(first)
    return result


def wait_calls(system, count, timeout=60):
    system.wait_for(lambda: system.scalar("SELECT COUNT(*) FROM calls") >= count, timeout, f"{count} calls")


def explain(system):
    """`GET /api/admin/queue/explain`: the queue's own account of why it dials or not."""
    r = requests.get(system.url + "/api/admin/queue/explain", headers=auth(system.token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["explanation"]


def log_count(system, name, text):
    return system.log_text(name).count(text)


def wait_logged(system, name, text, before, what, timeout=20):
    """Waits until daemon `name` has logged `text` more often than `before` times."""
    system.wait_for(lambda: log_count(system, name, text) > before, timeout, what)


# The queue-daemon's line when its dialer connection drops (Dispatcher).
DIALER_LOST = "dialer-daemon connection lost"
