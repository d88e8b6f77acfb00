#!/usr/bin/env bash
# SLA adherence (issue 3): 10,000 mixed-priority leads uploaded as one CSV, maxConcurrentCalls 200
# (set over POST /api/admin/system/control), 210 operators, simulated time scale 0.02 (mean call
# ~2 s, so a round drains in ~2 minutes), one attempt per lead. sla-adherence.py measures per lead
# dial time - due time against its SLA, the queue's own slaMisses, how long freed lines stayed idle,
# EDF order and the drain time beside the theoretical minimum (sum of call durations / lines) of the
# same round. Env: LEADS (10000), ROUNDS (3), LINES (200), OPERATORS (210), TIME_SCALE (0.02),
# MIX (urgent:20,high:20,medium:40,low:20), LOW_REFERENCE=1 (one more round with every lead low).
source "$(dirname "$0")/lib.sh"
export IBRAT_SIM_TIME_SCALE="${TIME_SCALE:-0.02}" IBRAT_SIM_SEED=1 IBRAT_MAX_ATTEMPTS=1 \
  IBRAT_MAX_CONCURRENT_CALLS=5
start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
wait_http
extra=(); [ "${LOW_REFERENCE:-0}" = 1 ] && extra=(--low-reference)
python3 "$ROOT/scripts/bench/sla-adherence.py" "$URL" "$BENCH_DIR/ibrat.db" --leads "${LEADS:-10000}" \
  --rounds "${ROUNDS:-3}" --lines "${LINES:-200}" --operators "${OPERATORS:-210}" \
  --mix "${MIX:-urgent:20,high:20,medium:40,low:20}" "${extra[@]}"
