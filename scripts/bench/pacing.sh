#!/usr/bin/env bash
# Pacing (issue 14): a simulated hour with the real binaries, progressive then predictive on the
# same seed (OPERATORS 20, LEADS 10,000, answer 0.3, machine 0.1, busy 0.15, no-answer 0.35,
# failed 0.1, default ring 2-20 s and talk 30-300 s, wrap-up 20 s, abandon wait 2 s, cap 3 %), at
# time scale 1/60 so each hour takes RUN_SECONDS (60) real seconds; then the in-process simulation of
# the same model over 20 seeds and 5, 20 and 200 operators (queue-daemon --simulate-pacing).
# Env: OPERATORS, LEADS, RUN_SECONDS, SEED (1), SWEEP=0 to skip the sweep, REAL=0 to skip the real runs.
source "$(dirname "$0")/lib.sh"
SECONDS_REAL="${RUN_SECONDS:-60}"
SCALE=$(python3 -c "print(${SECONDS_REAL} / 3600)")
export IBRAT_SIM_TIME_SCALE="$SCALE" IBRAT_SIM_SEED="${SEED:-1}" IBRAT_SIM_P_ANSWER=0.3 IBRAT_SIM_P_MACHINE=0.1 \
  IBRAT_SIM_P_BUSY=0.15 IBRAT_SIM_P_NO_ANSWER=0.35 IBRAT_SIM_P_FAILED=0.1 IBRAT_WRAP_UP_SECONDS=20 \
  IBRAT_MAX_ATTEMPTS=1 IBRAT_MAX_CONCURRENT_CALLS=1000
if [ "${REAL:-1}" = 1 ]; then
  for mode in progressive predictive; do
    export STATE_DIRECTORY="$BENCH_DIR/$mode"
    mkdir -p "$STATE_DIRECTORY"
    start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
    wait_http
    python3 "$ROOT/scripts/bench/pacing.py" run "$URL" "$STATE_DIRECTORY/ibrat.db" "$mode" --scale "$SCALE" \
      --seconds "$SECONDS_REAL" --operators "${OPERATORS:-20}" --leads "${LEADS:-10000}" \
      --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD"
    for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; wait "${PIDS[$name]}" 2>/dev/null || true; done
    PIDS=()
  done
fi
[ "${SWEEP:-1}" = 1 ] && python3 "$ROOT/scripts/bench/pacing.py" sweep "$BIN/queue-daemon"
exit 0
