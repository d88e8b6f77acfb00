#!/usr/bin/env python3
"""Dialer call rate (issue 16): one dialer-daemon offered `dialer.start_call` at RATE calls a second
for SECONDS, driven over its IPC socket as the queue-daemon drives it (`hello {role: "queue"}`,
`subscribe {prefixes: ["event."]}`, unique 24-hex callIds/leadIds, an operator on every call, the
calls of each 5-ms tick written together as the dispatcher's planning turn does). Run by
dialer-rate.sh, which starts the dialer on a `calls` table already holding PREFILL calls, with a
fast simulated time scale, so the calls ring, answer or fail, talk and end within about a second:
they are placed and settled at the offered rate.

Measured after WARMUP seconds, while the offer is steady:
  placed/s   start_call replies (`{call}`) received per second
  settled/s  `event.call_status_changed` to a final status per second
  latency    start_call sent -> its reply received (ms, p50/p99/max): the dialer's acknowledgment,
             which it gives only once the call is stored
and the dialer's CPU seconds per placed call (utime+stime from /proc over the whole offer).
Prints one JSON line.

Usage: dialer-rate.py SOCKET PID [--rate 1000] [--seconds 10] [--warmup 2] [--tick-ms 5]"""
import json
import os
import re
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import IPCClient, dialer_bench_parser, median, object_id, pct, proc_cpu_seconds  # noqa: E402

FINAL = {b"completed", b"busy", b"no-answer", b"failed", b"canceled", b"abandoned", b"machine"}
# Frames are read without a JSON parse (a parse per frame made this client too slow at 5,000
# frames a second on a loaded machine: the dialer closes a peer with 8 MiB unread).
TYPE, RE, STATUS = re.compile(rb'"type":"([a-z_.]+)"'), re.compile(rb'"re":(\d+)'), re.compile(rb'"status":"([a-z-]+)"')


def main():
    ap = dialer_bench_parser()
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--tick-ms", type=float, default=5)
    ap.add_argument("--tag", type=int, default=0, help="distinguishes the ids of several runs on one database")
    ap.add_argument("--label", default="default", help="names the dialer's configuration in the output")
    args = ap.parse_args()
    client = IPCClient(args.socket, "queue")
    if client.call("subscribe", {"prefixes": ["event."]})["type"] != "reply":
        sys.exit("subscribe refused")

    sent_at = {}
    replies, errors, settled = [], [], []  # (received monotonic, latency ms) / frames / received times
    done = threading.Event()

    def drain():
        buf = bytearray(client.buf)
        try:
            while not done.is_set():
                chunk = client.sock.recv(1 << 20)
                if not chunk:
                    return
                buf += chunk
                now = time.monotonic()
                at = 0
                while len(buf) - at >= 4:
                    n = struct.unpack_from("!I", buf, at)[0]
                    if len(buf) - at - 4 < n:
                        break
                    frame = bytes(buf[at + 4:at + 4 + n])
                    at += 4 + n
                    kind = TYPE.search(frame).group(1)
                    if kind in (b"reply", b"error"):
                        t = sent_at.pop(int(RE.search(frame).group(1)), None)
                        if kind == b"reply" and t is not None:
                            replies.append((now, (now - t) * 1000))
                        else:
                            errors.append(json.loads(frame))
                    elif kind == b"event.call_status_changed" and STATUS.search(frame).group(1) in FINAL:
                        settled.append(now)
                del buf[:at]
        except (ConnectionError, OSError):
            pass
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    n = 0
    cpu0 = proc_cpu_seconds(args.pid)
    t0 = time.monotonic()
    end = t0 + args.seconds
    tick = args.tick_ms / 1000
    next_tick = t0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        due = int((now - t0) * args.rate) + 1
        frames = [("dialer.start_call", {"callId": object_id(0xca11 + args.tag, i), "leadId": object_id(0x1ead + args.tag, i),
                                         "operatorId": object_id(0x0be7, i % 1000), "to": f"+99897{i % 10_000_000:07d}",
                                         "mode": "automatic"}) for i in range(n, due)]
        if frames:
            stamp = time.monotonic()
            ids = list(range(client.next_id, client.next_id + len(frames)))
            for i in ids:
                sent_at[i] = stamp
            client.send_many(frames)
            n = due
        next_tick += tick
        pause = next_tick - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    offered_s = time.monotonic() - t0
    # Wait for every reply and every call's end (or give up after 30 s).
    deadline = time.monotonic() + 30
    while (len(replies) + len(errors) < n or len(settled) < len(replies)) and time.monotonic() < deadline:
        time.sleep(0.05)
    cpu = proc_cpu_seconds(args.pid) - cpu0
    done.set()
    client.close()

    w0, w1 = t0 + args.warmup, t0 + args.seconds
    span = w1 - w0
    in_window = [lat for (t, lat) in replies if w0 <= t < w1]
    placed_per_s = len(in_window) / span
    settled_per_s = sum(1 for t in settled if w0 <= t < w1) / span
    lats = [lat for (t, lat) in replies if t >= w0]
    result = {"bench": "dialer-rate", "rate": args.rate, "label": args.label,
              "load1": float(open("/proc/loadavg").read().split()[0]), "seconds": args.seconds, "offered": n,
              "offered_per_s": round(n / offered_s, 1), "replies": len(replies), "errors": len(errors),
              "settled": len(settled), "placed_per_s": round(placed_per_s, 1),
              "settled_per_s": round(settled_per_s, 1),
              "latency_ms": {"p50": round(median(lats), 2), "p99": round(pct(lats, 99), 2),
                             "max": round(max(lats), 2) if lats else None},
              "cpu_s": round(cpu, 2), "cpu_ms_per_call": round(cpu * 1000 / max(1, len(replies)), 3)}
    if errors:
        result["first_error"] = errors[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
