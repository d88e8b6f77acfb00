#!/usr/bin/env python3
"""Calls per second through the whole system (issue 16), run by calls-rate.sh against fresh daemons.

The queue-daemon places and settles simulated calls as fast as LINES lines allow: it is paused,
given LINES lines and OPERATORS operators (available), LEADS leads are uploaded, then it is resumed
for SECONDS seconds with a backlog, so every line the dialer frees is dialled again at once. The
offered rate is what the lines would carry with no dispatch delay: LINES / the mean life of a call
(created -> ended, measured), i.e. LINES is chosen for the rate. From the SQLite file, over the
window after WARMUP seconds:
  placed/s    calls created per second (`calls.created_at`)
  settled/s   calls ended per second (`calls.end_time`)
  dispatch    line reuse latency: each call created, matched to the oldest line freed before it
              (a call's end) and not yet reused -> created_at - that end (ms, p50/p99); the
              dispatcher's own measure of how fast it answers a freed line, at that rate.
Prints one JSON line.

Usage: calls-rate.py URL DB [--lines 250] [--operators 330] [--leads 40000] [--seconds 20] [--warmup 5] [--round 1]"""
import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Gateway, median, pct, proc_cpu_seconds, readonly_db  # noqa: E402


def upload(gw, leads, offset):
    for start in range(offset, offset + leads, 20000):
        rows = ["name,phone,priority"] + [f"Rate Lead {i},+99896{i:07d},high"
                                          for i in range(start, min(offset + leads, start + 20000))]
        gw.upload_csv(("\r\n".join(rows) + "\r\n").encode(), "rate.csv")


def control(gw, action, value=None, tries=20):
    """A queue control; a 503 (the queue-daemon's loop busier than the gateway's 1.5 s IPC timeout,
    counted in `timeouts`) is retried."""
    body = {"action": action} if value is None else {"action": action, "value": value}
    for _ in range(tries):
        status, parsed, _ = gw.request("POST", "/api/admin/system/control", body)
        if status == 200:
            return parsed
        TIMEOUTS.append(action)
        time.sleep(0.1)
    sys.exit(f"{action}: the queue-daemon did not answer ({status} {parsed})")


TIMEOUTS = []


def settle(gw, timeout=60):
    """Waits until the queue-daemon answers again (after a large import its loop is busy for a while)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body, _ = gw.request("POST", "/api/admin/system/control", {"action": "get_queue_status"})
        if status == 200:
            return body["status"]
        time.sleep(0.2)
    sys.exit("the queue-daemon did not answer after the upload")


def reuse_latencies(calls, lines, w0, w1):
    """calls: (created_at, end_time or None) sorted by created_at. Free lines are the ends not yet
    reused (the first LINES calls take the lines that were free at the start)."""
    events = [(c, 1, 0) for c, _ in calls] + [(e, 0, 0) for _, e in calls if e is not None]
    events.sort()
    free, out, started = [], [], 0
    from collections import deque
    free = deque()
    for t, kind, _ in events:
        if kind == 0:
            free.append(t)
        else:
            started += 1
            if started <= lines:
                continue  # a line free from the start
            if free:
                freed = free.popleft()
                if w0 <= t < w1:
                    out.append(t - freed)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("db")
    ap.add_argument("--lines", type=int, default=250)
    ap.add_argument("--operators", type=int, default=330)
    ap.add_argument("--leads", type=int, default=40000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--round", type=int, default=1)
    ap.add_argument("--pids", default="", help="name=pid,...: CPU of each daemon over the window")
    args = ap.parse_args()
    pids = dict(p.split("=") for p in args.pids.split(",") if p)
    gw = Gateway(args.url)
    gw.login()
    gw.wait_dispatch_ready()
    control(gw, "pause_queue")
    control(gw, "set_max_concurrent_calls", args.lines)
    have = gw.queue_status().get("freeOperators", 0)
    if have < args.operators:
        t = time.monotonic()
        per = (args.operators - have + 3) // 4
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda k: Gateway(args.url, gw.token).register_operators(
                max(0, min(per, args.operators - have - k * per)), have + k * per), range(4)))
        print(f"registered {args.operators - have} operators in {time.monotonic() - t:.1f} s", file=sys.stderr)
    upload(gw, args.leads, (args.round - 1) * args.leads)
    settle(gw)
    db = readonly_db(args.db)
    first = db.execute("SELECT coalesce(max(created_at), 0) FROM calls").fetchone()[0]
    load0 = open("/proc/loadavg").read().split()[:3]
    t0 = int(time.time() * 1000)
    control(gw, "resume_queue")
    time.sleep(args.warmup)
    cpu0 = {n: proc_cpu_seconds(int(p)) for n, p in pids.items()}
    samples, end = [], time.monotonic() + args.seconds - args.warmup
    while time.monotonic() < end:  # what the queue sees: live calls and free operators, once a second
        samples.append(control(gw, "get_queue_status")["status"])
        time.sleep(max(0, min(1, end - time.monotonic())))
    cpu = {n: round(proc_cpu_seconds(int(p)) - cpu0[n], 2) for n, p in pids.items()}
    control(gw, "pause_queue")
    t1 = int(time.time() * 1000)
    load1 = open("/proc/loadavg").read().split()[:3]
    # Let the last calls end (they are short) before reading their ends.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and db.execute(
            "SELECT count(*) FROM calls WHERE status IN ('initiated','ringing','answered')").fetchone()[0]:
        time.sleep(0.2)
    calls = db.execute("SELECT created_at, end_time FROM calls WHERE created_at > ? ORDER BY created_at",
                       (first,)).fetchall()
    w0, w1 = t0 + int(args.warmup * 1000), t1
    span = (w1 - w0) / 1000
    placed = sum(1 for c, _ in calls if w0 <= c < w1) / span
    settled = sum(1 for _, e in calls if e is not None and w0 <= e < w1) / span
    lives = [e - c for c, e in calls if e is not None and w0 <= c < w1]
    mean_life = sum(lives) / len(lives) if lives else float("nan")
    lat = reuse_latencies(calls, args.lines, w0, w1)
    # Where a line's time goes besides the call: the queue's dispatch write -> the dialer's insert,
    # and the dialer's end -> the queue's write of the lead's next status (both clocks are this machine's).
    legs = db.execute("""SELECT c.created_at - (SELECT min(e.at) FROM lead_events e WHERE e.lead_id = c.lead_id
                                                 AND e.to_status = 'calling'),
                                (SELECT min(e.at) FROM lead_events e WHERE e.lead_id = c.lead_id
                                 AND e.from_status IN ('calling', 'answered', 'transferred') AND e.at >= c.end_time)
                                - c.end_time
                         FROM calls c WHERE c.created_at >= ? AND c.created_at < ?""", (w0, w1)).fetchall()
    to_dialer = [a for a, _ in legs if a is not None]
    to_queue = [b for _, b in legs if b is not None]
    result = {"bench": "calls-rate", "lines": args.lines, "operators": args.operators, "seconds": args.seconds,
              "calls": len(calls), "placed_per_s": round(placed, 1), "settled_per_s": round(settled, 1),
              "mean_call_ms": round(mean_life, 1),
              "offered_per_s": round(args.lines / (mean_life / 1000), 1) if lives else None,
              "dispatch_ms": {"p50": median(lat), "p99": pct(lat, 99), "samples": len(lat)},
              "queue_to_dialer_ms": {"p50": median(to_dialer), "p99": pct(to_dialer, 99)},
              "dialer_to_queue_ms": {"p50": median(to_queue), "p99": pct(to_queue, 99)},
              "queue_seen": {k: median([x.get(k, 0) for x in samples]) for k in ("activeCalls", "freeOperators")},
              "control_timeouts": len(TIMEOUTS),
              "cpu_percent": {n: round(c * 100 / span, 1) for n, c in cpu.items()},
              "cpu_ms_per_call": {n: round(c * 1000 / max(1, placed * span), 3) for n, c in cpu.items()},
              "load_before": load0, "load_after": load1}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
