#!/usr/bin/env bash
# Authenticated GET /api/operator/leads/available?limit=20 over 100,000 leads at 50 connections.
# Target (issue 2): >= 15,000 req/s with p99 < 10 ms. Reference in the same run: GET /health.
source "$(dirname "$0")/lib.sh"
LEADS="${LEADS:-100000}"; DURATION="${DURATION:-10s}"; ROUNDS="${ROUNDS:-3}"
export IBRAT_MAX_CONCURRENT_CALLS=1
start_daemon queue-daemon; start_daemon dialer-daemon
start_daemon api-gateway 0
wait_http
TOKEN=$(login)
# Pause the queue so the leads stay pending while we measure.
curl -fsS "$URL/api/admin/system/control" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"action":"pause_queue"}' >/dev/null
# ~64 bytes a row: enough MiB for LEADS rows (the rows are the same whatever the size asked for).
python3 "$(dirname "$0")/gen-leads-csv.py" "$BENCH_DIR/leads.csv" "$(( LEADS * 70 / 1048576 + 1 ))" 1 >/dev/null
head -n $((LEADS + 1)) "$BENCH_DIR/leads.csv" > "$BENCH_DIR/100k.csv"
curl -fsS "$URL/api/leads/upload-csv" -H "Authorization: Bearer $TOKEN" -F "csvFile=@$BENCH_DIR/100k.csv;type=text/csv" \
  | python3 -c 'import sys,json; print("import:", json.load(sys.stdin)["summary"])' >&2
available_rounds  # rps, p99, ref (lib.sh)
echo "available leads ($LEADS leads, 50 conns): median $(median "${rps[@]}") req/s, p99 median $(median "${p99[@]}") ms; /health reference median $(median "${ref[@]}") req/s (targets: >= 15000 req/s, p99 < 10 ms)"
