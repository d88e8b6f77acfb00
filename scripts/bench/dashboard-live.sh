#!/usr/bin/env bash
# Dashboards under live traffic (issue 16): the admin dashboard, the system status, the operator
# dashboard and the call, lead and user stats summaries over 1,000,000 leads and 2,000,000 calls
# while the real daemons run about RATE (100) call status changes a second, p50/p99 of each beside
# GET /health in the same run (dashboard-live.py). Default configuration: log level info, the rate
# limits on (every client authenticated as its own user). The data comes from dashboard-data.sh
# (generated once, migrated by the daemons, cached). Calls are simulated at time scale 0.01; the
# script steers the number of lines to hold the rate.
# Env: RATE (100), SECONDS_LOAD (90), IDLE (20), PACE (28 requests a second over all routes),
#      OPERATORS (80), LEADS, CALLS, CACHE (dashboard-data.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dashboard-data.sh"
unset IBRAT_RATE_LIMIT
export IBRAT_LOG_LEVEL=info IBRAT_SIM_TIME_SCALE="${TIME_SCALE:-0.01}" IBRAT_SIM_SEED=1
# The operator dashboard is measured for a generated operator with a long history (~11,000 leads
# assigned, ~48,000 calls): give them a password (SHA-512 crypt; the first login rehashes it).
python3 - "$BENCH_DIR/ibrat.db" <<'PY'
import crypt, sqlite3, sys, warnings
warnings.simplefilter("ignore")
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE users SET password_hash = ? WHERE email = 'op2@bench.example'",
           (crypt.crypt("live-bench-pass-1", crypt.mksalt(crypt.METHOD_SHA512)),))
db.commit()
PY
cat "$BENCH_DIR/ibrat.db" > /dev/null   # pages in the page cache: the measurement is not of the disk
start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
wait_http
python3 "$ROOT/scripts/bench/dashboard-live.py" "$URL" --rate "${RATE:-100}" --seconds "${SECONDS_LOAD:-90}" \
  --idle "${IDLE:-20}" --pace "${PACE:-28}" --operators "${OPERATORS:-80}"
