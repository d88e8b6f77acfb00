#!/usr/bin/env bash
# Issue 17 benchmark: GET /api/admin/queue/explain over 1,000,000 pending leads (target p99 < 50 ms),
# with GET /health and GET /api/admin/system-status measured in the same run as references, and
# one page of GET /api/leads (100 leads, each with its `dialability`). The leads are written
# straight into the database while the queue-daemon is stopped (gen-explain-data.py: 60 % outside
# their calling window in 40 zones, 20 % ready, 10 % waiting to retry, 5 % unknown zone, DNC on
# the do-not-call list), then the queue-daemon loads them; no operator exists, so nothing dials
# and the answer stays the same while we measure. The counts are checked against the generator's.
# Prints the machine's load average before and after (the machine may be shared).
# Env: LEADS (1000000), DNC (10000), ROUNDS (300 sequential requests per route).
source "$(dirname "$0")/lib.sh"
LEADS="${LEADS:-1000000}"; DNC="${DNC:-10000}"; ROUNDS="${ROUNDS:-300}"
export IBRAT_CALLING_HOURS="09:00-20:00"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
wait_http
kill -TERM "${PIDS[queue-daemon]}"; wait "${PIDS[queue-daemon]}" 2>/dev/null || true
EXPECTED=$(python3 "$ROOT/scripts/bench/gen-explain-data.py" "$BENCH_DIR/ibrat.db" "$LEADS" "$DNC")
echo "generated: $EXPECTED" >&2
start_daemon queue-daemon
TOKEN=$(login)
python3 - "$URL" "$TOKEN" "$ROUNDS" "$LEADS" "$EXPECTED" <<'PY'
import json, sys, time
sys.path.insert(0, "scripts/bench")
from benchlib import Gateway, median, pct
url, token, rounds, leads, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5])
gw = Gateway(url, token)
deadline = time.time() + 600
while True:  # the queue-daemon loads the leads before it answers
    status, body, _ = gw.request("GET", "/api/admin/queue/explain")
    if status == 200 and body["explanation"]["pending"]["total"] == leads:
        break
    if time.time() > deadline:
        sys.exit(f"explain never counted {leads} leads: {status} {body}")
    time.sleep(0.2)
e = body["explanation"]
got = dict(e["pending"]["byFirstReason"], ready=e["pending"]["ready"])
for key, value in expected.items():
    if got.get(key) != value:
        sys.exit(f"count {key}: explain says {got.get(key)}, generated {value}")
print(f"check: counts exact; reason {e['reason']}; {e['message'][:160]}", file=sys.stderr)
for _ in range(20):
    gw.request("GET", "/api/admin/queue/explain"); gw.request("GET", "/health", auth=False)
results = {}
for name, path, auth in [("explain", "/api/admin/queue/explain", True), ("health", "/health", False),
                         ("system-status", "/api/admin/system-status", True), ("leads page", "/api/leads?limit=100", True)]:
    times = []
    for _ in range(rounds if name != "system-status" else max(20, rounds // 5)):
        status, _, ms = gw.request("GET", path, auth=auth)
        if status != 200:
            sys.exit(f"{path}: HTTP {status}")
        times.append(ms)
    results[name] = times
def fmt(name):
    v = results[name]; return f"p50 {median(v):.2f} ms, p99 {pct(v, 99):.2f} ms"
print(f"queue explain ({leads} pending leads, {len(expected)} kinds): {fmt('explain')} over {rounds} requests "
      f"(target p99 < 50 ms); /health reference {fmt('health')}; system-status (with the explanation) "
      f"{fmt('system-status')}; GET /api/leads?limit=100 with dialability {fmt('leads page')}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
