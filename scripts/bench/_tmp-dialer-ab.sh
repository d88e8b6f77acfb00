#!/usr/bin/env bash
# Dialer capacity (issue 3): CALLS (5000) concurrent simulated calls with the dialer-daemon under
# 50% of one core and RSS < 100 MB. Only the dialer runs (pinned to core 0; the Python client on
# core 1), with every call answered after 30-60 s and talking 600-900 s, so all calls stay live
# while we measure. dialer-capacity.py drives it over dialer.sock as the queue-daemon would and
# samples /proc: the same dialer idle is the reference. ROUNDS (3) fresh dialers; medians printed.
# Env: CALLS (5000), ROUNDS (3), WINDOW (10 s per CPU sample).
source "$(dirname "$0")/lib.sh"
CALLS="${CALLS:-5000}"; ROUNDS="${ROUNDS:-3}"; WINDOW="${WINDOW:-10}"
export IBRAT_SIM_RING_SECONDS=30-60 IBRAT_SIM_TALK_SECONDS=600-900 IBRAT_SIM_P_ANSWER=1 IBRAT_SIM_P_BUSY=0 \
  IBRAT_SIM_P_NO_ANSWER=0 IBRAT_SIM_P_FAILED=0 IBRAT_SIM_TIME_SCALE=1 IBRAT_SIM_SEED=1
pin=(); [ "$(nproc)" -ge 2 ] && pin=(taskset -c 1)
: > "$BENCH_DIR/results.jsonl"
for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$BENCH_DIR"/ibrat.db* "$BENCH_DIR/run"
  start_daemon dialer-daemon "$([ ${#pin[@]} -gt 0 ] && echo 0)"
  for _ in $(seq 1 200); do [ -S "$BENCH_DIR/run/dialer.sock" ] && break; sleep 0.05; done
  # The daemon binds before READY; give it a moment to finish start-up.
  sleep 0.5
  if [ -n "${DROP_COUNTERS:-}" ]; then python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [c.execute(f\"DROP TRIGGER {n}\") for (n,) in c.execute(\"SELECT name FROM sqlite_master WHERE type='trigger'\").fetchall()]; c.commit(); print(\"triggers dropped\", file=sys.stderr)" "$BENCH_DIR/ibrat.db"; fi
  "${pin[@]}" python3 "$ROOT/scripts/bench/dialer-capacity.py" "$BENCH_DIR/run/dialer.sock" "${PIDS[dialer-daemon]}" \
    --calls "$CALLS" --window "$WINDOW" | tee -a "$BENCH_DIR/results.jsonl" >&2
  kill -TERM "${PIDS[dialer-daemon]}"; wait "${PIDS[dialer-daemon]}" 2>/dev/null || true; unset "PIDS[dialer-daemon]"
done
python3 - "$BENCH_DIR/results.jsonl" "$CALLS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
m = lambda f: statistics.median([f(r) for r in rows])
phases = ["ringing", "answer wave", "talking"]
cpu = {p: m(lambda r, p=p: r["windows"][p]["cpu_percent"]) for p in phases}
rss = m(lambda r: r["worst_rss_mb"])
idle_cpu, idle_rss = m(lambda r: r["idle_cpu_percent"]), m(lambda r: r["idle_rss_mb"])
worst = max(cpu.values())
ok = worst < 50 and rss < 100 and all(r["live_at_end"] == int(sys.argv[2]) for r in rows)
print(f"dialer capacity ({sys.argv[2]} concurrent calls, medians of {len(rows)} rounds): CPU "
      + ", ".join(f"{p} {v:.1f}%" for p, v in cpu.items())
      + f" of one core; RSS {rss:.1f} MB; idle reference (0 calls) CPU {idle_cpu:.2f}%, RSS {idle_rss:.1f} MB "
      f"(RSS {rss / idle_rss:.1f}x idle, +{(rss - idle_rss) * 1024 / int(sys.argv[2]):.1f} KiB per call); placing "
      f"{m(lambda r: r['place_calls_per_s']):.0f} calls/s ({m(lambda r: r['place_cpu_s']):.2f} CPU s for all); "
      f"live at end {[r['live_at_end'] for r in rows]} (targets: < 50% of one core, RSS < 100 MB: "
      f"{'met' if ok else 'MISSED'})")
PY
