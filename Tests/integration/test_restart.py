"""Failure and restart behaviour of the real binaries (issue 2, DESIGN §3, §8): garbage and oversize
IPC frames close only that connection; with queue-daemon killed the gateway keeps serving reads and
answers lead mutations 503 within 2 s, then reconnects by itself; a killed import leaves all rows or
none; a bad configuration value stops a daemon with a message naming the variable."""
import os
import signal
import socket
import struct
import subprocess
import threading
import time

import pytest

import conftest
from helpers import (call, check_summary, closed_by_peer, create_lead, db_path, db_query, expect, expect_error,
                     frame, hello, ipc_connect, lead_count, phone, read_frame, ready, upload_csv)

UNAVAILABLE = {"error": "Service Unavailable", "message": "queue-daemon is not reachable"}
MAX_FRAME = 1024 * 1024


# --- IPC frames ----------------------------------------------------------------------------------

BAD_FRAMES = {
    "not-json": struct.pack(">I", 9) + b"not json!",
    "json-array": struct.pack(">I", 6) + b"[1, 2]",
    "invalid-utf8": struct.pack(">I", 4) + b"\"\xff\xfe\"",
    "zero-length": struct.pack(">I", 0),
    "over-limit": struct.pack(">I", MAX_FRAME + 1),
    "huge-length": struct.pack(">I", 0xFFFFFFFF),
    "no-hello": frame({"v": 1, "type": "queue.create_lead", "id": 1, "re": None, "body": {"phone": "+998901234567"}}),
    "wrong-version": frame({"v": 99, "type": "hello", "id": 1, "re": None, "body": {"v": 99, "role": "gateway"}}),
    "unknown-role": frame({"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": "intruder"}}),
}
HELLO_ONLY = ("no-hello", "wrong-version", "unknown-role")  # only meaningful as a first frame


def assert_daemons_alive(system):
    for name, proc in system.procs.items():
        assert proc.poll() is None, f"{name} exited with {proc.returncode}:\n{system.log_text(name)[-2000:]}"


def assert_hello(system, sock_name, role):
    reply = hello(system, sock_name)
    assert reply and reply.get("type") == "hello" and reply.get("body", {}).get("role") == role, reply


@pytest.mark.parametrize("sock_name,role", [("queue.sock", "queue"), ("dialer.sock", "dialer")])
def test_bad_ipc_frames_close_only_that_connection(system, sock_name, role):
    admin = ready(system)
    keeper = ipc_connect(system, sock_name)  # a well-behaved peer that must survive the others
    keeper.sendall(frame({"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": "gateway"}}))
    assert read_frame(keeper)["type"] == "hello"
    number = 0
    for label, data in BAD_FRAMES.items():
        with ipc_connect(system, sock_name) as s:
            s.sendall(data)  # oversize lengths are sent without any body: refused before reading one
            assert closed_by_peer(s, within=3), f"{sock_name}: the connection survived a {label} frame"
        # the same garbage after a successful hello
        with ipc_connect(system, sock_name) as s:
            s.sendall(frame({"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": "gateway"}}))
            assert read_frame(s)["type"] == "hello"
            if label not in HELLO_ONLY:
                s.sendall(data)
                assert closed_by_peer(s, within=3), f"{sock_name}: the connection survived a {label} frame after hello"
        assert_daemons_alive(system)
        number += 1
        expect(call(system, "POST", "/api/leads", admin, json={"phone": phone(number)}), 201)
    with ipc_connect(system, sock_name) as silent:  # connects and never says hello
        assert closed_by_peer(silent, within=5), f"{sock_name}: a silent connection was never closed"
    assert_hello(system, sock_name, role)
    keeper.sendall(frame({"v": 1, "type": "subscribe", "id": 2, "re": None, "body": {"prefixes": ["event."]}}))
    reply = read_frame(keeper)
    assert reply and reply.get("re") == 2 and reply.get("type") == "reply", reply
    keeper.close()
    assert lead_count(system) == len(BAD_FRAMES)


# The gateway's IPC reconnect backoff (IPCLimits): a delay of base * (1 ± 0.3), base doubling to 2 s.
RECONNECT_MAX_DELAY = 2.0
RECONNECT_JITTER = 0.3


def wait_backoff_at_ceiling(system, timeout=30):
    """Stands in for the dead queue-daemon's socket and accepts (and drops) the gateway's
    reconnect attempts until two come a ceiling-sized gap apart: only then has the backoff base
    reached its maximum (it doubles after each draw). Then frees the path for the real daemon."""
    path = os.path.join(system.dir, "run", "queue.sock")
    if os.path.exists(path):
        os.unlink(path)
    attempts = []
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    listener.settimeout(0.1)
    floor = RECONNECT_MAX_DELAY * (1 - RECONNECT_JITTER) * 0.95
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            attempts.append(time.monotonic())
            conn.close()
            if len(attempts) >= 2 and attempts[-1] - attempts[-2] >= floor:
                return
        raise AssertionError(f"the gateway's reconnect attempts never spaced out to the ceiling: {attempts}")
    finally:
        listener.close()
        os.unlink(path)


# --- queue-daemon down ---------------------------------------------------------------------------

def timed(fn):
    started = time.monotonic()
    r = fn()
    return r, time.monotonic() - started


def test_queue_down_reads_serve_mutations_503_then_reconnect(system):
    admin = ready(system)
    lead = create_lead(system, admin, phone(1), name="Before The Crash")
    system.kill("queue-daemon")

    reads = [("/api/leads", {}), (f"/api/leads/{lead['id']}", {}), ("/api/operator/leads/available", {}),
             ("/api/leads/stats/summary", {}), ("/api/users", {}), ("/api/auth/me", {}), ("/health", {})]
    for path, params in reads:
        r, took = timed(lambda: call(system, "GET", path, admin, params=params))
        assert r.status_code == 200, f"GET {path} with queue-daemon down: {r.status_code} {r.text}"
        assert took < 2, f"GET {path} took {took:.2f} s"

    mutations = [
        ("POST", "/api/leads", {"phone": phone(2)}),
        ("PUT", f"/api/leads/{lead['id']}", {"name": "Changed"}),
        ("DELETE", f"/api/leads/{lead['id']}", None),
        ("POST", "/api/operator/leads/claim", {"leadId": lead["id"]}),
        ("POST", "/api/admin/leads/bulk-action", {"action": "delete", "leadIds": [lead["id"]]}),
    ]
    for method, path, body in mutations:
        r, took = timed(lambda: call(system, method, path, admin, json=body))
        assert r.status_code == 503, f"{method} {path} with queue-daemon down: {r.status_code} {r.text}"
        assert r.json() == UNAVAILABLE
        assert took < 2, f"{method} {path}: the 503 took {took:.2f} s (issue 2: within 2 seconds)"
    r, took = timed(lambda: upload_csv(system, admin, f"phone\n{phone(3)}\n"))
    expect_error(r, 503)
    assert r.json() == UNAVAILABLE and took < 2, (r.text, took)
    # Gateway-owned writes do not need the queue.
    expect(call(system, "PUT", "/api/operator/profile/availability", admin, json={"isAvailable": False}), 200)
    assert lead_count(system) == 1
    stored = expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)["lead"]
    assert stored["name"] == "Before The Crash" and stored["status"] == "pending" and stored["isActive"] is True

    wait_backoff_at_ceiling(system)
    system.start("queue-daemon")
    created = []

    def mutation_works():
        r = call(system, "POST", "/api/leads", admin, json={"phone": phone(4)})
        if r.status_code == 201:
            created.append(r.json()["lead"])
            return True
        assert r.status_code == 503 and r.json() == UNAVAILABLE, r.text
        return False
    system.wait_for(mutation_works, timeout=15, what="the gateway to reconnect to queue-daemon")
    claim = expect(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": lead["id"]}), 200)
    assert claim["lead"]["status"] == "claimed"
    assert lead_count(system) == 2


def test_hung_queue_daemon_gives_503_within_2_s_then_recovers(system):
    """A queue-daemon that is alive but does not answer (SIGSTOP) costs the client at most the
    IPC timeout, not a hanging request."""
    admin = ready(system)
    lead = create_lead(system, admin, phone(1))
    queue = system.procs["queue-daemon"]
    queue.send_signal(signal.SIGSTOP)
    try:
        r, took = timed(lambda: call(system, "PUT", f"/api/leads/{lead['id']}", admin, json={"name": "Hung"}))
        body = expect_error(r, 503, error="Service Unavailable", mentions="queue-daemon")
        assert took < 2, f"the 503 took {took:.2f} s: {body}"
        expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)
    finally:
        queue.send_signal(signal.SIGCONT)
    system.wait_for(lambda: call(system, "PUT", f"/api/leads/{lead['id']}", admin,
                                 json={"name": "Awake"}).status_code == 200, timeout=15, what="queue-daemon answers")
    assert expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)["lead"]["name"] == "Awake"


def test_queue_restart_keeps_claims_and_leads(system):
    admin = ready(system)
    lead = create_lead(system, admin, phone(1), priority="urgent")
    other = create_lead(system, admin, phone(2))
    expect(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": lead["id"]}), 200)
    system.kill("queue-daemon")
    system.start("queue-daemon")
    system.wait_for(lambda: call(system, "POST", "/api/operator/leads/claim", admin,
                                 json={"leadId": lead["id"]}).status_code == 409, timeout=15,
                    what="queue-daemon back, still holding the claim")
    stored = expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)["lead"]
    assert stored["status"] == "claimed"
    expect(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": other["id"]}), 200)


def test_dialer_down_does_not_touch_lead_routes(system):
    admin = ready(system)
    system.kill("dialer-daemon")
    lead = create_lead(system, admin, phone(1))
    expect(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": lead["id"]}), 200)
    assert check_summary(expect(upload_csv(system, admin, f"phone\n{phone(2)}\n"), 200))["successCount"] == 1
    system.start("dialer-daemon")
    system.wait_for(lambda: os.path.exists(os.path.join(system.dir, "run", "dialer.sock")), what="dialer.sock")
    system.wait_for(lambda: hello_ok(system, "dialer.sock", "dialer"), what="dialer-daemon answers hello")
    assert_daemons_alive(system)


def hello_ok(system, sock_name, role):
    try:
        assert_hello(system, sock_name, role)
        return True
    except (OSError, AssertionError):
        return False


def test_gateway_restart_keeps_tokens_and_revocations(system):
    admin = ready(system)
    revoked = system.login()
    expect(call(system, "POST", "/api/auth/logout", revoked), 200)
    system.kill("api-gateway")
    system.start("api-gateway")
    system.wait_healthy()
    expect(call(system, "GET", "/api/auth/me", admin), 200)
    expect_error(call(system, "GET", "/api/auth/me", revoked), 401)
    system.wait_for(lambda: call(system, "POST", "/api/leads", admin, json={"phone": phone(1)}).status_code == 201,
                    timeout=15, what="the restarted gateway to reach queue-daemon")


# --- killed imports ------------------------------------------------------------------------------

BIG_ROWS = 60_000


def big_csv(offset=0):
    lines = ["phone,name,priority,notes"]
    prios = ("urgent", "high", "medium", "low")
    for i in range(BIG_ROWS):
        lines.append(f"{phone(offset + i)},Bulk Lead {i},{prios[i % 4]},imported in one go")
    return "\n".join(lines) + "\n"


def upload_in_background(system, token, data):
    outcome = {}

    def run():
        try:
            outcome["response"] = upload_csv(system, token, data, timeout=120)
        except Exception as e:  # the gateway may be the process being killed
            outcome["error"] = e
    t = threading.Thread(target=run)
    t.start()
    return t, outcome


def wait_for_log(system, name, text, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in system.log_text(name):
            return
        time.sleep(0.002)
    raise AssertionError(f"{name} never logged {text!r}:\n{system.log_text(name)[-2000:]}")


def wal_size(system):
    try:
        return os.path.getsize(db_path(system) + "-wal")
    except OSError:
        return 0


def assert_all_or_nothing(system, before, response=None):
    rows = lead_count(system)
    assert rows in (before, before + BIG_ROWS), f"partial import: {rows - before} of {BIG_ROWS} rows stored"
    assert db_query(system, "PRAGMA integrity_check")[0][0] == "ok"
    if response is not None and response.status_code == 200:
        assert rows == before + check_summary(response.json())["successCount"]
    elif response is not None:
        assert rows == before, f"the upload failed ({response.status_code}) but {rows - before} rows were stored"
    return rows


def test_queue_killed_while_rows_are_staged_keeps_nothing(system):
    admin = ready(system)
    before = lead_count(system)
    thread, outcome = upload_in_background(system, admin, big_csv())
    wait_for_log(system, "queue-daemon", "import begun")
    system.kill("queue-daemon")
    thread.join(120)
    response = outcome.get("response")
    assert response is not None, f"the upload got no HTTP answer: {outcome.get('error')}"
    assert response.status_code in (200, 503), response.text
    assert_all_or_nothing(system, before, response)
    system.start("queue-daemon")
    system.wait_for(lambda: call(system, "POST", "/api/leads", admin, json={"phone": "+998990000001"}).status_code
                    == 201, timeout=15, what="queue-daemon back")
    assert_all_or_nothing(system, before + 1)


def test_queue_killed_during_commit_keeps_all_or_nothing(system):
    admin = ready(system)
    before = lead_count(system)
    thread, outcome = upload_in_background(system, admin, big_csv())
    wait_for_log(system, "queue-daemon", "import begun")
    base = wal_size(system)
    deadline = time.time() + 60
    while time.time() < deadline and wal_size(system) <= base + 64 * 1024 and thread.is_alive():
        time.sleep(0.001)  # the commit's transaction is spilling pages into the WAL
    system.kill("queue-daemon")
    thread.join(120)
    response = outcome.get("response")
    assert response is not None, f"the upload got no HTTP answer: {outcome.get('error')}"
    stored = assert_all_or_nothing(system, before, response)
    system.start("queue-daemon")
    system.wait_for(lambda: call(system, "GET", "/api/leads", admin).status_code == 200, what="reads")
    system.wait_for(lambda: call(system, "POST", "/api/leads", admin, json={"phone": "+998990000001"}).status_code
                    == 201, timeout=15, what="queue-daemon back")
    assert lead_count(system) == stored + 1, "queue-daemon recovery changed the imported rows"


def test_gateway_killed_during_import_keeps_nothing_and_retry_imports_all(system):
    admin = ready(system)
    before = lead_count(system)
    data = big_csv()
    thread, outcome = upload_in_background(system, admin, data)
    wait_for_log(system, "queue-daemon", "import begun")
    system.kill("api-gateway")
    thread.join(120)
    assert "error" in outcome or outcome["response"].status_code == 200, outcome
    stored = assert_all_or_nothing(system, before)
    system.start("api-gateway")
    system.wait_healthy()
    admin = ready(system)
    system.wait_for(lambda: call(system, "POST", "/api/admin/leads/bulk-action", admin,
                                 json={"action": "delete", "leadIds": ["0" * 24]}).status_code == 200,
                    timeout=15, what="the new gateway to reach queue-daemon")
    summary = check_summary(expect(upload_csv(system, admin, data, timeout=120), 200))
    assert summary["totalProcessed"] == BIG_ROWS
    assert summary["successCount"] == (BIG_ROWS if stored == before else 0)
    assert lead_count(system) == before + BIG_ROWS


# --- configuration -------------------------------------------------------------------------------

BAD_CONFIG = [
    ("api-gateway", "IBRAT_HTTP_PORT", "abc"),
    ("api-gateway", "IBRAT_HTTP_PORT", "70000"),
    ("api-gateway", "IBRAT_RATE_LIMIT", "lots"),
    ("api-gateway", "IBRAT_JWT_SECRET", "short"),
    ("dialer-daemon", "IBRAT_SIM_P_ANSWER", "2"),
    ("dialer-daemon", "IBRAT_SIM_TIME_SCALE", "-1"),
    ("queue-daemon", "IBRAT_MAX_CONCURRENT_CALLS", "0"),
    ("queue-daemon", "IBRAT_CLAIM_TIMEOUT", "soon"),
    ("queue-daemon", "IBRAT_DEFAULT_COUNTRY_CODE", "0x"),
]


def run_daemon(name, env_updates, state, timeout=20):
    env = dict(os.environ)
    env.pop("NOTIFY_SOCKET", None)
    env.update({"STATE_DIRECTORY": state, "IBRAT_HTTP_PORT": str(conftest.free_port()), "IBRAT_LOG": "stderr",
                "IBRAT_ADMIN_EMAIL": conftest.ADMIN_EMAIL, "IBRAT_ADMIN_PASSWORD": conftest.ADMIN_PASSWORD,
                "IBRAT_JWT_SECRET": "integration-test-secret-0123456789abcdef", "IBRAT_RATE_LIMIT": "0"})
    env.update(env_updates)
    try:
        return subprocess.run([os.path.join(conftest.BIN_DIR, name)], env=env, cwd=state, capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name} with {env_updates} kept running instead of refusing the configuration")


@pytest.mark.parametrize("daemon,variable,value", BAD_CONFIG, ids=[f"{d}-{v}={x}" for d, v, x in BAD_CONFIG])
def test_bad_config_value_stops_daemon_naming_variable(daemon, variable, value, tmp_path):
    done = run_daemon(daemon, {variable: value}, str(tmp_path))
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode != 0, f"{daemon} exited 0 with {variable}={value}: {output}"
    assert variable in output, f"{daemon}'s message does not name {variable}: {output!r}"


def test_bad_value_in_config_file_names_variable(tmp_path):
    config = tmp_path / "ibrat.conf"
    config.write_text("# test\nIBRAT_MAX_ATTEMPTS=many\n")
    for daemon in conftest.DAEMONS:
        done = run_daemon(daemon, {"IBRAT_CONFIG": str(config)}, str(tmp_path))
        output = (done.stdout + done.stderr).decode("utf-8", "replace")
        assert done.returncode != 0 and "IBRAT_MAX_ATTEMPTS" in output, (daemon, done.returncode, output)
    done = run_daemon("queue-daemon", {"IBRAT_CONFIG": str(tmp_path / "missing.conf")}, str(tmp_path))
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode != 0 and "IBRAT_CONFIG" in output, output
