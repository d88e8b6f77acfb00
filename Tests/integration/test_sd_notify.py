"""The sd_notify protocol of the three daemons, checked against a fake NOTIFY_SOCKET (DESIGN §9,
issue 5 "Tests"): an AF_UNIX datagram socket bound in the test's directory stands in for systemd.

- READY=1 arrives only after start-up recovery: a call left live in `calls` is already `failed`
  with `end_reason='restart'` (dialer), a lead left `calling` is already back in the queue
  (queue-daemon), the HTTP port accepts and the first admin exists (gateway). The daemon is
  frozen with SIGSTOP the moment READY is read, so the database is inspected as it was then.
- STATUS= lines say something an operator can use (active calls, dispatch counts, peers).
- With WATCHDOG_USEC (and WATCHDOG_PID = the daemon's own pid, set by `sh -c '... exec'`),
  WATCHDOG=1 keep-alives arrive repeatedly at about the configured rate.
- SIGTERM: STOPPING=1, then exit status 0 — also when it arrives the moment READY=1 is sent
  (made deterministic with strace delaying the daemon's sendmsg; skipped without strace)."""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import time

import pytest
import requests

from conftest import BIN_DIR, System
from ipc_client import ipc_call, read_frame  # noqa: F401

READY_TIMEOUT = 20
WATCHDOG_USEC = 200_000
WATCHDOG_WINDOW = 2.0
# Where each daemon's status line comes from and what it must say.
STATUS_PATTERNS = {
    "dialer-daemon": re.compile(r"^\d+ active calls?, provider=\w+"),
    "queue-daemon": re.compile(r"^(queue (running|paused), max \d+ concurrent calls|dialing \d+/\d+, \d+ pending, paused=(yes|no))"),
    "api-gateway": re.compile(r"^serving on [0-9.]+:\d+, queue-daemon (up|down), dialer-daemon (up|down)$"),
}
DAEMONS = tuple(STATUS_PATTERNS)


class NotifySocket:
    """A fake systemd notification socket: every datagram is kept as (monotonic time, [lines])."""

    def __init__(self, directory, name="notify"):
        self.path = os.path.join(directory, f"{name}.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.received = []

    def close(self):
        self.sock.close()

    def _receive(self, timeout):
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return None
        lines = data.decode("utf-8", "replace").split("\n")
        self.received.append((time.monotonic(), lines))
        return lines

    def wait_for(self, predicate, timeout, proc=None, what="notification"):
        """Reads until a datagram has a line for which `predicate` holds; returns that line."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what} within {timeout} s; received {self.assignments()}")
            lines = self._receive(min(left, 0.2))
            if lines is None:
                if proc is not None and proc.poll() is not None:
                    raise AssertionError(f"daemon exited with {proc.returncode} before {what}; "
                                         f"received {self.assignments()}")
                continue
            for line in lines:
                if predicate(line):
                    return line

    def wait_line(self, line, timeout, proc=None):
        return self.wait_for(lambda l: l == line, timeout, proc, line)

    def drain(self, seconds):
        """Collects every datagram arriving within `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._receive(left)

    def assignments(self):
        return [line for _, lines in self.received for line in lines]

    def statuses(self):
        return [l[len("STATUS="):] for l in self.assignments() if l.startswith("STATUS=")]


@pytest.fixture
def sysm():
    s = System()
    yield s
    for p in s.procs.values():
        if p.poll() is None:
            try:
                os.kill(p.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    s.stop_all()
    shutil.rmtree(s.dir, ignore_errors=True)


def launch(sysm, name, notify=None, watchdog_usec=None, env=None):
    """Starts `name` like `System.start`, with NOTIFY_SOCKET and optionally a watchdog whose
    WATCHDOG_PID is the daemon's own pid (the shell's pid, kept by exec)."""
    e = dict(sysm.env)
    e.update(env or {})
    argv = [os.path.join(BIN_DIR, name)]
    if notify is not None:
        e["NOTIFY_SOCKET"] = notify.path
    if watchdog_usec is not None:
        e["WATCHDOG_USEC"] = str(watchdog_usec)
        argv = ["sh", "-c", 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$0"', argv[0]]
    old = sysm.logs.get(name)
    if old is not None:
        old.close()
    log = open(os.path.join(sysm.dir, f"{name}.log"), "ab")
    sysm.logs[name] = log
    proc = subprocess.Popen(argv, env=e, stdout=log, stderr=log, cwd=sysm.dir)
    sysm.procs[name] = proc
    return proc


def run_once(sysm, name, ready):
    """Starts `name` without systemd, waits for `ready()`, stops it with SIGTERM (exit 0):
    the database then holds the daemon's tables."""
    sysm.start(name)
    sysm.wait_for(ready, READY_TIMEOUT, f"{name} listening")
    sysm.kill(name, signal.SIGTERM)
    assert sysm.procs[name].returncode == 0, sysm.log_text(name)


def socket_path(sysm, name):
    return os.path.join(sysm.dir, "run", name)


def db(sysm):
    conn = sqlite3.connect(os.path.join(sysm.dir, "ibrat.db"), timeout=5)
    conn.row_factory = sqlite3.Row
    return conn


def now_ms():
    return int(time.time() * 1000)


def start_ready(sysm, name, **kw):
    notify = NotifySocket(sysm.dir, name)
    proc = launch(sysm, name, notify, **kw)
    ready = notify.wait_line("READY=1", READY_TIMEOUT, proc)
    assert ready
    return proc, notify


# ---------------------------------------------------------------- READY only after recovery

def test_dialer_ready_only_after_live_calls_are_ended(sysm):
    run_once(sysm, "dialer-daemon", lambda: os.path.exists(socket_path(sysm, "dialer.sock")))
    t = now_ms() - 60_000
    with db(sysm) as conn:
        for cid, status in (("a" * 24, "ringing"), ("b" * 24, "answered"), ("c" * 24, "completed")):
            conn.execute(
                "INSERT INTO calls (id, lead_id, operator_id, twilio_call_sid, mode, status, from_number, to_number,"
                " start_time, answer_time, end_time, created_at, updated_at)"
                " VALUES (?, ?, NULL, ?, 'automatic', ?, '+10000000000', '+998901112233', ?, ?, ?, ?, ?)",
                (cid, "d" * 24, "SIM" + cid, status, t, t if status != "ringing" else None,
                 t if status == "completed" else None, t, t))
    notify = NotifySocket(sysm.dir, "dialer")
    proc = launch(sysm, "dialer-daemon", notify)
    notify.wait_line("READY=1", READY_TIMEOUT, proc)
    os.kill(proc.pid, signal.SIGSTOP)  # the database as it was when READY was sent
    try:
        with db(sysm) as conn:
            rows = {r["id"]: r for r in conn.execute("SELECT id, status, end_reason, end_time FROM calls")}
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    for cid in ("a" * 24, "b" * 24):
        assert rows[cid]["status"] == "failed", dict(rows[cid])
        assert rows[cid]["end_reason"] == "restart", dict(rows[cid])
        assert rows[cid]["end_time"] is not None, dict(rows[cid])
    assert rows["c" * 24]["status"] == "completed" and rows["c" * 24]["end_reason"] is None, dict(rows["c" * 24])
    assert "READY=1" in notify.received[0][1], f"READY is not the first notification: {notify.assignments()}"


def insert_lead(conn, lead_id, phone, status, t):
    conn.execute(
        "INSERT INTO leads (id, phone, name, status, priority, priority_rank, call_attempts, last_call_attempt,"
        " created_at, updated_at) VALUES (?, ?, 'Stuck Lead', ?, 'high', 1, 1, ?, ?, ?)",
        (lead_id, phone, status, t, t, t))


def test_queue_ready_only_after_stuck_leads_are_reset(sysm):
    run_once(sysm, "queue-daemon", lambda: os.path.exists(socket_path(sysm, "queue.sock")))
    stuck, waiting = "e" * 24, "f" * 24
    t = now_ms() - 60_000
    with db(sysm) as conn:
        insert_lead(conn, stuck, "+998901234001", "calling", t)
        insert_lead(conn, waiting, "+998901234002", "pending", t)
    notify = NotifySocket(sysm.dir, "queue")
    proc = launch(sysm, "queue-daemon", notify)
    notify.wait_line("READY=1", READY_TIMEOUT, proc)
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        with db(sysm) as conn:
            leads = {r["id"]: r for r in conn.execute("SELECT id, status FROM leads")}
            events = [dict(r) for r in conn.execute(
                "SELECT from_status, to_status, reason FROM lead_events WHERE lead_id = ?", (stuck,))]
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    assert leads[stuck]["status"] != "calling", f"stuck lead still 'calling' at READY; events {events}"
    assert leads[stuck]["status"] == "pending", dict(leads[stuck])
    assert any(e["from_status"] == "calling" and e["to_status"] == "pending" for e in events), events
    assert leads[waiting]["status"] == "pending"


def test_gateway_ready_only_when_listening_and_admin_exists(sysm):
    notify = NotifySocket(sysm.dir, "gateway")
    proc = launch(sysm, "api-gateway", notify)
    notify.wait_line("READY=1", READY_TIMEOUT, proc)
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        # A stopped process cannot accept, but a listening socket completes the handshake.
        with socket.create_connection(("127.0.0.1", sysm.port), timeout=2):
            pass
        with db(sysm) as conn:
            admins = conn.execute("SELECT email, role FROM users WHERE role = 'admin'").fetchall()
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    assert [(a["email"], a["role"]) for a in admins] == [("admin@example.com", "admin")]
    assert requests.get(sysm.url + "/health", timeout=5).status_code == 200


# ---------------------------------------------------------------- STATUS=

def test_status_lines_are_meaningful(sysm):
    """The whole system, each daemon with its own notify socket: every STATUS= line matches its
    daemon's format, and the gateway's ends up reporting both peers up."""
    notifies = {}
    for name in ("dialer-daemon", "queue-daemon", "api-gateway"):
        notifies[name] = NotifySocket(sysm.dir, name)
        proc = launch(sysm, name, notifies[name])
        notifies[name].wait_line("READY=1", READY_TIMEOUT, proc)
    gw = notifies["api-gateway"]
    gw.wait_for(lambda l: l.startswith("STATUS=") and "queue-daemon up" in l and "dialer-daemon up" in l,
                10, sysm.procs["api-gateway"], "gateway STATUS with both peers up")
    notifies["queue-daemon"].wait_for(lambda l: re.match(r"STATUS=dialing \d+/5, \d+ pending, paused=no$", l),
                                      10, sysm.procs["queue-daemon"], "queue STATUS 'dialing n/5, m pending, paused=no'")
    for name, notify in notifies.items():
        notify.drain(0.2)
        statuses = notify.statuses()
        assert statuses, f"{name} sent no STATUS="
        for line in statuses:
            assert STATUS_PATTERNS[name].match(line), f"{name}: unexpected STATUS={line!r}"
        ready = next(lines for _, lines in notify.received if "READY=1" in lines)
        assert any(l.startswith("STATUS=") for l in ready), f"{name}: READY=1 without a STATUS= line: {ready}"
    assert f"serving on 127.0.0.1:{sysm.port}" in gw.statuses()[0]


def test_queue_status_follows_pause_and_capacity(sysm):
    """The queue's status line changes when the admin pauses the queue or changes the number of
    lines (queue.control, as the gateway sends it)."""
    sysm.start("dialer-daemon")
    notify = NotifySocket(sysm.dir, "queue")
    proc = launch(sysm, "queue-daemon", notify)
    notify.wait_line("READY=1", READY_TIMEOUT, proc)
    replies = ipc_call(socket_path(sysm, "queue.sock"), [
        ("queue.control", {"action": "pause_queue"}),
        ("queue.control", {"action": "set_max_concurrent_calls", "value": 7}),
    ])
    assert [r["type"] for r in replies] == ["hello", "reply", "reply"], replies
    notify.wait_for(lambda l: re.match(r"STATUS=dialing 0/7, \d+ pending, paused=yes", l), 5, proc,
                    "STATUS 'dialing 0/7, n pending, paused=yes'")


# ---------------------------------------------------------------- watchdog

@pytest.mark.parametrize("name", DAEMONS)
def test_watchdog_pings_at_the_configured_rate(sysm, name):
    proc, notify = start_ready(sysm, name, watchdog_usec=WATCHDOG_USEC)
    start = len(notify.received)
    notify.drain(WATCHDOG_WINDOW)
    pings = [t for t, lines in notify.received[start:] if "WATCHDOG=1" in lines]
    period = WATCHDOG_USEC / 1e6
    # systemd needs one ping per period; sd-event pings between 1/4 and 3/4 of it (about half).
    assert len(pings) >= int(WATCHDOG_WINDOW / period) * 0.7, \
        f"{name}: {len(pings)} WATCHDOG=1 in {WATCHDOG_WINDOW} s with WatchdogSec={period} s"
    assert len(pings) <= WATCHDOG_WINDOW / (period / 4) + 2, f"{name}: {len(pings)} pings, more than sd-event sends"
    assert proc.poll() is None


@pytest.mark.parametrize("name", DAEMONS)
def test_no_watchdog_pings_for_another_pid(sysm, name):
    """WATCHDOG_PID names the process the keep-alives are for; another pid's watchdog is not ours."""
    proc, notify = start_ready(sysm, name, env={"WATCHDOG_USEC": str(WATCHDOG_USEC), "WATCHDOG_PID": "1"})
    notify.drain(0.6)
    assert "WATCHDOG=1" not in notify.assignments(), notify.assignments()


# ---------------------------------------------------------------- SIGTERM

SIGTERM_ATTEMPTS = 4


@pytest.mark.parametrize("name", DAEMONS)
def test_sigterm_right_after_ready_sends_stopping_then_exits_0(sysm, name):
    """SIGTERM sent the moment READY=1 is read: once a daemon says it is ready, a stop must be
    graceful (STOPPING=1, exit 0), never the default action of the signal. Repeated, because a
    daemon that installs its handler just after READY loses only part of the races."""
    if name == "queue-daemon":
        sysm.start("dialer-daemon")  # the queue then finds its peer at once instead of waiting
        sysm.wait_for(lambda: os.path.exists(socket_path(sysm, "dialer.sock")), READY_TIMEOUT, "dialer")
    for attempt in range(1, SIGTERM_ATTEMPTS + 1):
        proc, notify = start_ready(sysm, name, watchdog_usec=WATCHDOG_USEC)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
        notify.drain(0.1)
        seen = notify.assignments()
        assert code == 0, (f"{name}: SIGTERM right after READY=1 (attempt {attempt}): exit status {code}, "
                           f"notifications {seen}\n{sysm.log_text(name)[-2000:]}")
        assert "STOPPING=1" in seen, f"{name} (attempt {attempt}): no STOPPING=1 before exit: {seen}"
        after = seen[seen.index("STOPPING=1"):]
        assert "READY=1" not in after, f"{name}: READY=1 after STOPPING=1: {after}"
        assert seen.count("READY=1") == 1, seen
        notify.close()
        os.unlink(notify.path)


def strace_usable():
    if shutil.which("strace") is None:
        return False
    return subprocess.run(["strace", "-o", "/dev/null", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not strace_usable(), reason="strace is not installed or ptrace is not permitted here")
@pytest.mark.parametrize("name", DAEMONS)
def test_sigterm_while_ready_is_being_sent_is_graceful(sysm, name):
    """The deterministic form of the race above: strace holds every sendmsg(2) of the daemon for
    0.3 s after it was sent, so SIGTERM arrives while the daemon is still inside the READY=1
    send. A daemon whose SIGTERM handling is in place before READY stops gracefully; one that
    installs it afterwards dies of the signal."""
    if name == "queue-daemon":
        sysm.start("dialer-daemon")
        sysm.wait_for(lambda: os.path.exists(socket_path(sysm, "dialer.sock")), READY_TIMEOUT, "dialer")
    notify = NotifySocket(sysm.dir, name)
    env = dict(sysm.env, NOTIFY_SOCKET=notify.path)
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=sendmsg",
                               "-e", "inject=sendmsg:delay_exit=300000", os.path.join(BIN_DIR, name)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=sysm.dir)
    daemon = None
    try:
        notify.wait_line("READY=1", READY_TIMEOUT, tracer)
        with open(f"/proc/{tracer.pid}/task/{tracer.pid}/children") as f:
            daemon = int(f.read().split()[0])
        os.kill(daemon, signal.SIGTERM)
        code = tracer.wait(timeout=15)  # strace exits with the daemon's status (or its signal)
        notify.drain(0.1)
        assert code == 0, (f"{name}: SIGTERM during the READY=1 send: exit status {code} "
                           f"(-15 = killed by SIGTERM, no graceful stop); notifications {notify.assignments()}")
        assert "STOPPING=1" in notify.assignments(), notify.assignments()
    finally:
        if tracer.poll() is None:
            if daemon:
                os.kill(daemon, signal.SIGKILL)
            tracer.wait(timeout=10)


@pytest.mark.parametrize("name", DAEMONS)
def test_sigterm_while_running_sends_stopping_then_exits_0(sysm, name):
    proc, notify = start_ready(sysm, name, watchdog_usec=WATCHDOG_USEC)
    notify.wait_line("WATCHDOG=1", 2, proc)  # the loop is running
    proc.send_signal(signal.SIGTERM)
    notify.wait_line("STOPPING=1", 10, proc)
    assert proc.wait(timeout=15) == 0, sysm.log_text(name)
