"""Integration-test harness: starts the three real daemons on a temporary state directory and a
free port, and gives tests an HTTP client logged in as the admin.

The binaries come from IBRAT_BIN_DIR (scripts/test sets it to `swift build --show-bin-path`)."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN_DIR = os.environ.get("IBRAT_BIN_DIR", os.path.join(ROOT, ".build", "debug"))
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-123"
DAEMONS = ("queue-daemon", "dialer-daemon", "api-gateway")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class System:
    """The three daemons of one test system. `start(name)`, `kill(name, sig)`, `restart(name)`."""

    def __init__(self, extra_env=None):
        self.dir = tempfile.mkdtemp(prefix="ibrat-it-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("NOTIFY_SOCKET", "BASE_URL") and not k.startswith(("WATCHDOG_", "LISTEN_", "IBRAT_", "TWILIO_"))}
        self.env.update({
            "STATE_DIRECTORY": self.dir,
            "IBRAT_HTTP_PORT": str(self.port),
            "IBRAT_ADMIN_EMAIL": ADMIN_EMAIL,
            "IBRAT_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "IBRAT_JWT_SECRET": "integration-test-secret-0123456789abcdef",
            "IBRAT_RATE_LIMIT": "0",
            "IBRAT_USER_RATE_LIMIT": "0",
            "IBRAT_LOG": "stderr",
            "IBRAT_SIM_SEED": "42",
            "IBRAT_SIM_TIME_SCALE": "0.01",
            "IBRAT_CALLING_HOURS": "00:00-24:00",  # tests run at any hour (issue 12 tests set their own)
        })
        if extra_env:
            self.env.update(extra_env)
        self.procs = {}
        self.logs = {}

    def start(self, name):
        log = open(os.path.join(self.dir, f"{name}.log"), "ab")
        self.logs[name] = log
        self.procs[name] = subprocess.Popen([os.path.join(BIN_DIR, name)], env=self.env,
                                            stdout=log, stderr=log, cwd=self.dir)

    def start_all(self):
        for name in DAEMONS:
            self.start(name)
        self.wait_healthy()
        self.wait_for(lambda: self.peer_ready(), what="queue and dialer reachable")

    def peer_ready(self):
        try:
            tok = self.login()
            r = requests.get(self.url + "/api/admin/system-status", headers=auth(tok), timeout=3)
            if r.status_code != 200:
                return False
            status = r.json()["systemStatus"]
            return status["queueDaemon"]["reachable"] and status["dialer"]["reachable"]
        except Exception:
            return False

    def wait_healthy(self, timeout=20):
        self.wait_for(lambda: self.healthy(), timeout, "gateway /health")

    def healthy(self):
        try:
            return requests.get(self.url + "/health", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def wait_for(self, cond, timeout=20, what="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cond():
                return
            for name, p in self.procs.items():
                if p.poll() is not None and p.returncode not in (0, -9, -15):
                    raise AssertionError(f"{name} exited with {p.returncode}:\n{self.log_text(name)}")
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}\n" + "\n".join(
            f"--- {n}\n{self.log_text(n)[-3000:]}" for n in self.procs))

    def log_text(self, name):
        try:
            with open(os.path.join(self.dir, f"{name}.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def kill(self, name, sig=signal.SIGKILL):
        p = self.procs[name]
        p.send_signal(sig)
        p.wait(timeout=20)

    def restart(self, name):
        self.kill(name, signal.SIGTERM)
        self.start(name)

    def stop_all(self):
        for name, p in self.procs.items():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for name, p in self.procs.items():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in self.logs.values():
            log.close()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def login(self, email=ADMIN_EMAIL, password=ADMIN_PASSWORD):
        r = requests.post(self.url + "/api/auth/login", json={"email": email, "password": password}, timeout=5)
        assert r.status_code == 200, r.text
        return r.json()["token"]

    def create_operator(self, admin_token, name, email, password="operator-pass-1", phone=None):
        if phone is None:  # phones are unique among users: derive one from the email
            phone = "+99897" + str(int.from_bytes(email.encode(), "big") % 10**7).zfill(7)
        r = requests.post(self.url + "/api/auth/register", headers=auth(admin_token), timeout=5,
                          json={"name": name, "email": email, "password": password, "phone": phone,
                                "role": "operator"})
        assert r.status_code == 201, r.text
        return r.json()["user"]["id"], self.login(email, password)


def auth(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def system(request):
    marker = request.node.get_closest_marker("ibrat_env")
    sysm = System(marker.args[0] if marker else None)
    sysm.start_all()
    try:
        yield sysm
    finally:
        sysm.stop_all()
        if request.node.rep_call.passed if hasattr(request.node, "rep_call") else False:
            sysm.cleanup()


def pytest_configure(config):
    config.addinivalue_line("markers", "ibrat_env(dict): extra environment for the test system")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item, so fixtures can keep logs of failed tests only."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
