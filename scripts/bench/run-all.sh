#!/usr/bin/env bash
# Runs every benchmark of scripts/bench/ one after the other (release build) and writes their full
# output to OUT (default /tmp/ibrat-bench-<date>.log); the summary lines are printed at the end.
# Waits first (up to WAIT_MAX seconds, default 600) until the 1-minute load average is below
# MAX_LOAD (1.5), since the figures mean little on a busy machine, and records the load before
# each benchmark. ONLY="csv-import dashboard" runs a subset.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-/tmp/ibrat-bench-$(date -u +%Y%m%dT%H%M%SZ).log}"
MAX_LOAD="${MAX_LOAD:-1.5}"; WAIT_MAX="${WAIT_MAX:-600}"
ALL="http-health available-leads csv-import queue-memory dispatch-latency sla-adherence dialer-capacity dashboard realtime-broadcast realtime-polling dashboard-live"
load1() { cut -d' ' -f1 /proc/loadavg; }
wait_quiet() {
  local waited=0
  while python3 -c "import sys; sys.exit(0 if float('$(load1)') > $MAX_LOAD else 1)" && [ "$waited" -lt "$WAIT_MAX" ]; do
    sleep 10; waited=$((waited + 10))
  done
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited} s)"
}
{
  echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
  echo "== $(swift --version 2>&1 | head -1)"
  echo "== date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)"
  swift build -c release >/dev/null 2>&1 || { echo "release build failed"; exit 1; }
} | tee "$OUT"
for b in ${ONLY:-$ALL}; do
  echo "== $b" | tee -a "$OUT"
  wait_quiet | tee -a "$OUT"
  start=$(date +%s)
  "scripts/bench/$b.sh" >>"$OUT" 2>&1
  echo "-- exit $? after $(( $(date +%s) - start )) s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
done
echo "== summary ($OUT)"
grep -E '^(== |health:|available leads|csv import|dispatch latency|SLA adherence|dialer capacity|admin dashboard|dashboards live|realtime broadcast|\{"bench": "realtime-polling)' "$OUT"
