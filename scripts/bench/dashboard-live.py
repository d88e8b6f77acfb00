#!/usr/bin/env python3
"""Dashboards under live traffic (issue 16), run by dashboard-live.sh against the three real
daemons on 1,000,000 leads and 2,000,000 calls.

1. Registers OPERATORS available operators (more are needed for the rate) and one admin per
   measured route, so that every client stays inside the default per-user rate limit (1,000
   requests per 15 minutes); the operator dashboard is the generated operator op2@bench.example's
   (~11,000 leads assigned, ~48,000 calls), whose password dashboard-live.sh set.
2. Idle: samples every route (round robin, PACE requests a second in all) for IDLE seconds with
   the queue paused.
3. Load: resumes the queue. The dispatcher places simulated calls (time scale 0.01); every
   CONTROL seconds the script reads the dialer's `ibrat_calls_total` (each status a call reaches)
   from /metrics and sets `set_max_concurrent_calls` so the rate stays near RATE (100) call status
   changes a second. While the rate is within 20 % of RATE, every route is sampled as when idle,
   for SECONDS seconds of such samples; the achieved rate over that window is printed.
Routes: the admin dashboard, the system status, the operator dashboard, the call, lead and user
stats summaries, and GET /health (with a token: the anonymous limit is on) as the reference.
Prints a JSON line and a summary line; target p50 < 10 ms and p99 < 30 ms for the six routes."""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Gateway, pct, median  # noqa: E402

ROUTES = [("admin dashboard", "/api/admin/dashboard", "admin"),
          ("system status", "/api/admin/system-status", "admin"),
          ("operator dashboard", "/api/operator/dashboard", "operator"),
          ("call stats summary", "/api/calls/stats/summary", "admin"),
          ("lead stats summary", "/api/leads/stats/summary", "admin"),
          ("user stats summary", "/api/users/stats/summary", "admin"),
          ("/health", "/health", "admin")]


def status_changes(gw):
    """Sum of ibrat_calls_total (every status a call reached) from /metrics."""
    gw.conn.request("GET", "/metrics", headers={"Authorization": "Bearer " + gw.token})
    r = gw.conn.getresponse()
    text = r.read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith("ibrat_calls_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def user(gw, url, role, name, n):
    email = f"{name}{n}@live.bench.example.com"
    gw.ok("POST", "/api/auth/register", {"name": f"Live {name} {n}", "email": email, "phone": f"+99895{n:07d}",
                                          "password": "live-bench-pass-1", "role": role})
    client = Gateway(url)
    body, _ = client.ok("POST", "/api/auth/login", {"email": email, "password": "live-bench-pass-1"}, auth=False)
    client.token = body["token"]
    return client


def sample(clients, seconds, pace, samples, keep=lambda: True):
    """Round robin over the routes at `pace` requests a second for `seconds` of kept samples
    (at most 3 × `seconds` in all)."""
    gap = 1.0 / pace
    kept = 0.0
    next_at = time.monotonic()
    give_up = next_at + 3 * seconds
    while kept < seconds and time.monotonic() < give_up:
        for name, path, _ in ROUTES:
            next_at += gap
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                next_at = time.monotonic()
            status, _, ms = clients[name].request("GET", path)
            if status != 200:
                sys.exit(f"{path}: HTTP {status}")
            if keep():
                samples[name].append(ms)
        if keep():
            kept += gap * len(ROUTES)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--rate", type=float, default=100)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--idle", type=float, default=20)
    ap.add_argument("--pace", type=float, default=28)
    ap.add_argument("--operators", type=int, default=80)
    ap.add_argument("--control", type=float, default=2)
    args = ap.parse_args()
    admin = Gateway(args.url)
    admin.login()
    admin.wait_dispatch_ready(timeout=300)
    admin.control("pause_queue")
    admin.register_operators(args.operators)
    clients = {}
    for i, (name, _, role) in enumerate(ROUTES):
        if role == "operator":  # a generated operator with a long history (dashboard-live.sh)
            clients[name] = Gateway(args.url)
            body, _ = clients[name].ok("POST", "/api/auth/login", {"email": "op2@bench.example",
                                                                   "password": "live-bench-pass-1"}, auth=False)
            clients[name].token = body["token"]
        else:
            clients[name] = user(admin, args.url, role, "admin", i)
    load0 = open("/proc/loadavg").read().split()[:3]

    idle = {name: [] for name, _, _ in ROUTES}
    sample(clients, args.idle, args.pace, idle)

    # Load: a controller keeps the status changes near the target rate.
    lines = max(1, int(args.rate / 4))
    admin.control("set_max_concurrent_calls", lines)
    admin.control("resume_queue")
    state = {"t": time.monotonic(), "n": status_changes(admin), "rate": 0.0, "in_band": False,
             "window": []}

    def control():
        now = time.monotonic()
        if now - state["t"] < args.control:
            return state["in_band"]
        n = status_changes(admin)
        rate = (n - state["n"]) / (now - state["t"])
        state.update(t=now, n=n, rate=rate)
        nonlocal lines
        if rate > 0:
            wanted = max(1, min(2000, round(lines * args.rate / rate)))
            lines = max(1, min(2000, round((lines + wanted) / 2)))
            admin.control("set_max_concurrent_calls", lines)
        state["in_band"] = abs(rate - args.rate) <= 0.2 * args.rate
        if state["in_band"]:
            state["window"].append((now, n, rate, lines))
        return state["in_band"]

    loaded = {name: [] for name, _, _ in ROUTES}
    t_start = time.monotonic()
    sample(clients, args.seconds, args.pace, loaded, keep=control)
    load_s = time.monotonic() - t_start
    admin.control("pause_queue")
    load1 = open("/proc/loadavg").read().split()[:3]
    window = state["window"]
    achieved = (window[-1][1] - window[0][1]) / (window[-1][0] - window[0][0]) if len(window) > 1 else float("nan")
    res = {"bench": "dashboard-live", "target_rate": args.rate, "achieved_rate": round(achieved, 1),
           "wall_s": round(load_s, 1), "lines": lines, "loadavg_before": load0, "loadavg_after": load1,
           "routes": {name: {"idle_p50": round(median(idle[name]), 2), "idle_p99": round(pct(idle[name], 99), 2),
                             "p50": round(median(loaded[name]), 2), "p99": round(pct(loaded[name], 99), 2),
                             "n": len(loaded[name])} for name, _, _ in ROUTES}}
    print(json.dumps(res))
    met = all(r["p50"] < 10 and r["p99"] < 30 for name, r in res["routes"].items() if name != "/health")
    parts = [f"{name} p50 {r['p50']} / p99 {r['p99']} ms (idle {r['idle_p50']} / {r['idle_p99']})"
             for name, r in res["routes"].items()]
    print(f"dashboards live: {res['achieved_rate']} call status changes/s (target {args.rate:g}, {lines} lines) over "
          f"{res['wall_s']} s; " + "; ".join(parts) + f"; load average {' '.join(load0)} -> {' '.join(load1)} "
          f"(targets p50 < 10 ms, p99 < 30 ms: {'met' if met else 'MISSED'})", flush=True)


if __name__ == "__main__":
    main()
