#!/usr/bin/env bash
# Dispatch latency (issue 3: urgent lead created -> call initiated, p99 < 20 ms, free lines and
# operators). Starts the three daemons (release) on a temp dir with a tiny simulated time scale so
# lines free within a few hundred ms, registers OPERATORS operators, then dispatch-latency.py creates
# SAMPLES urgent leads one at a time per round (only when >= 2 lines are free) and reads the
# timestamps back from the SQLite file. Reference in the same run: the POST /api/leads round trip
# and GET /health. Env: SAMPLES (300), ROUNDS (3), OPERATORS (5), LINES (5), GAP_MS (20).
source "$(dirname "$0")/lib.sh"
export IBRAT_SIM_TIME_SCALE="${IBRAT_SIM_TIME_SCALE:-0.001}" IBRAT_SIM_SEED=1 \
  IBRAT_MAX_CONCURRENT_CALLS="${LINES:-5}"
start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
wait_http
python3 "$ROOT/scripts/bench/dispatch-latency.py" "$URL" "$BENCH_DIR/ibrat.db" --samples "${SAMPLES:-300}" \
  --rounds "${ROUNDS:-3}" --operators "${OPERATORS:-5}" --lines "${LINES:-5}" --gap-ms "${GAP_MS:-20}"
