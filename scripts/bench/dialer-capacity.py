#!/usr/bin/env python3
"""Dialer capacity (issue 3): CALLS concurrent simulated calls held by one dialer-daemon, driven
directly over its IPC socket as the queue-daemon would (`hello {role: "queue"}`, `subscribe
{prefixes: ["event."]}`, then `dialer.start_call` x CALLS with unique 24-hex callIds/leadIds,
pipelined in batches). Run by dialer-capacity.sh, which starts the dialer with long ring and talk
times (every call answered after 30-60 s, then talks 600-900 s), so all calls stay live.

Measured from /proc/<pid>: the same dialer idle (0 calls, client connected) over WINDOW seconds
(the reference); the placement (wall time, calls/s, CPU seconds); then CPU % over WINDOW-second
windows in each phase of the calls' lives: `ringing` (right after placement), `answer wave`
(35 s after: the 30-60 s ring times end, ~CALLS/30 answers a second are stored and published)
and `talking` (65 s after: all answered, only timers pending); VmRSS at each. The events are
read and counted all along, as the queue would. `dialer.status` must report CALLS live calls.

Usage: dialer-capacity.py SOCKET PID [--calls 5000] [--window 10] [--batch 250]"""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import IPCClient, cpu_percent, dialer_bench_parser, object_id, proc_cpu_seconds, proc_rss_mb  # noqa: E402


def main():
    ap = dialer_bench_parser()
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--window", type=float, default=10)
    ap.add_argument("--batch", type=int, default=250)
    args = ap.parse_args()
    pid = args.pid
    client = IPCClient(args.socket, "queue")
    sub = client.call("subscribe", {"prefixes": ["event."]})
    if sub["type"] != "reply":
        sys.exit(f"subscribe refused: {sub}")
    time.sleep(1)
    idle_cpu = cpu_percent(pid, args.window)
    idle_rss = proc_rss_mb(pid)

    cpu0, t0 = proc_cpu_seconds(pid), time.monotonic()
    errors = []
    # Each call carries an operator: since issue 14 an automatic call answered without one is
    # abandoned after IBRAT_ABANDON_WAIT_MS, which would end every call at its answer.
    for start in range(0, args.calls, args.batch):
        frames = [("dialer.start_call", {"callId": object_id(0xca11, n), "leadId": object_id(0x1ead, n), "operatorId": object_id(0x0be7, n % 1000),
                                         "to": f"+99897{n:07d}", "mode": "automatic"})
                  for n in range(start, min(args.calls, start + args.batch))]
        replies = client.wait_replies(client.send_many(frames))
        errors += [f for f in replies.values() if f["type"] != "reply"]
    place_s = time.monotonic() - t0
    place_cpu = proc_cpu_seconds(pid) - cpu0
    placed_at = time.monotonic()
    if errors:
        sys.exit(f"{len(errors)} start_call errors, first: {errors[0]}")

    # From now on a thread drains the events (as the queue-daemon would) while we sample.
    stop = threading.Event()

    def drain():
        try:
            while not stop.is_set():
                client.read()
        except (ConnectionError, OSError):
            pass
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    windows = {}
    for name, offset in (("ringing", 0.0), ("answer wave", 35.0), ("talking", 65.0)):
        wait = placed_at + offset - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        windows[name] = {"cpu_percent": cpu_percent(pid, args.window), "rss_mb": proc_rss_mb(pid),
                         "events_so_far": client.events}
    stop.set()
    # dialer.status over a second connection (the first one's reader thread owns its socket).
    status_client = IPCClient(args.socket, "gateway")
    status = status_client.call("dialer.status", {})["body"]
    status_client.close()
    client.close()
    live = status.get("activeCount")
    answered = sum(1 for c in status.get("activeCalls", []) if c.get("status") == "answered")
    worst_cpu = max(w["cpu_percent"] for w in windows.values())
    worst_rss = max(w["rss_mb"] for w in windows.values())
    result = {"bench": "dialer-capacity", "calls": args.calls, "live_at_end": live, "answered_at_end": answered,
              "place_s": round(place_s, 2), "place_calls_per_s": round(args.calls / place_s),
              "place_cpu_s": round(place_cpu, 2),
              "windows": {k: {"cpu_percent": round(v["cpu_percent"], 2), "rss_mb": round(v["rss_mb"], 1),
                              "events_so_far": v["events_so_far"]} for k, v in windows.items()},
              "idle_cpu_percent": round(idle_cpu, 2), "idle_rss_mb": round(idle_rss, 1),
              "worst_cpu_percent": round(worst_cpu, 2), "worst_rss_mb": round(worst_rss, 1)}
    result["ok"] = worst_cpu < 50 and worst_rss < 100 and live == args.calls
    print(json.dumps(result))


if __name__ == "__main__":
    main()
