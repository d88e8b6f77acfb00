#!/usr/bin/env python3
"""SLA adherence (issue 3): LEADS mixed-priority leads uploaded as one CSV while the queue runs
with LINES lines and OPERATORS operators, a fast simulated time scale and one attempt per lead
(IBRAT_MAX_ATTEMPTS=1, so every lead is exactly one call). Run by sla-adherence.sh.

Per round, from the SQLite file (ms of one clock): due = the lead's `created_at` (one import
transaction, so every lead of the round has the same), dial = `calls.created_at` of its call
(initiated). For each priority: wait = dial - due against its SLA (urgent 0 -> misses are every
lead dialled after its creation, reported as "dialled within X ms"; high 120 s; medium 600 s;
low none), plus the queue's own `slaMisses` (delta of `get_queue_status`).
Capacity use, which says whether a miss was the dispatcher's fault or the lines': the line-reuse
gap (the k-th dial after the first LINES dials vs the (k-LINES)-th call end: how long a freed line
stayed idle while leads were due), line utilisation (sum of call durations / (LINES x busy span)),
and EDF order violations (leads dialled while a lead with an earlier deadline waited).
Drain = last dial (and last call end) - due, beside the theoretical minimum
sum(call durations) / LINES measured in the same round (the reference).

Usage: sla-adherence.py URL DB [--leads 10000] [--rounds 3] [--lines 200] [--operators 210]
                        [--mix urgent:20,high:20,medium:40,low:20] [--low-reference]"""
import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Gateway, median, pct, readonly_db, wait_free_operators  # noqa: E402

SLA = {"urgent": 0, "high": 120_000, "medium": 600_000, "low": None}
ORDER = ["urgent", "high", "medium", "low"]
LIVE = "('initiated','ringing','answered')"


def make_csv(n, rnd, mix, rng):
    names, weights = zip(*mix)
    lines = ["phone,name,email,priority,notes,tags"]
    for i in range(n):
        lines.append(f"+99895{rnd:02d}{i:05d},SLA Lead {rnd}-{i},sla{rnd}x{i}@ex.uz,"
                     f"{rng.choices(names, weights)[0]},bench,sla")
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(gw, csv_bytes):
    return gw.upload_csv(csv_bytes, "sla.csv")


def wait_drained(db, ids_sql, params, expected, timeout):
    """Waits until every lead of the round has a call and no call is live."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dialled = db.execute(f"SELECT count(DISTINCT lead_id) FROM calls WHERE lead_id IN ({ids_sql})", params).fetchone()[0]
        live = db.execute(f"SELECT count(*) FROM calls WHERE status IN {LIVE}").fetchone()[0]
        if dialled >= expected and live == 0:
            return True
        time.sleep(1)
    return False


def analyse(db, round_tag, lines):
    rows = db.execute("""
        SELECT l.id, l.priority, l.created_at, c.created_at, c.end_time
        FROM leads l JOIN calls c ON c.lead_id = l.id
        WHERE l.name LIKE ? ORDER BY c.created_at""", (f"SLA Lead {round_tag}-%",)).fetchall()
    undialled = db.execute("SELECT count(*) FROM leads l WHERE l.name LIKE ? AND NOT EXISTS "
                           "(SELECT 1 FROM calls c WHERE c.lead_id = l.id)", (f"SLA Lead {round_tag}-%",)).fetchone()[0]
    due0 = min(r[2] for r in rows)
    per = {}
    for p in ORDER:
        waits = [r[3] - r[2] for r in rows if r[1] == p]
        sla = SLA[p]
        misses = sum(1 for w in waits if sla is not None and w > sla)
        per[p] = {"count": len(waits), "p50_ms": pct(waits, 50), "p99_ms": pct(waits, 99),
                  "max_ms": max(waits, default=None), "misses": misses if sla is not None else None}
    dials = [r[3] for r in rows]
    ends = sorted(r[4] for r in rows if r[4] is not None)
    # Line reuse: dial k (k >= lines) could not happen before the (k - lines)-th call ended.
    gaps = [dials[k] - ends[k - lines] for k in range(lines, len(dials)) if k - lines < len(ends)]
    durations = [r[4] - r[3] for r in rows if r[4] is not None]
    busy_span = (max(ends) - min(dials)) if ends else 0
    utilisation = sum(durations) / (lines * busy_span) if busy_span else float("nan")
    # EDF order: a lead is out of order if a lead dialled strictly later had a strictly earlier key.
    def key(r):
        return (r[2] + SLA[r[1]] if SLA[r[1]] is not None else float("inf"), r[2])
    out_of_order = 0
    suffix_min = (float("inf"), float("inf"))
    i = len(rows) - 1
    while i >= 0:  # walk groups of equal dial time from the end
        j = i
        while j > 0 and rows[j - 1][3] == rows[i][3]:
            j -= 1
        group = rows[j:i + 1]
        out_of_order += sum(1 for r in group if suffix_min < key(r))
        for r in group:
            suffix_min = min(suffix_min, key(r))
        i = j - 1
    return {
        "dialled": len(rows), "undialled": undialled, "per_priority": per,
        "misses": sum(v["misses"] or 0 for v in per.values()),
        "sla_leads": sum(v["count"] for p, v in per.items() if SLA[p] is not None),
        "urgent_within_100ms": sum(1 for r in rows if r[1] == "urgent" and r[3] - r[2] <= 100),
        "urgent_within_1s": sum(1 for r in rows if r[1] == "urgent" and r[3] - r[2] <= 1000),
        "first_dial_ms": dials[0] - due0 if dials else None,
        "first_burst_ms": dials[min(lines, len(dials)) - 1] - due0 if dials else None,
        "reuse_gap_p50_ms": pct(gaps, 50), "reuse_gap_p99_ms": pct(gaps, 99), "reuse_gap_max_ms": max(gaps, default=None),
        "utilisation": utilisation, "out_of_order": out_of_order,
        "drain_dial_s": (dials[-1] - due0) / 1000, "drain_end_s": (max(ends) - due0) / 1000 if ends else None,
        "min_drain_s": sum(durations) / lines / 1000, "mean_call_s": sum(durations) / max(1, len(durations)) / 1000,
    }


def run_round(gw, db, args, rnd, mix, rng):
    before = gw.queue_status().get("slaMisses", {})
    csv_bytes = make_csv(args.leads, rnd, mix, rng)
    summary, upload_s = upload(gw, csv_bytes)
    if summary["successCount"] != args.leads:
        sys.exit(f"imported {summary} of {args.leads}")
    if not wait_drained(db, "SELECT id FROM leads WHERE name LIKE ?", (f"SLA Lead {rnd}-%",), args.leads, args.timeout):
        sys.exit(f"round {rnd}: not drained within {args.timeout} s: {gw.queue_status()}")
    after = gw.queue_status().get("slaMisses", {})
    res = analyse(db, rnd, args.lines)
    res["upload_s"] = upload_s
    res["queue_sla_misses"] = {k: after.get(k, 0) - before.get(k, 0) for k in ("urgent", "high", "medium", "total")}
    return res


def describe(tag, res):
    pp = res["per_priority"]
    parts = [f"{p} n={v['count']} wait p50 {v['p50_ms']:.0f} / p99 {v['p99_ms']:.0f} / max {v['max_ms']} ms"
             + (f", misses {v['misses']}" if v["misses"] is not None else "") for p, v in pp.items() if v["count"]]
    return (f"{tag}: {res['dialled']} dialled ({res['undialled']} not); " + "; ".join(parts)
            + f"; SLA misses {res['misses']}/{res['sla_leads']} (queue's own count {res['queue_sla_misses']}); "
            f"urgent within 100 ms {res['urgent_within_100ms']}, within 1 s {res['urgent_within_1s']}; "
            f"first dial {res['first_dial_ms']} ms after the leads' created_at (stamped when the import "
            f"transaction starts), all {args_lines} lines busy after {res['first_burst_ms']} ms; line-reuse gap p50 {res['reuse_gap_p50_ms']} "
            f"/ p99 {res['reuse_gap_p99_ms']} / max {res['reuse_gap_max_ms']} ms; utilisation {res['utilisation']:.3f}; "
            f"EDF order violations {res['out_of_order']}; drain {res['drain_dial_s']:.1f} s to last dial, "
            f"{res['drain_end_s']:.1f} s to last end vs theoretical min {res['min_drain_s']:.1f} s "
            f"(mean call {res['mean_call_s']:.2f} s); upload {res['upload_s']:.2f} s")


args_lines = 0


def main():
    global args_lines
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("db")
    ap.add_argument("--leads", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--operators", type=int, default=210)
    ap.add_argument("--mix", default="urgent:20,high:20,medium:40,low:20")
    ap.add_argument("--low-reference", action="store_true", help="one more round with every lead low")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    args_lines = args.lines
    mix = [(p.split(":")[0], float(p.split(":")[1])) for p in args.mix.split(",")]
    rng = random.Random(7)
    gw = Gateway(args.url)
    gw.login()
    gw.wait_dispatch_ready()  # the gateway answers before the queue-daemon is reachable
    t = time.monotonic()
    gw.register_operators(args.operators)
    print(f"registered {args.operators} operators in {time.monotonic() - t:.1f} s", file=sys.stderr)
    gw.control("set_max_concurrent_calls", args.lines)
    gw.wait_dispatch_ready()
    wait_free_operators(gw, args.operators)
    db = readonly_db(args.db)
    rounds = []
    for r in range(args.rounds):
        res = run_round(gw, db, args, r, mix, rng)
        rounds.append(res)
        print(describe(f"round {r + 1}", res), file=sys.stderr)
        wait_free_operators(gw, args.operators)
    low = None
    if args.low_reference:
        low = run_round(gw, db, args, args.rounds, [("low", 1.0)], rng)
        print(describe("reference round, every lead low", low), file=sys.stderr)
    m = lambda f: median([f(r) for r in rounds])
    miss_rate = m(lambda r: r["misses"] / max(1, r["sla_leads"]))
    nonurgent = m(lambda r: (r["per_priority"]["high"]["misses"] or 0) + (r["per_priority"]["medium"]["misses"] or 0))
    result = {
        "bench": "sla-adherence", "leads": args.leads, "lines": args.lines, "operators": args.operators,
        "rounds": args.rounds, "miss_rate": miss_rate,
        "misses_by_priority": {p: m(lambda r, p=p: r["per_priority"][p]["misses"] or 0) for p in ("urgent", "high", "medium")},
        "queue_sla_misses": {k: m(lambda r, k=k: r["queue_sla_misses"][k]) for k in ("urgent", "high", "medium", "total")},
        "urgent_wait_p50_ms": m(lambda r: r["per_priority"]["urgent"]["p50_ms"]),
        "urgent_wait_p99_ms": m(lambda r: r["per_priority"]["urgent"]["p99_ms"]),
        "high_wait_max_ms": m(lambda r: r["per_priority"]["high"]["max_ms"] or 0),
        "medium_wait_max_ms": m(lambda r: r["per_priority"]["medium"]["max_ms"] or 0),
        "reuse_gap_p50_ms": m(lambda r: r["reuse_gap_p50_ms"]), "reuse_gap_p99_ms": m(lambda r: r["reuse_gap_p99_ms"]),
        "utilisation": m(lambda r: r["utilisation"]), "out_of_order": m(lambda r: r["out_of_order"]),
        "drain_end_s": m(lambda r: r["drain_end_s"]), "min_drain_s": m(lambda r: r["min_drain_s"]),
        "undialled": sum(r["undialled"] for r in rounds),
    }
    result["drain_ratio"] = result["drain_end_s"] / result["min_drain_s"]
    if low:
        result["low_reference_drain_end_s"] = low["drain_end_s"]
        result["low_reference_min_drain_s"] = low["min_drain_s"]
    result["ok"] = nonurgent == 0 and result["undialled"] == 0 and result["out_of_order"] == 0
    print(f"SLA adherence ({args.leads} leads {args.mix}, {args.lines} lines, {args.operators} operators, medians of "
          f"{args.rounds} rounds): SLA misses {miss_rate * 100:.1f}% of urgent/high/medium leads "
          f"(by priority {result['misses_by_priority']}; queue's count {result['queue_sla_misses']}); "
          f"urgent wait p50 {result['urgent_wait_p50_ms']:.0f} ms p99 {result['urgent_wait_p99_ms']:.0f} ms; "
          f"worst high wait {result['high_wait_max_ms'] / 1000:.1f} s (SLA 120 s), worst medium "
          f"{result['medium_wait_max_ms'] / 1000:.1f} s (SLA 600 s); freed line idle p50 {result['reuse_gap_p50_ms']} ms "
          f"p99 {result['reuse_gap_p99_ms']} ms; utilisation {result['utilisation']:.3f}; EDF violations "
          f"{result['out_of_order']}; drain {result['drain_end_s']:.1f} s vs theoretical minimum "
          f"{result['min_drain_s']:.1f} s = {result['drain_ratio']:.3f}x"
          + (f"; every-lead-low reference drain {low['drain_end_s']:.1f} s (min {low['min_drain_s']:.1f} s)" if low else "")
          + f" (target: every lead within its SLA whenever capacity allows: {'met' if result['ok'] else 'MISSED'})")
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
