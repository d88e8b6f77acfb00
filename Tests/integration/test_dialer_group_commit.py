"""Group commit in the dialer (issue 16): answers and events leave only after the commit that
stores them, so `kill -9` at any moment loses nothing that was acknowledged. The dialer alone is
driven over its socket as the queue-daemon drives it (a stream of `start_call`, short simulated
calls ringing and ending meanwhile) and killed in the middle; then every call whose `start_call`
was answered has its row, and no stored call is behind a status change that was published."""
import json
import os
import socket
import sqlite3
import struct
import threading
import time

from conftest import System
from ipc_client import read_frame

RANK = {"initiated": 0, "ringing": 1, "answered": 2}  # every final status ranks 3


def rank(status):
    return RANK.get(status, 3)


def send(s, msg_id, type_, body):
    data = json.dumps({"v": 1, "type": type_, "id": msg_id, "re": None, "body": body}).encode()
    s.sendall(struct.pack(">I", len(data)) + data)


def stored_calls(system):
    db = sqlite3.connect(f"file:{os.path.join(system.dir, 'ibrat.db')}?mode=ro", uri=True)
    try:
        return {row[0]: row[1] for row in db.execute("SELECT id, status FROM calls")}
    finally:
        db.close()


def test_kill_9_loses_no_acknowledged_call_or_published_status():
    system = System()
    try:
        system.start("dialer-daemon")
        sock_path = os.path.join(system.dir, "run", "dialer.sock")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        system.wait_for(lambda: os.path.exists(sock_path) and s.connect_ex(sock_path) == 0, what="dialer accepting")
        send(s, 1, "hello", {"v": 1, "role": "queue"})
        assert read_frame(s)["type"] == "hello"
        send(s, 2, "subscribe", {"prefixes": ["event."]})
        assert read_frame(s)["type"] == "reply"

        acked, published, call_of = set(), {}, {}
        done = threading.Event()

        def reader():
            try:
                while True:
                    frame = read_frame(s)
                    if frame.get("re") in call_of and frame["type"] == "reply":
                        acked.add(call_of[frame["re"]])
                    elif frame["type"] == "event.call_status_changed":
                        call = frame["body"]["call"]
                        published[call["id"]] = max(published.get(call["id"], -1), rank(call["status"]))
            except (AssertionError, OSError):
                pass
            finally:
                done.set()
        threading.Thread(target=reader, daemon=True).start()

        msg_id, n = 10, 0
        deadline = time.monotonic() + 20
        # Keep offering calls until some have been answered and some have ended, then kill mid-stream.
        while time.monotonic() < deadline:
            for _ in range(10):
                msg_id += 1
                n += 1
                call_of[msg_id] = f"6a{n:022x}"
                send(s, msg_id, "dialer.start_call", {"callId": call_of[msg_id], "leadId": f"6b{n:022x}",
                                                      "operatorId": "65a000000000000000000001",
                                                      "to": f"+99890{n:07d}", "mode": "automatic"})
            time.sleep(0.005)
            if len(acked) > 200 and sum(1 for r in list(published.values()) if r == 3) > 20:
                break
        system.kill("dialer-daemon")
        assert done.wait(10), "the connection ends with the dialer"
        assert len(acked) > 200, f"only {len(acked)} calls were answered before the deadline"

        stored = {cid: rank(status) for cid, status in stored_calls(system).items()}
        lost = sorted(acked - stored.keys())
        assert not lost, f"{len(lost)} acknowledged calls have no row, e.g. {lost[:3]}"
        behind = [(cid, r, stored.get(cid)) for cid, r in published.items() if stored.get(cid, -1) < r]
        assert not behind, f"{len(behind)} calls stored behind their published status, e.g. {behind[:3]}"

        # A restart ends what the kill left live, as before (recovery, before READY).
        system.start("dialer-daemon")
        system.wait_for(lambda: system.log_text("dialer-daemon").count("dialer-daemon ready") >= 2,
                        what="restarted dialer")
        live = [cid for cid, status in stored_calls(system).items() if status in RANK]
        assert live == []
    finally:
        system.stop_all()
        system.cleanup()
