#!/usr/bin/env python3
"""Dispatch latency (issue 3): with free lines and operators, an urgent lead created over
`POST /api/leads` -> its call initiated. Run by dispatch-latency.sh against running daemons.

For every sample the script waits until at least two lines are free (live calls in the `calls`
table <= lines - 2), creates one urgent lead, times the HTTP round trip of that POST and of a
`GET /health` right after it, and sleeps GAP ms. Afterwards, from the SQLite file (all times are
milliseconds of the same machine's clock):
  created  = the lead's first `lead_events` row `at` (reason `created`, written by the queue-daemon)
  dispatch = the lead's first `lead_events` row to `calling` (the queue's dispatch decision)
  initiated= `calls.created_at` of the lead's first call (written by the dialer-daemon)
latency = initiated - created; split into queue (dispatch - created) and dialer (initiated - dispatch).

With `--scrape-every S` (metrics-scrape.sh, issue 15) the rounds alternate, in the order
without / with / with / without / ..., between no scraper and a thread reading `GET /metrics`
every S seconds, and the summary compares the two: mean, p50 and p99 of the pooled samples of each.

Usage: dispatch-latency.py URL DB [--samples 300] [--rounds 3] [--operators 5] [--lines 5] [--gap-ms 20]
                          [--scrape-every 1]"""
import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Gateway, median, pct, readonly_db, wait_free_operators  # noqa: E402

LIVE = "('initiated','ringing','answered')"


def live_calls(db):
    return db.execute(f"SELECT count(*) FROM calls WHERE status IN {LIVE}").fetchone()[0]


def run_round(gw, db, args, rnd):
    lead_ids, post_ms, health_ms, waited = [], [], [], 0
    for i in range(args.samples):
        t = time.monotonic()
        while live_calls(db) > args.lines - 2:
            time.sleep(0.002)
            if time.monotonic() - t > 10:
                sys.exit("lines never became free (calls not ending?)")
        if time.monotonic() - t > 0.001:
            waited += 1
        lead = {"phone": f"+99894{rnd}{i:06d}", "name": f"Urgent {rnd}-{i}", "priority": "urgent"}
        if args.timezone:
            lead["timezone"] = args.timezone
        body, ms = gw.ok("POST", "/api/leads", lead, expect=(201,))
        post_ms.append(ms)
        lead_ids.append(body["lead"]["id"])
        health_ms.append(gw.ok("GET", "/health", auth=False)[1])
        time.sleep(args.gap_ms / 1000)
    # Every lead must have its call before we read the figures.
    deadline = time.monotonic() + 30
    rows = []
    while time.monotonic() < deadline:
        rows = db.execute(f"""
            SELECT l.id,
              (SELECT at FROM lead_events e WHERE e.lead_id = l.id ORDER BY e.id LIMIT 1),
              (SELECT at FROM lead_events e WHERE e.lead_id = l.id AND e.to_status = 'calling' ORDER BY e.id LIMIT 1),
              (SELECT min(created_at) FROM calls c WHERE c.lead_id = l.id)
            FROM leads l WHERE l.id IN ({",".join("?" * len(lead_ids))})""", lead_ids).fetchall()
        if len(rows) == len(lead_ids) and all(r[3] is not None for r in rows):
            break
        time.sleep(0.2)
    missing = sum(1 for r in rows if r[3] is None or r[2] is None)
    total = [r[3] - r[1] for r in rows if r[3] is not None and r[2] is not None]
    queue = [r[2] - r[1] for r in rows if r[3] is not None and r[2] is not None]
    dialer = [r[3] - r[2] for r in rows if r[3] is not None and r[2] is not None]
    return {"total": total, "queue": queue, "dialer": dialer, "post": post_ms, "health": health_ms,
            "missing": missing, "waited": waited}


class Scraper:
    """GET /metrics every `period` seconds on a thread until stopped, on one keep-alive connection;
    counts good scrapes."""

    def __init__(self, url, period):
        self.url, self.period, self.count = url + "/metrics", period, 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        u = urllib.parse.urlparse(self.url)
        conn, next_at = None, time.monotonic()
        while not self.stopping.is_set():
            for attempt in (0, 1):  # one keep-alive connection, as Prometheus scrapes
                try:
                    conn = conn or http.client.HTTPConnection(u.hostname, u.port, timeout=5)
                    conn.request("GET", u.path)
                    r = conn.getresponse()
                    if r.status == 200 and r.read().startswith(b"# HELP"):
                        self.count += 1
                    break
                except (OSError, http.client.HTTPException):
                    conn = None  # closed while idle: reconnect once
            next_at += self.period
            self.stopping.wait(max(0.0, next_at - time.monotonic()))

    def stop(self):
        self.stopping.set()
        self.thread.join()
        return self.count


def compare_scraping(rounds, flags, scrapes, period):
    """Prints and returns the pooled figures of the rounds without and with the scraper."""
    out = {}
    for label, flag in (("without", False), ("with", True)):
        pooled = [x for r, f in zip(rounds, flags) if f == flag for x in r["total"]]
        out[label] = {"samples": len(pooled), "mean_ms": round(statistics.mean(pooled), 3),
                      "p50_ms": pct(pooled, 50), "p99_ms": pct(pooled, 99),
                      "round_means_ms": [round(statistics.mean(r["total"]), 3) for r, f in zip(rounds, flags) if f == flag]}
    change = (out["with"]["mean_ms"] - out["without"]["mean_ms"]) / out["without"]["mean_ms"] * 100
    out["mean_change_pct"] = round(change, 1)
    out["scrapes"] = scrapes
    print(f"dispatch latency without / with a scraper every {period:g} s ({scrapes} scrapes): "
          f"mean {out['without']['mean_ms']:.2f} / {out['with']['mean_ms']:.2f} ms ({change:+.1f} %), "
          f"p50 {out['without']['p50_ms']:.0f} / {out['with']['p50_ms']:.0f} ms, "
          f"p99 {out['without']['p99_ms']:.0f} / {out['with']['p99_ms']:.0f} ms "
          f"({out['without']['samples']} / {out['with']['samples']} samples; round means without "
          f"{out['without']['round_means_ms']}, with {out['with']['round_means_ms']})")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("db")
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--operators", type=int, default=5)
    ap.add_argument("--lines", type=int, default=5)
    ap.add_argument("--gap-ms", type=float, default=20)
    ap.add_argument("--timezone", default=None, help="explicit zone of the sample leads (dialing-rules.sh)")
    ap.add_argument("--scrape-every", type=float, default=0,
                    help="alternate rounds without and with a GET /metrics scraper at this period (s)")
    args = ap.parse_args()
    gw = Gateway(args.url)
    gw.login()
    gw.wait_dispatch_ready()  # the gateway answers before the queue-daemon is reachable
    gw.register_operators(args.operators)
    gw.control("set_max_concurrent_calls", args.lines)
    wait_free_operators(gw, args.operators)
    db = readonly_db(args.db)
    rounds, flags, scrapes = [], [], 0
    for r in range(args.rounds):
        scraping = args.scrape_every > 0 and r % 4 in (1, 2)  # without, with, with, without, ...
        scraper = Scraper(args.url, args.scrape_every) if scraping else None
        res = run_round(gw, db, args, r)
        if scraper:
            scrapes += scraper.stop()
        rounds.append(res)
        flags.append(scraping)
        print(f"round {r + 1}: {len(res['total'])} leads, created->initiated p50 {pct(res['total'], 50):.0f} ms "
              f"p99 {pct(res['total'], 99):.0f} ms max {max(res['total'], default=float('nan')):.0f} ms "
              f"(queue p50 {pct(res['queue'], 50):.0f} / p99 {pct(res['queue'], 99):.0f}, "
              f"dialer p50 {pct(res['dialer'], 50):.0f} / p99 {pct(res['dialer'], 99):.0f}); "
              f"POST /api/leads p50 {pct(res['post'], 50):.2f} ms p99 {pct(res['post'], 99):.2f} ms; "
              f"/health p50 {pct(res['health'], 50):.2f} ms; no call: {res['missing']}; "
              f"waited for a free line: {res['waited']}; mean {statistics.mean(res['total']):.2f} ms"
              + ("; scraping /metrics" if scraping else ""), file=sys.stderr)
    p50 = median([pct(r["total"], 50) for r in rounds])
    p99 = median([pct(r["total"], 99) for r in rounds])
    post50 = median([pct(r["post"], 50) for r in rounds])
    post99 = median([pct(r["post"], 99) for r in rounds])
    health50 = median([pct(r["health"], 50) for r in rounds])
    pooled = [x for r in rounds for x in r["total"]]
    missing = sum(r["missing"] for r in rounds)
    result = {
        "bench": "dispatch-latency", "samples": len(pooled), "rounds": args.rounds,
        "p50_ms": p50, "p99_ms": p99, "pooled_p99_ms": pct(pooled, 99), "max_ms": max(pooled, default=None),
        "queue_p99_ms": median([pct(r["queue"], 99) for r in rounds]),
        "dialer_p99_ms": median([pct(r["dialer"], 99) for r in rounds]),
        "post_leads_p50_ms": round(post50, 2), "post_leads_p99_ms": round(post99, 2),
        "health_p50_ms": round(health50, 2), "missing": missing,
        "ok": p99 < 20 and missing == 0,
    }
    if args.scrape_every > 0:
        result["scrape"] = compare_scraping(rounds, flags, scrapes, args.scrape_every)
    print(f"dispatch latency (urgent lead created -> call initiated, {len(pooled)} samples in {args.rounds} rounds): "
          f"p50 {p50:.0f} ms, p99 {p99:.0f} ms (median of rounds; pooled p99 {result['pooled_p99_ms']:.0f} ms, "
          f"max {result['max_ms']} ms); reference POST /api/leads round trip p50 {post50:.2f} ms / p99 {post99:.2f} ms, "
          f"GET /health p50 {health50:.2f} ms; p99 / POST p99 = {p99 / post99:.1f}x; leads without a call: {missing} "
          f"(target p99 < 20 ms: {'met' if result['ok'] else 'MISSED'})")
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
