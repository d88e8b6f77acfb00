#!/usr/bin/env bash
# Calls per second through the whole system (issue 16): the queue-daemon places and settles
# simulated calls on LINES (250) lines with a backlog of leads, which at time scale 0.002 (a call
# lives ~0.25 s) offers about 1,000 calls a second; the reference is the same run on REF_LINES (50)
# lines (~200 calls a second), in the same rounds on the same daemons. Default configuration (log
# level info, both rate limits on; the bench's client is authenticated), one attempt per lead.
# calls-rate.py prints placed/s, settled/s, the offered rate measured (lines / mean call life) and
# the dispatch latency (a freed line -> the next call created, p50/p99).
# Env: LINES (250), REF_LINES (50), OPERATORS (330), SECONDS_LOAD (20), ROUNDS (3).
source "$(dirname "$0")/lib.sh"
LINES="${LINES:-250}"; REF_LINES="${REF_LINES:-50}"; OPERATORS="${OPERATORS:-330}"
SECONDS_LOAD="${SECONDS_LOAD:-20}"; ROUNDS="${ROUNDS:-3}"
export IBRAT_LOG_LEVEL=info IBRAT_RATE_LIMIT=100/900 IBRAT_SIM_TIME_SCALE=0.002 IBRAT_SIM_SEED=1 IBRAT_MAX_ATTEMPTS=1
start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
wait_http
: > "$BENCH_DIR/results.jsonl"
n=0
for r in $(seq 1 "$ROUNDS"); do
  for lines in ${ONLY_LINES:-$REF_LINES $LINES}; do
    n=$((n + 1))
    leads=$(( lines * 5 * (${SECONDS_LOAD%.*} + 10) ))
    echo "round $r, $lines lines, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    python3 "$ROOT/scripts/bench/calls-rate.py" "$URL" "$BENCH_DIR/ibrat.db" --lines "$lines" --operators "$OPERATORS" \
      --leads "$leads" --seconds "$SECONDS_LOAD" --round "$n" \
      --pids "queue=${PIDS[queue-daemon]},dialer=${PIDS[dialer-daemon]},gateway=${PIDS[api-gateway]}" | tee -a "$BENCH_DIR/results.jsonl" >&2
  done
done
[ -n "${KEEP_LOGS:-}" ] && mkdir -p "$KEEP_LOGS" && cp "$BENCH_DIR"/*.log "$KEEP_LOGS"/
python3 - "$BENCH_DIR/results.jsonl" "$LINES" "$REF_LINES" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def line(lines):
    rs = [r for r in rows if r["lines"] == int(lines)]
    m = lambda f: statistics.median([f(r) for r in rs])
    return (f"{lines} lines (offered {m(lambda r: r['offered_per_s']):.0f}/s): placed {m(lambda r: r['placed_per_s']):.0f}/s, "
            f"settled {m(lambda r: r['settled_per_s']):.0f}/s, dispatch p50 {m(lambda r: r['dispatch_ms']['p50']):.0f} ms, "
            f"p99 {m(lambda r: r['dispatch_ms']['p99']):.0f} ms, CPU % of a core "
            + ", ".join(f"{n} {m(lambda r, n=n: r['cpu_percent'][n]):.0f}" for n in rs[0]["cpu_percent"])
            + " (ms per call " + ", ".join(f"{n} {m(lambda r, n=n: r['cpu_ms_per_call'][n]):.2f}" for n in rs[0]["cpu_ms_per_call"])
            + f"), load {[r['load_after'][0] for r in rs]}"), m
target, m = line(sys.argv[2]); ref, _ = line(sys.argv[3])
ok = m(lambda r: r["placed_per_s"]) >= 1000 and m(lambda r: r["settled_per_s"]) >= 1000 and m(lambda r: r["dispatch_ms"]["p99"]) < 20
print(f"calls rate (medians of {len(rows) // 2} rounds): {target}; reference {ref} "
      f"(target: 1,000 placed and settled a second, dispatch p99 < 20 ms: {'met' if ok else 'MISSED'})")
PY
