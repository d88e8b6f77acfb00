# Shared helpers for the benchmarks: build release binaries, start/stop the daemons on a temp dir.
# Sourced by the bench scripts; not run on its own.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
scripts/install-deps --bench >&2
# IBRAT_BENCH_BIN_DIR: run binaries built elsewhere (e.g. .build-static/release) instead of building.
if [ -n "${IBRAT_BENCH_BIN_DIR:-}" ]; then
  BIN="$IBRAT_BENCH_BIN_DIR"
else
  swift build -c release >&2
  BIN="$(swift build -c release --show-bin-path)"
fi
BENCH_DIR="$(mktemp -d /tmp/ibrat-bench.XXXXXX)"
PORT="${PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}"
URL="http://127.0.0.1:$PORT"
ADMIN_EMAIL=bench@example.com
ADMIN_PASSWORD=bench-password-1
export STATE_DIRECTORY="$BENCH_DIR" IBRAT_HTTP_PORT="$PORT" IBRAT_RATE_LIMIT=0 IBRAT_LOG=stderr \
  IBRAT_LOG_LEVEL=warning IBRAT_ADMIN_EMAIL="$ADMIN_EMAIL" IBRAT_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  IBRAT_JWT_SECRET=bench-secret-0123456789abcdef0123456789
# Benchmarks run at any hour: the calling window (issue 12) is the whole day unless a script sets one.
export IBRAT_CALLING_HOURS="${IBRAT_CALLING_HOURS:-00:00-24:00}"
declare -A PIDS=()

start_daemon() { # name [taskset cpu]
  local name=$1 cpu=${2:-}
  if [ -n "$cpu" ]; then taskset -c "$cpu" "$BIN/$name" 2>>"$BENCH_DIR/$name.log" &
  else "$BIN/$name" 2>>"$BENCH_DIR/$name.log" & fi
  PIDS[$name]=$!
}
wait_http() {
  for _ in $(seq 1 200); do curl -fsS "$URL/health" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "gateway did not come up; log:" >&2; tail -20 "$BENCH_DIR/api-gateway.log" >&2; exit 1
}
stop_all() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then  # a failed run: show what the daemons said before their logs go
    for log in "$BENCH_DIR"/*.log; do
      [ -s "$log" ] && { echo "--- last lines of $(basename "$log"):" >&2; tail -20 "$log" >&2; }
    done
    for name in "${!PIDS[@]}"; do
      kill -0 "${PIDS[$name]}" 2>/dev/null || echo "--- $name (pid ${PIDS[$name]}) was not running" >&2
    done
  fi
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$BENCH_DIR"
}
trap stop_all EXIT
login() {
  curl -fsS "$URL/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])'
}
# Starts the three daemons (the gateway on core 0), logs in (TOKEN), pauses the queue so the leads
# stay as imported, and uploads LEADS generated leads (leads-list.sh, available-leads.sh).
start_with_leads() {
  start_daemon queue-daemon; start_daemon dialer-daemon
  start_daemon api-gateway 0
  wait_http
  TOKEN=$(login)
  curl -fsS "$URL/api/admin/system/control" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"action":"pause_queue"}' >/dev/null
  # ~64 bytes a row: enough MiB for LEADS rows (the rows are the same whatever the size asked for).
  python3 "$ROOT/scripts/bench/gen-leads-csv.py" "$BENCH_DIR/leads.csv" "$(( LEADS * 70 / 1048576 + 1 ))" 1 >/dev/null
  head -n $((LEADS + 1)) "$BENCH_DIR/leads.csv" > "$BENCH_DIR/100k.csv"
  curl -fsS "$URL/api/leads/upload-csv" -H "Authorization: Bearer $TOKEN" -F "csvFile=@$BENCH_DIR/100k.csv;type=text/csv" \
    | python3 -c 'import sys,json; print("import:", json.load(sys.stdin)["summary"])' >&2
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
median() { python3 -c 'import sys,statistics;v=[float(x) for x in sys.argv[1:]];print(f"{statistics.median(v):.1f}")' "$@"; }
wrk_rps() { awk '/Requests\/sec/ {print $2}'; }
# ROUNDS rounds of wrk on GET /api/operator/leads/available?limit=20 (50 connections, DURATION
# each, authenticated with $TOKEN) with a /health reference after each; fills rps, p99, ref.
available_rounds() {
  cat > "$BENCH_DIR/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
  rps=(); p99=(); ref=()
  local r out
  for r in $(seq 1 "$ROUNDS"); do
    out=$(taskset -c 1 wrk -t1 -c50 -d"$DURATION" --latency -s "$BENCH_DIR/auth.lua" "$URL/api/operator/leads/available?limit=20")
    rps+=("$(echo "$out" | wrk_rps)")
    p99+=("$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')")
    ref+=("$(taskset -c 1 wrk -t1 -c50 -d5s "$URL/health" | wrk_rps)")
    echo "round $r: available ${rps[-1]} req/s p99 ${p99[-1]} ms; /health ${ref[-1]} req/s" >&2
  done
}
