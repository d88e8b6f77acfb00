"""Socket activation of the three daemons with `systemd-socket-activate` (DESIGN §9, issue 5
"Tests", "Bad input"): the tool listens, and on the first connection execs the daemon with the
socket as fd 3 and `LISTEN_FDNAMES` set, as a `.socket` unit does.

- The gateway serves HTTP on the passed TCP socket named `http`: connections made before it runs
  are answered once it is ready, and it binds nothing of its own.
- The dialer (`dialer`) and queue (`queue`) daemons answer an IPC hello on the passed Unix socket
  and do not create their own socket file.
- Restarts lose no connection: with the listening socket held outside the daemon (as systemd
  holds it; here the test passes it as fd 3 with LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES), clients
  that connect while the daemon is dead (kill -9) are answered by the next process.
- A socket of the wrong type under the daemon's name (datagram or TCP for an IPC daemon, a Unix
  or UDP socket for the gateway) stops the daemon with status 78 (EX_CONFIG, like every other
  configuration error) and an error naming the socket, what was expected and what was passed.
Skipped, with the reason, only when `systemd-socket-activate` is not installed."""
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time

import pytest

from conftest import BIN_DIR, System, free_port

ACTIVATE = shutil.which("systemd-socket-activate")
START_TIMEOUT = 20
# sysexits.h EX_CONFIG: how every daemon reports a configuration problem (a wrong socket is one).
EX_CONFIG = 78
# The variables the daemons read; systemd-socket-activate passes only what -E names.
PASSED_PREFIXES = ("IBRAT_", "STATE_DIRECTORY", "RUNTIME_DIRECTORY", "CREDENTIALS_DIRECTORY")

pytestmark = pytest.mark.skipif(ACTIVATE is None,
                                reason="systemd-socket-activate is not installed (Debian package: systemd)")


class Activated:
    """One `systemd-socket-activate` process (it becomes the daemon by exec on first contact)."""

    def __init__(self, sysm, name, listen, fdname, extra=(), env=None):
        self.sysm, self.name = sysm, name
        e = {k: v for k, v in sysm.env.items() if k.startswith(PASSED_PREFIXES)}
        e.update(env or {})
        argv = [ACTIVATE, "-l", listen, f"--fdname={fdname}", *extra]
        for k, v in sorted(e.items()):
            argv.append(f"-E{k}={v}")
        argv.append(os.path.join(BIN_DIR, name))
        self.log_path = os.path.join(sysm.dir, f"{name}.activate.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=self.log, cwd=sysm.dir)
        deadline = time.time() + START_TIMEOUT
        while "Listening on" not in self.text():
            if self.proc.poll() is not None or time.time() > deadline:
                raise AssertionError(f"systemd-socket-activate did not listen:\n{self.text()}")
            time.sleep(0.02)

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_exit(self, timeout=START_TIMEOUT):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} still running after {timeout} s:\n{self.text()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def sysm():
    s = System()
    s.activated = []
    yield s
    for a in s.activated:
        a.stop()
    s.stop_all()
    shutil.rmtree(s.dir, ignore_errors=True)


def activate(sysm, *args, **kw):
    a = Activated(sysm, *args, **kw)
    sysm.activated.append(a)
    return a


# ---------------------------------------------------------------- helpers: HTTP and IPC by hand

def http_get(sock, path, host):
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())


def read_all(sock):
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def send_frame(sock, message):
    data = json.dumps(message).encode()
    sock.sendall(struct.pack(">I", len(data)) + data)


def read_frame(sock):
    def exactly(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise AssertionError(f"connection closed after {len(buf)} of {n} bytes")
            buf += chunk
        return buf
    (length,) = struct.unpack(">I", exactly(4))
    return json.loads(exactly(length))


def hello(path, role):
    """Connects, sends hello as `role` and returns (socket, the daemon's hello reply)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(START_TIMEOUT)
    s.connect(path)
    send_frame(s, {"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": role}})
    return s, read_frame(s)


# ---------------------------------------------------------------- the gateway on `http`

def test_gateway_serves_http_on_the_activated_socket(sysm):
    port = free_port()
    own_port = free_port()  # IBRAT_HTTP_PORT: must stay unused when a socket is passed
    a = activate(sysm, "api-gateway", f"127.0.0.1:{port}", "http", env={"IBRAT_HTTP_PORT": str(own_port)})
    # Several clients connect before the daemon exists (the first one makes the tool exec it).
    clients = []
    for i in range(4):
        c = socket.create_connection(("127.0.0.1", port), timeout=START_TIMEOUT)
        http_get(c, "/health", f"127.0.0.1:{port}")
        clients.append(c)
    for c in clients:
        with c:
            response = read_all(c)
        assert response.startswith(b"HTTP/1.1 200"), response[:300] + a.text().encode()[-2000:]
    assert a.proc.poll() is None, a.text()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", own_port), timeout=2).close()
    import requests
    r = requests.post(f"http://127.0.0.1:{port}/api/auth/login", timeout=5,
                      json={"email": "admin@example.com", "password": "admin-password-123"})
    assert r.status_code == 200 and r.json().get("token"), r.text
    a.proc.send_signal(signal.SIGTERM)
    assert a.wait_exit() == 0, a.text()


def test_gateway_refuses_a_unix_socket_named_http(sysm):
    path = os.path.join(sysm.dir, "http.sock")
    a = activate(sysm, "api-gateway", path, "http")
    c = socket.socket(socket.AF_UNIX)
    c.settimeout(START_TIMEOUT)
    c.connect(path)
    code = a.wait_exit()
    c.close()
    out = a.text()
    assert code == EX_CONFIG, f"exit status {code}, expected {EX_CONFIG} (EX_CONFIG):\n{out}"
    assert '"http"' in out and "Unix" in out and "TCP" in out, out


def test_gateway_refuses_a_udp_socket_named_http(sysm):
    port = free_port()
    a = activate(sysm, "api-gateway", f"127.0.0.1:{port}", "http", extra=["--datagram"])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.sendto(b"GET / HTTP/1.1\r\n\r\n", ("127.0.0.1", port))
    code = a.wait_exit()
    out = a.text()
    assert code == EX_CONFIG, f"exit status {code}, expected {EX_CONFIG} (EX_CONFIG):\n{out}"
    assert '"http"' in out and "datagram" in out, out


# ---------------------------------------------------------------- IPC daemons

IPC = {  # daemon: (fd name, role it answers as, role the test says hello as)
    "dialer-daemon": ("dialer", "dialer", "queue"),
    "queue-daemon": ("queue", "queue", "gateway"),
}


@pytest.mark.parametrize("name", IPC)
def test_ipc_daemon_answers_hello_on_the_activated_socket(sysm, name):
    fdname, role, peer = IPC[name]
    path = os.path.join(sysm.dir, f"activated-{fdname}.sock")
    a = activate(sysm, name, path, fdname)
    s, reply = hello(path, peer)
    with s:
        assert reply.get("type") == "hello" and reply.get("body", {}).get("role") == role, reply
        assert reply["body"].get("v") == 1, reply
        # A second client, while the first stays connected.
        s2, reply2 = hello(path, peer)
        s2.close()
        assert reply2.get("body", {}).get("role") == role, reply2
    own = os.path.join(sysm.dir, "run", f"{fdname}.sock")
    assert not os.path.exists(own), f"{name} bound {own} although systemd passed a socket"
    a.proc.send_signal(signal.SIGTERM)
    assert a.wait_exit() == 0, a.text()


@pytest.mark.parametrize("name", IPC)
def test_ipc_daemon_refuses_a_datagram_socket(sysm, name):
    fdname = IPC[name][0]
    path = os.path.join(sysm.dir, f"activated-{fdname}.sock")
    a = activate(sysm, name, path, fdname, extra=["--datagram"])
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as u:
        u.sendto(b"\x00\x00\x00\x02{}", path)
    code = a.wait_exit()
    out = a.text()
    assert code == EX_CONFIG, f"exit status {code}, expected {EX_CONFIG} (EX_CONFIG):\n{out}"
    assert f'"{fdname}"' in out and "datagram" in out, out


@pytest.mark.parametrize("name", IPC)
def test_ipc_daemon_refuses_a_tcp_socket(sysm, name):
    fdname = IPC[name][0]
    port = free_port()
    a = activate(sysm, name, f"127.0.0.1:{port}", fdname)
    socket.create_connection(("127.0.0.1", port), timeout=START_TIMEOUT).close()
    code = a.wait_exit()
    out = a.text()
    assert code == EX_CONFIG, f"exit status {code}, expected {EX_CONFIG} (EX_CONFIG):\n{out}"
    assert f'"{fdname}"' in out and "IPv4" in out, out


# ---------------------------------------------------------------- restarts keep the socket

def spawn_on(sysm, name, listener, fdname):
    """Starts `name` the way systemd starts a socket-activated service: `listener` (held by the
    test, like systemd holds it across restarts) as fd 3, LISTEN_FDS=1, LISTEN_FDNAMES, and
    LISTEN_PID = the daemon's pid (the shell's, kept by exec)."""
    fd = listener.fileno()
    env = dict(sysm.env, LISTEN_FDS="1", LISTEN_FDNAMES=fdname)
    env.pop("LISTEN_PID", None)
    log = open(os.path.join(sysm.dir, f"{name}.log"), "ab")
    proc = subprocess.Popen(["sh", "-c", 'LISTEN_PID=$$; export LISTEN_PID; exec "$0"', os.path.join(BIN_DIR, name)],
                            env=env, stdout=log, stderr=log, cwd=sysm.dir, close_fds=False,
                            preexec_fn=lambda: os.dup2(fd, 3))
    log.close()
    sysm.procs[f"{name}#{proc.pid}"] = proc
    return proc


@pytest.mark.parametrize("name", IPC)
def test_ipc_daemon_restart_loses_no_connection(sysm, name):
    """kill -9 while systemd (here the test) holds the socket: a client connecting during the
    outage is queued, not refused, and answered by the next process."""
    fdname, role, peer = IPC[name]
    path = os.path.join(sysm.dir, f"held-{fdname}.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(path)
        listener.listen(64)
        first = spawn_on(sysm, name, listener, fdname)
        s, reply = hello(path, peer)
        s.close()
        assert reply.get("body", {}).get("role") == role, reply
        first.kill()
        first.wait()
        waiting = []
        for _ in range(3):
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.settimeout(START_TIMEOUT)
            c.connect(path)  # no daemon runs: the kernel queues it on the held socket
            send_frame(c, {"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": "gateway"}})
            waiting.append(c)
        second = spawn_on(sysm, name, listener, fdname)
        for c in waiting:
            with c:
                reply = read_frame(c)
                assert reply.get("type") == "hello" and reply["body"].get("role") == role, reply
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=15) == 0


def test_gateway_restart_loses_no_connection(sysm):
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
        first = spawn_on(sysm, "api-gateway", listener, "http")
        c = socket.create_connection(("127.0.0.1", port), timeout=START_TIMEOUT)
        http_get(c, "/health", f"127.0.0.1:{port}")
        assert read_all(c).startswith(b"HTTP/1.1 200")
        c.close()
        first.kill()
        first.wait()
        waiting = []
        for _ in range(5):
            c = socket.create_connection(("127.0.0.1", port), timeout=START_TIMEOUT)
            http_get(c, "/health", f"127.0.0.1:{port}")
            waiting.append(c)
        second = spawn_on(sysm, "api-gateway", listener, "http")
        for c in waiting:
            with c:
                response = read_all(c)
            assert response.startswith(b"HTTP/1.1 200"), response[:300]
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=15) == 0
