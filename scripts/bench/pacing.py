#!/usr/bin/env python3
"""Pacing benchmark (issue 14), two parts.

`run URL DB MODE`: one simulated hour with the real binaries (the daemons are already started by
pacing.sh with the time scale): creates the operators, uploads the leads, sets the pacing mode,
runs for `--seconds` real seconds and reads the figures from the calls table:
talk-time utilisation (talk time inside the window / operators x window), conversations and
dials per operator hour, abandon rate (abandoned / live answered), time from answer to operator
(p50/p99, simulated ms).

`sweep QUEUE_DAEMON`: the in-process simulation (`queue-daemon --simulate-pacing`, the same
PacingModel with the same distributions) over 20 seeds x {5, 20, 200} operators x both modes.
Prints one JSON line per figure set and a summary."""
import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def http(url, method="GET", token=None, body=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = dict(headers or {})
    if body is not None:
        h["Content-Type"] = "application/json"
    if token:
        h["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"{}")


def upload_csv(url, token, rows):
    boundary = "----pacingbench"
    csv = "name,phone,priority\n" + "".join(f"Lead {i},+99890{i:07d},medium\n" for i in range(rows))
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csvFile\"; filename=\"leads.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n").encode()
    return http(url + "/api/leads/upload-csv", "POST", token, raw=body,
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def percentile(values, q):
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(round((len(values) - 1) * q + 0.4999)))]


def run(args):
    url = args.url
    token = http(url + "/api/auth/login", "POST", body={"email": args.email, "password": args.password})["token"]
    control = lambda **b: http(url + "/api/admin/system/control", "POST", token, body=b)
    control(action="pause_queue")
    control(action="set_max_concurrent_calls", value=args.lines)
    control(action="set_pacing", mode=args.mode, maxAbandonRate=args.cap)
    summary = upload_csv(url, token, args.leads)["summary"]
    assert summary["successCount"] == args.leads, summary
    for i in range(args.operators):
        http(url + "/api/auth/register", "POST", token, body={
            "name": f"Operator {i}", "email": f"op{i}@bench.example", "password": "operator-pass-1",
            "phone": f"+99891{i:07d}", "role": "operator"})
    t0 = int(time.time() * 1000)
    control(action="resume_queue")
    time.sleep(args.seconds)
    t1 = int(time.time() * 1000)
    control(action="pause_queue")
    status = control(action="get_queue_status")["status"]["pacing"]
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True, timeout=30)
    rows = con.execute("""SELECT status, answer_time, transfer_time, end_time, operator_id, start_time FROM calls
                          WHERE mode = 'automatic' AND start_time BETWEEN ? AND ?""", (t0, t1)).fetchall()
    scale = args.scale
    talk = 0
    conversations = 0
    wait = []
    live = abandoned = machines = 0
    for st, answered, transfer, ended, op, started in rows:
        if st == "machine":
            machines += 1
        if answered is not None and st != "machine":
            live += 1
        if st == "abandoned":
            abandoned += 1
        if op is not None and answered is not None and st in ("answered", "completed"):
            begin = transfer or answered
            if begin > t1:
                continue
            conversations += 1
            talk += max(0, min(ended or t1, t1) - max(begin, t0))
            wait.append((begin - answered) / scale)
    window = t1 - t0
    hours = window / scale / 3_600_000
    result = {
        "part": "real-binaries", "mode": args.mode, "operators": args.operators, "leads": args.leads,
        "simulatedHours": round(hours, 3), "dials": len(rows), "liveAnswered": live, "machines": machines,
        "abandoned": abandoned, "conversations": conversations,
        "talkUtilisation": round(talk / (args.operators * window), 4),
        "conversationsPerOperatorHour": round(conversations / (args.operators * hours), 2),
        "callsPerOperatorHour": round(len(rows) / (args.operators * hours), 2),
        "abandonRate": round(abandoned / live, 5) if live else 0,
        "timeToOperatorP50Ms": int(percentile(wait, 0.5)), "timeToOperatorP99Ms": int(percentile(wait, 0.99)),
        "queueSays": {k: status.get(k) for k in ("effectiveMode", "reason", "abandonRateToday", "answerProbability")},
    }
    print(json.dumps(result))


def simulate(binary, **settings):
    args = [binary, "--simulate-pacing"] + [f"{k}={v}" for k, v in settings.items()]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def sweep(args):
    for operators in (5, 20, 200):
        ratios, rates, utils = [], [], {"progressive": [], "predictive": []}
        p99 = []
        for seed in range(1, args.seeds + 1):
            base = simulate(args.binary, mode="progressive", operators=operators, seed=seed, leads=max(10000, operators * 500))
            pred = simulate(args.binary, mode="predictive", operators=operators, seed=seed, leads=max(10000, operators * 500))
            ratios.append(pred["talkUtilisation"] / base["talkUtilisation"])
            rates.append(pred["abandonRate"])
            utils["progressive"].append(base["talkUtilisation"])
            utils["predictive"].append(pred["talkUtilisation"])
            p99.append(pred["timeToOperatorP99Ms"])
            if seed == 1:
                print(json.dumps({"part": "in-process", "seed": 1, "progressive": base, "predictive": pred}))
        print(json.dumps({
            "part": "in-process sweep", "operators": operators, "seeds": args.seeds,
            "utilisationProgressiveMean": round(statistics.mean(utils["progressive"]), 4),
            "utilisationPredictiveMean": round(statistics.mean(utils["predictive"]), 4),
            "talkRatioMin": round(min(ratios), 3), "talkRatioMean": round(statistics.mean(ratios), 3),
            "talkRatioMax": round(max(ratios), 3),
            "abandonRateMean": round(statistics.mean(rates), 5), "abandonRateMax": round(max(rates), 5),
            "seedsAboveCap": sum(1 for r in rates if r > 0.03), "timeToOperatorP99MaxMs": max(p99),
        }))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("url")
    r.add_argument("db")
    r.add_argument("mode")
    r.add_argument("--operators", type=int, default=20)
    r.add_argument("--leads", type=int, default=10000)
    r.add_argument("--seconds", type=float, default=60)
    r.add_argument("--scale", type=float, required=True)
    r.add_argument("--lines", type=int, default=1000)
    r.add_argument("--cap", type=float, default=0.03)
    r.add_argument("--email", default=os.environ.get("ADMIN_EMAIL", "bench@example.com"))
    r.add_argument("--password", default=os.environ.get("ADMIN_PASSWORD", "bench-password-1"))
    s = sub.add_parser("sweep")
    s.add_argument("binary")
    s.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    run(args) if args.command == "run" else sweep(args)


if __name__ == "__main__":
    main()
