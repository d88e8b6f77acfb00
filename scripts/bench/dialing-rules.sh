#!/usr/bin/env bash
# Issue 12 benchmark: dispatch latency (urgent lead created -> call initiated) and the available-
# leads route while the queue holds 100,000 leads spread over 50 time zones whose calling window is
# closed (each held by the dialing rules) and a 10,000-number do-not-call list (those leads flagged).
# Compare with dispatch-latency.sh and available-leads.sh run the same way (target: within 1.2x).
# Env: LEADS (100000), DNC (10000), SAMPLES (300), ROUNDS (3), DURATION (10s).
source "$(dirname "$0")/lib.sh"
LEADS="${LEADS:-100000}"; DNC="${DNC:-10000}"; DURATION="${DURATION:-10s}"; ROUNDS="${ROUNDS:-3}"
export IBRAT_SIM_TIME_SCALE="${IBRAT_SIM_TIME_SCALE:-0.001}" IBRAT_SIM_SEED=1 IBRAT_MAX_CONCURRENT_CALLS=5 \
  IBRAT_CALLING_HOURS="09:00-20:00"
start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway 0
wait_http
TOKEN=$(login)
OPEN_ZONE=$(python3 "$(dirname "$0")/gen-rules-data.py" "$BENCH_DIR/leads.csv" "$BENCH_DIR/dnc.csv" "$LEADS" "$DNC")
curl -fsS "$URL/api/admin/dnc/upload-csv" -H "Authorization: Bearer $TOKEN" -F "csvFile=@$BENCH_DIR/dnc.csv;type=text/csv" \
  | python3 -c 'import sys,json; print("dnc:", json.load(sys.stdin)["summary"])' >&2
curl -fsS "$URL/api/leads/upload-csv" -H "Authorization: Bearer $TOKEN" -F "csvFile=@$BENCH_DIR/leads.csv;type=text/csv" \
  | python3 -c 'import sys,json; print("leads:", json.load(sys.stdin)["summary"])' >&2
# One operator, so the dispatcher runs the rules over the queue before the samples start.
curl -fsS "$URL/api/auth/register" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Warm-up","email":"warmup@example.com","phone":"+998950000001","password":"operator-pass-1","role":"operator"}' >/dev/null
# Wait until the dispatcher has looked at every lead (all held: waitingLeads = LEADS - DNC).
for _ in $(seq 1 600); do
  waiting=$(curl -fsS "$URL/api/admin/system/control" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"action":"get_queue_status"}' | python3 -c 'import sys,json; s=json.load(sys.stdin)["status"]; print(s["waitingLeads"], s["pendingLeads"])')
  [ "${waiting%% *}" -ge $((LEADS - DNC)) ] && [ "${waiting##* }" -eq 0 ] && break
  sleep 0.1
done
echo "queue: waiting/due = $waiting; sample leads in $OPEN_ZONE" >&2
python3 "$ROOT/scripts/bench/dispatch-latency.py" "$URL" "$BENCH_DIR/ibrat.db" --samples "${SAMPLES:-300}" \
  --rounds "$ROUNDS" --operators 5 --lines 5 --gap-ms 20 --timezone "$OPEN_ZONE" || true  # figures printed either way
available_rounds  # rps, p99, ref (lib.sh)
echo "available leads with dialing rules ($LEADS leads over 50 zones, $DNC DNC): median $(median "${rps[@]}") req/s, p99 median $(median "${p99[@]}") ms; /health reference median $(median "${ref[@]}") req/s"
