#!/usr/bin/env bash
# Pacing (issue 14): a simulated hour with the real binaries, progressive then predictive on the
# same seed, for 5, 20 and 200 operators (the issue's shift: answer 0.3, machine 0.1, busy 0.15,
# no-answer 0.35, failed 0.1, default ring 2-20 s and talk 30-300 s, wrap-up 20 s, abandon wait
# 2 s, cap 3 %; 10,000 leads, 150 per operator when more), each hour at a time scale so it takes
# RUN_SECONDS real seconds (60; 120 from 100 operators up, so timers and IPC stay small against the
# scaled abandon wait); then the in-process simulation of the same model over 20 seeds and 5, 20
# and 200 operators (queue-daemon --simulate-pacing).
# Env: OPERATORS ("5 20 200"), LEADS, RUN_SECONDS, SEED (1), SWEEP=0 to skip the sweep, REAL=0 to
# skip the real runs. Each real run prints one JSON line per mode and a `ratio` line.
source "$(dirname "$0")/lib.sh"
export IBRAT_SIM_SEED="${SEED:-1}" IBRAT_SIM_P_ANSWER=0.3 IBRAT_SIM_P_MACHINE=0.1 \
  IBRAT_SIM_P_BUSY=0.15 IBRAT_SIM_P_NO_ANSWER=0.35 IBRAT_SIM_P_FAILED=0.1 IBRAT_WRAP_UP_SECONDS=20 \
  IBRAT_MAX_ATTEMPTS=1 IBRAT_MAX_CONCURRENT_CALLS=1000
if [ "${REAL:-1}" = 1 ]; then
  for operators in ${OPERATORS:-5 20 200}; do
    seconds="${RUN_SECONDS:-$([ "$operators" -ge 100 ] && echo 120 || echo 60)}"
    leads="${LEADS:-$(( operators * 150 > 10000 ? operators * 150 : 10000 ))}"
    export IBRAT_SIM_TIME_SCALE; IBRAT_SIM_TIME_SCALE=$(python3 -c "print(${seconds} / 3600)")
    echo "load average before $operators operators: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    results=()
    for mode in progressive predictive; do
      export STATE_DIRECTORY="$BENCH_DIR/$mode-$operators"
      mkdir -p "$STATE_DIRECTORY"
      start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
      wait_http
      line=$(python3 "$ROOT/scripts/bench/pacing.py" run "$URL" "$STATE_DIRECTORY/ibrat.db" "$mode" \
        --scale "$IBRAT_SIM_TIME_SCALE" --seconds "$seconds" --operators "$operators" --leads "$leads" \
        --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD")
      echo "$line"; results+=("$line")
      for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; wait "${PIDS[$name]}" 2>/dev/null || true; done
      PIDS=()
    done
    python3 - "${results[@]}" <<'PY'
import json, sys
base, pred = (json.loads(x) for x in sys.argv[1:3])
print(json.dumps({"part": "real-binaries ratio", "operators": base["operators"],
                  "talkRatio": round(pred["talkUtilisation"] / base["talkUtilisation"], 3) if base["talkUtilisation"] else None,
                  "abandonRate": pred["abandonRate"], "predictiveSays": pred["queueSays"]}))
PY
    echo "load average after $operators operators: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  done
fi
[ "${SWEEP:-1}" = 1 ] && python3 "$ROOT/scripts/bench/pacing.py" sweep "$BIN/queue-daemon"
exit 0
