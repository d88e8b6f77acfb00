"""Helpers for the realtime protocol tests with real third-party clients: a recorder around a
python-socketio client, the official socket.io-client 4.8.1 browser bundle run under Node
(`sio_client.cjs`), and lead creation that makes the queue start simulated calls.

The JS bundle ships in the PyPI wheel nicegui==3.18.0 (nicegui/static/socket.io.min.js). It is
looked up in $IBRAT_SIO_JS, .venv-test/socket.io.min.js, ~/.cache/ibrat-client-kit/, else
downloaded once with pip into .venv-test/ and checked against its sha256."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

import pytest
import requests
import socketio

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
NODE_CLIENT = os.path.join(HERE, "sio_client.cjs")
BUNDLE_SHA256 = "b0e735814f8dcfecd6cdb8a7ce95a297a7e1e5f2727a29e6f5901801d52fa0c5"
BUNDLE_WHEEL = "nicegui==3.18.0"
NODE_GLOBALS = ("/usr/share/nodejs/ws", "/usr/share/nodejs/xmlhttprequest")

_counter = [int(time.time() * 1000) % 10_000_000]


def unique_phone():
    _counter[0] += 1
    return "+99890%07d" % (_counter[0] % 10_000_000)


def _sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def js_bundle():
    """Path of the verified socket.io.min.js, or skip the test with the reason."""
    if not shutil.which("node"):
        pytest.skip("node is not installed (apt-get install nodejs)")
    missing = [p for p in NODE_GLOBALS if not os.path.exists(p)]
    if missing:
        pytest.skip(f"Node browser globals missing: {missing} (apt-get install node-ws node-xmlhttprequest)")
    target = os.path.join(ROOT, ".venv-test", "socket.io.min.js")
    candidates = [os.environ.get("IBRAT_SIO_JS"), target,
                  os.path.expanduser("~/.cache/ibrat-client-kit/socket.io.min.js")]
    for path in candidates:
        if path and os.path.isfile(path) and _sha256(path) == BUNDLE_SHA256:
            return path
    tmp = tempfile.mkdtemp(prefix="sio-bundle-")
    try:
        r = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, BUNDLE_WHEEL],
                           capture_output=True, text=True, timeout=300)
        wheels = [f for f in os.listdir(tmp) if f.endswith(".whl")]
        if r.returncode != 0 or not wheels:
            pytest.skip(f"cannot download {BUNDLE_WHEEL} for the socket.io-client bundle: {r.stderr[-300:]}")
        with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as z:
            data = z.read("nicegui/static/socket.io.min.js")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if hashlib.sha256(data).hexdigest() != BUNDLE_SHA256:
        pytest.skip("the downloaded socket.io.min.js does not match the pinned sha256")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
    return target


def start_node_client(url, *args, seconds=5.0, token=None):
    """Starts sio_client.cjs (one JSON object per output line); `finish_node_client` collects."""
    cmd = ["node", NODE_CLIENT, url, "--seconds", str(seconds)]
    if token is not None:
        cmd += ["--token", token]
    cmd += list(args)
    env = dict(os.environ, SIO_JS_BUNDLE=js_bundle())
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Read as it comes, so a test can wait for what the client printed so far (`wait_node_line`).
    proc.out_lines, proc.err_text = [], []
    proc.readers = [threading.Thread(target=lambda: proc.out_lines.extend(proc.stdout), daemon=True),
                    threading.Thread(target=lambda: proc.err_text.append(proc.stderr.read()), daemon=True)]
    for reader in proc.readers:
        reader.start()
    return proc


def node_lines(proc):
    lines = []
    for line in list(proc.out_lines):
        try:
            lines.append(json.loads(line))
        except ValueError:
            pass
    return lines


def wait_node_line(proc, predicate, what, timeout=30):
    """Waits until the Node client has printed a line matching `predicate` (e.g. its connect, or
    the `authenticated` event after which it listens)."""
    wait_until(lambda: any(predicate(l) for l in node_lines(proc)) or proc.poll() is not None, timeout, what)
    assert any(predicate(l) for l in node_lines(proc)), f"{what}: the client exited: {node_lines(proc)}"


def finish_node_client(proc, timeout=60):
    proc.wait(timeout=timeout)
    for reader in proc.readers:
        reader.join(timeout)
    return proc.returncode, node_lines(proc), "".join(proc.err_text)


def node_events(lines, name=None):
    return [l for l in lines if l.get("kind") == "event" and (name is None or l.get("event") == name)]


class Recorder:
    """A python-socketio client that records every event it receives."""

    def __init__(self, url, transports=("websocket",), auth=None):
        self.events = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.disconnected = threading.Event()
        self.client.on("*", self._any)
        self.client.on("disconnect", lambda *a: self.disconnected.set())
        self.client.connect(url, transports=list(transports), auth=auth, wait_timeout=5)

    def _any(self, event, *args):
        with self.lock:
            self.events.append((event, args[0] if args else None))

    def names(self):
        with self.lock:
            return [e[0] for e in self.events]

    def payloads(self, name):
        with self.lock:
            return [p for e, p in self.events if e == name]

    def authenticate(self, token):
        return self.client.call("authenticate", {"token": token}, timeout=5)

    def wait_for(self, name, predicate=lambda p: True, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for p in self.payloads(name):
                if predicate(p):
                    return p
            time.sleep(0.05)
        raise AssertionError(f"no {name!r} within {timeout}s; got {self.names()}")

    def close(self):
        try:
            self.client.disconnect()
        except Exception:
            pass


def create_leads(system, admin_token, count, priority="urgent"):
    """Creates `count` leads; the queue dispatches them to simulated calls at once."""
    ids = []
    for i in range(count):
        r = requests.post(system.url + "/api/leads", headers={"Authorization": f"Bearer {admin_token}"},
                          json={"phone": unique_phone(), "name": f"Realtime lead {i}", "priority": priority},
                          timeout=5)
        assert r.status_code == 201, r.text
        ids.append(r.json()["lead"]["id"])
    return ids


def wait_until(condition, timeout=30, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
