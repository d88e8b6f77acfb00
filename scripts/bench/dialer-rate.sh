#!/usr/bin/env bash
# Dialer call rate (issue 16): calls placed and settled per second at an offered RATE (1000) of
# `dialer.start_call` per second, with the reference REF_RATE (200) in the same run, each on a fresh
# copy of one database whose `calls` table already holds PREFILL (200,000) ended calls (a busy day;
# the cost of a commit grows with the table). Only the dialer runs (pinned to core 0, the Python
# client on core 1), default configuration (log level info), simulated time scale 0.002 (ring
# 4-40 ms, talk 60-600 ms), so the calls end about as fast as they are offered. dialer-rate.py
# prints placed/s, settled/s, start_call acknowledgment latency p50/p99 and CPU per call. Each round
# also runs RATE with group commit off (IBRAT_DIALER_COMMIT_MS=0: every change its own commit, as
# before issue 16's group commit), unless NO_COMMIT_REF=1.
# Env: RATE (1000), REF_RATE (200), SECONDS_LOAD (10), ROUNDS (3), PREFILL (200000).
source "$(dirname "$0")/lib.sh"
RATE="${RATE:-1000}"; REF_RATE="${REF_RATE:-200}"; SECONDS_LOAD="${SECONDS_LOAD:-10}"; ROUNDS="${ROUNDS:-3}"
PREFILL="${PREFILL:-200000}"
export IBRAT_LOG_LEVEL=info IBRAT_SIM_TIME_SCALE=0.002 IBRAT_SIM_SEED=1
pin=(); [ "$(nproc)" -ge 2 ] && pin=(taskset -c 1)
wait_socket() { for _ in $(seq 1 400); do [ -S "$BENCH_DIR/run/dialer.sock" ] && return 0; sleep 0.05; done; return 1; }
# The template: the dialer's schema (a first start migrates), then PREFILL ended calls over 30 days.
start_daemon dialer-daemon; wait_socket; sleep 0.5
kill -TERM "${PIDS[dialer-daemon]}"; wait "${PIDS[dialer-daemon]}" 2>/dev/null || true; unset "PIDS[dialer-daemon]"
python3 - "$BENCH_DIR/ibrat.db" "$PREFILL" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2]); now = int(time.time() * 1000)
db.execute("""WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
  INSERT INTO calls(id, lead_id, operator_id, mode, status, from_number, to_number, duration, start_time,
                    answer_time, end_time, created_at, updated_at)
  SELECT printf('%024x', i), printf('ff%022x', i), printf('0be7%020x', i % 300), 'automatic',
         CASE i % 4 WHEN 0 THEN 'busy' WHEN 1 THEN 'no-answer' ELSE 'completed' END, '+998900000000',
         printf('+99890%07d', i), 60, t, t + 5000, t + 65000, t, t + 65000
  FROM (SELECT i, ? - 30 * 86400000 + i * (30 * 86400000 / ?) AS t FROM s)""", (n, now, n))
db.commit(); db.execute("PRAGMA wal_checkpoint(TRUNCATE)"); db.close()
PY
cp "$BENCH_DIR/ibrat.db" "$BENCH_DIR/template.db"
: > "$BENCH_DIR/results.jsonl"
runs=("$REF_RATE:" "$RATE:"); [ "${NO_COMMIT_REF:-0}" = 1 ] || runs+=("$RATE:0")
for r in $(seq 1 "$ROUNDS"); do
  for run in "${runs[@]}"; do
    rate="${run%%:*}"; commit_ms="${run#*:}"
    rm -rf "$BENCH_DIR"/ibrat.db* "$BENCH_DIR/run"; cp "$BENCH_DIR/template.db" "$BENCH_DIR/ibrat.db"
    if [ -n "$commit_ms" ]; then export IBRAT_DIALER_COMMIT_MS="$commit_ms"; else unset IBRAT_DIALER_COMMIT_MS; fi
    start_daemon dialer-daemon "$([ ${#pin[@]} -gt 0 ] && echo 0)"; wait_socket; sleep 0.5
    echo "round $r, $rate calls/s offered, commit ${commit_ms:-default}, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    "${pin[@]}" python3 "$ROOT/scripts/bench/dialer-rate.py" "$BENCH_DIR/run/dialer.sock" "${PIDS[dialer-daemon]}" \
      --rate "$rate" --seconds "$SECONDS_LOAD" --label "${commit_ms:-default}" | tee -a "$BENCH_DIR/results.jsonl" >&2
    kill -TERM "${PIDS[dialer-daemon]}"; wait "${PIDS[dialer-daemon]}" 2>/dev/null || true; unset "PIDS[dialer-daemon]"
  done
done
python3 - "$BENCH_DIR/results.jsonl" "$RATE" "$REF_RATE" "$PREFILL" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def pick(rate, label):
    return [r for r in rows if r["rate"] == float(rate) and r["label"] == label]
def line(rs):
    m = lambda f: statistics.median([f(r) for r in rs])
    return (f"placed {m(lambda r: r['placed_per_s']):.0f}/s, settled {m(lambda r: r['settled_per_s']):.0f}/s, "
            f"start_call acknowledged p50 {m(lambda r: r['latency_ms']['p50']):.1f} ms, p99 {m(lambda r: r['latency_ms']['p99']):.1f} ms, "
            f"{m(lambda r: r['cpu_ms_per_call']):.3f} ms dialer CPU per call, load {m(lambda r: r['load1']):.1f}, "
            f"errors {[r['errors'] for r in rs]}"), m
rate, ref = sys.argv[2], sys.argv[3]
target, mt = line(pick(rate, "default"))
out = [f"offered {rate}/s: {target}", f"reference offered {ref}/s: {line(pick(ref, 'default'))[0]}"]
if pick(rate, "0"):
    out.append(f"offered {rate}/s with group commit off (IBRAT_DIALER_COMMIT_MS=0): {line(pick(rate, '0'))[0]}")
ok = mt(lambda r: r["placed_per_s"]) >= 0.98 * float(rate) and mt(lambda r: r["settled_per_s"]) >= 0.98 * float(rate) \
     and mt(lambda r: r["latency_ms"]["p99"]) < 20
print(f"dialer rate ({sys.argv[4]} calls already stored, medians of {len(pick(rate, 'default'))} rounds): " + "; ".join(out)
      + f" (target: placed and settled >= 98 % of {rate}/s, p99 < 20 ms: {'met' if ok else 'MISSED'})")
PY
