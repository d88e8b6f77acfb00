#!/usr/bin/env python3
"""Realtime benchmarks of the api-gateway's Socket.IO endpoint (issue 4), stdlib only.

  realtime-bench.py broadcast [--clients 1000] [--rounds 20]
      N WebSocket clients connect and authenticate; the admin toggles its availability over REST
      ROUNDS times, each change is one `user_availability_changed` broadcast to every socket.
      Latency = from just before the REST request is written to the frame's arrival at each
      client. Targets: p99 < 50 ms, every client gets every broadcast, gateway RSS < 150 MB.
      Reference in the same run: the REST round trip of the PUT itself (p50) and the RSS before
      any socket connected.
  realtime-bench.py polling [--clients 200] [--window 30]
      N long-polling clients connect, authenticate and sit idle (answering server pings);
      the gateway's CPU time over WINDOW seconds is measured. Target: < 50 % of one core.
      Reference in the same run: the same gateway's CPU over WINDOW seconds before any client.

Both start the release binaries from --bin (api-gateway, plus queue-daemon and dialer-daemon when
present) on a temporary state directory, optionally pinned with --gateway-cpu, and print one
JSON line of results; the exit status is 1 when a target is missed.
The clients speak Engine.IO 4 / Socket.IO 5 themselves (hand-written, minimal), so one Python
process can hold a thousand connections."""
import argparse
import asyncio
import base64
import json
import os
import resource
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

ADMIN_EMAIL = "bench@example.com"
ADMIN_PASSWORD = "bench-password-1"
EVENT = b'42["user_availability_changed"'


class Gateway:
    """The daemons on a temporary state directory."""

    def __init__(self, bin_dir, cpu=None):
        self.dir = tempfile.mkdtemp(prefix="ibrat-rt-bench-")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, STATE_DIRECTORY=self.dir, IBRAT_HTTP_PORT=str(self.port), IBRAT_RATE_LIMIT="0",
                   IBRAT_LOG="stderr", IBRAT_LOG_LEVEL="warning", IBRAT_ADMIN_EMAIL=ADMIN_EMAIL,
                   IBRAT_ADMIN_PASSWORD=ADMIN_PASSWORD, IBRAT_JWT_SECRET="bench-secret-0123456789abcdef0123456789")
        env.pop("NOTIFY_SOCKET", None)
        self.procs = {}
        for name in ("queue-daemon", "dialer-daemon", "api-gateway"):
            path = os.path.join(os.path.abspath(bin_dir), name)
            if not os.access(path, os.X_OK):
                if name == "api-gateway":
                    sys.exit(f"{path} not found: build with `swift build -c release`")
                continue
            cmd = ([shutil.which("taskset"), "-c", str(cpu)] if cpu is not None and name == "api-gateway" else []) + [path]
            log = open(os.path.join(self.dir, name + ".log"), "ab")
            self.procs[name] = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, cwd=self.dir)
        for _ in range(400):
            try:
                urllib.request.urlopen(self.url + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        else:
            self.stop()
            sys.exit("the gateway did not come up")
        self.pid = self.procs["api-gateway"].pid

    def login(self):
        body = json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).encode()
        request = urllib.request.Request(self.url + "/api/auth/login", body, {"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(request, timeout=10))["token"]

    def rss_mb(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


# MARK: WebSocket client

class WSClient(asyncio.Protocol):
    """Engine.IO over a WebSocket as a raw asyncio protocol (no stream overhead, so one core can
    timestamp a thousand frames quickly): open → `40` → authenticate → answers pings → records
    the arrival time of every broadcast frame."""

    def __init__(self, token):
        self.token = token
        self.arrivals = []
        self.authenticated = asyncio.Event()
        self.buffer = bytearray()
        self.upgraded = False
        self.transport = None

    @classmethod
    async def open(cls, port, token):
        client = cls(token)
        await asyncio.get_running_loop().create_connection(lambda: client, "127.0.0.1", port)
        return client

    def connection_made(self, transport):
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                         f"Sec-WebSocket-Version: 13\r\n\r\n").encode())

    def data_received(self, data):
        now = time.monotonic()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in bytes(self.buffer[:end]).split(b"\r\n", 1)[0]:
                raise RuntimeError(bytes(self.buffer[:end]).decode(errors="replace"))
            del self.buffer[:end + 4]
            self.upgraded = True
        while len(self.buffer) >= 2:
            b0, b1 = self.buffer[0], self.buffer[1]
            n, header = b1 & 0x7F, 2
            if n == 126:
                if len(self.buffer) < 4:
                    return
                n, header = struct.unpack_from("!H", self.buffer, 2)[0], 4
            elif n == 127:
                if len(self.buffer) < 10:
                    return
                n, header = struct.unpack_from("!Q", self.buffer, 2)[0], 10
            if len(self.buffer) < header + n:
                return
            frame = bytes(self.buffer[header:header + n])
            del self.buffer[:header + n]
            self.frame(b0 & 0x0F, frame, now)

    def frame(self, opcode, data, now):
        if opcode == 0x8:
            self.transport.close()
        elif data.startswith(EVENT):
            self.arrivals.append(now)
        elif data == b"2":
            self.send(b"3")
        elif data.startswith(b"0{"):
            self.send(b"40")
        elif data.startswith(b"40{"):
            self.send(b'42["authenticate",' + json.dumps({"token": self.token}).encode() + b"]")
        elif data.startswith(b'42["authenticated"'):
            self.authenticated.set()

    def send(self, payload):
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack("!H", n))
        self.transport.write(header + mask + bytes(b ^ mask[i & 3] for i, b in enumerate(payload)))

    def close(self):
        if self.transport:
            self.transport.close()


async def http_request(reader, writer, method, path, token=None, body=b""):
    headers = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    if token:
        headers += f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
    else:
        headers += "Content-Type: text/plain;charset=UTF-8\r\n"
    writer.write(headers.encode() + b"\r\n" + body)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status, await reader.readexactly(length)


async def broadcast(args, gw):
    token = gw.login()
    rss_before = gw.rss_mb()
    clients = []
    for i in range(0, args.clients, 100):
        batch = await asyncio.gather(*(WSClient.open(gw.port, token) for _ in range(min(100, args.clients - i))))
        await asyncio.wait_for(asyncio.gather(*(c.authenticated.wait() for c in batch)), 30)
        clients += batch
    rss_connected = gw.rss_mb()
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
    latencies, missing, rest = [], 0, []
    for r in range(args.rounds):
        before = [len(c.arrivals) for c in clients]
        body = json.dumps({"isAvailable": r % 2 == 0}).encode()
        sent = time.monotonic()
        status, _ = await http_request(reader, writer, "PUT", "/api/operator/profile/availability", token, body)
        rest.append((time.monotonic() - sent) * 1000)
        assert status == 200, status
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and any(len(c.arrivals) == b for c, b in zip(clients, before)):
            await asyncio.sleep(0.005)
        for c, b in zip(clients, before):
            if len(c.arrivals) > b:
                latencies.append((c.arrivals[b] - sent) * 1000)
            else:
                missing += 1
        await asyncio.sleep(0.2)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("inf")
    result = {"bench": "realtime-broadcast", "clients": args.clients, "rounds": args.rounds,
              "p50_ms": round(p(0.50), 2), "p99_ms": round(p(0.99), 2), "max_ms": round(latencies[-1], 2) if latencies else None,
              "missing": missing, "rss_mb_connected": round(rss_connected, 1), "rss_mb_after": round(gw.rss_mb(), 1),
              "reference_rest_p50_ms": round(statistics.median(rest), 2), "reference_rss_mb_no_clients": round(rss_before, 1)}
    result["ok"] = result["p99_ms"] < 50 and missing == 0 and max(result["rss_mb_connected"], result["rss_mb_after"]) < 150
    for c in clients:
        c.close()
    return result


# MARK: Long-polling client

async def poll_client(port, token, ready):
    get_r, get_w = await asyncio.open_connection("127.0.0.1", port)
    post_r, post_w = await asyncio.open_connection("127.0.0.1", port)
    base = "/socket.io/?EIO=4&transport=polling"
    _, body = await http_request(get_r, get_w, "GET", base)
    sid = json.loads(body[1:])["sid"]
    url = f"{base}&sid={sid}"
    await http_request(post_r, post_w, "POST", url, body=b"40")
    await http_request(get_r, get_w, "GET", url)
    await http_request(post_r, post_w, "POST", url, body=b'42["authenticate",' + json.dumps({"token": token}).encode() + b"]")
    authenticated = False
    while True:
        status, body = await http_request(get_r, get_w, "GET", url)
        if status != 200:
            raise RuntimeError(f"poll answered {status}")
        for packet in body.split(b"\x1e"):
            if packet == b"2":
                await http_request(post_r, post_w, "POST", url, body=b"3")
            elif packet.startswith(b'42["authenticated"') and not authenticated:
                authenticated = True
                ready()


async def polling(args, gw):
    token = gw.login()
    await asyncio.sleep(2)
    cpu0, t0 = gw.cpu_seconds(), time.monotonic()
    await asyncio.sleep(args.window)
    idle_cpu = (gw.cpu_seconds() - cpu0) / (time.monotonic() - t0) * 100
    count = [0]
    done = asyncio.Event()

    def ready():
        count[0] += 1
        if count[0] == args.clients:
            done.set()
    tasks = [asyncio.create_task(poll_client(gw.port, token, ready)) for _ in range(args.clients)]
    await asyncio.wait_for(done.wait(), 60)
    await asyncio.sleep(2)
    cpu0, t0 = gw.cpu_seconds(), time.monotonic()
    await asyncio.sleep(args.window)
    cpu = (gw.cpu_seconds() - cpu0) / (time.monotonic() - t0) * 100
    failed = [t for t in tasks if t.done()]
    result = {"bench": "realtime-polling", "clients": args.clients, "window_s": args.window,
              "gateway_cpu_percent": round(cpu, 2), "rss_mb": round(gw.rss_mb(), 1), "clients_failed": len(failed),
              "reference_cpu_percent_no_clients": round(idle_cpu, 2)}
    result["ok"] = cpu < 50 and not failed
    for t in tasks:
        t.cancel()
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["broadcast", "polling"])
    ap.add_argument("--bin", default=os.environ.get("IBRAT_BIN_DIR", ".build/release"))
    ap.add_argument("--clients", type=int)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--window", type=float, default=30.0)
    ap.add_argument("--gateway-cpu", type=int, default=None)
    args = ap.parse_args()
    args.clients = args.clients or (1000 if args.mode == "broadcast" else 200)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.clients + 256)), hard))
    gw = Gateway(args.bin, args.gateway_cpu)
    try:
        result = asyncio.run(broadcast(args, gw) if args.mode == "broadcast" else polling(args, gw))
    finally:
        gw.stop()
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
