#!/usr/bin/env bash
# The cost of GET /metrics (issue 15: scraping every second changes /health throughput and
# dispatch latency by under 2 %).
# 1. /health throughput: one gateway (with the queue and dialer daemons, so every scrape also asks
#    both over IPC), wrk -t1 -c$CONNS for $DURATION, ROUNDS alternating rounds without and with a
#    scraper reading /metrics once a second; gateway on core 0, wrk on core 1; medians and the change.
# 2. Dispatch latency: scripts/bench/dispatch-latency.sh twice on fresh systems, without and then
#    with the scraper (it finds the gateway by PORT); p50 and p99 compared.
# Env: ROUNDS (6), DURATION (5s), CONNS (50), SCRAPE_INTERVAL (1), DISPATCH_SAMPLES (300),
# IBRAT_BENCH_BIN_DIR (binaries to use instead of building).
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-6}"; DURATION="${DURATION:-5s}"; CONNS="${CONNS:-50}"; INTERVAL="${SCRAPE_INTERVAL:-1}"

scraper() { # url count-file: GET /metrics every INTERVAL s until killed; counts successful scrapes
  python3 - "$1" "$2" "$INTERVAL" <<'PY' &
import sys, time, urllib.request
url, count_file, interval = sys.argv[1], sys.argv[2], float(sys.argv[3])
n, next_at = 0, time.monotonic()
while True:
    try:
        with urllib.request.urlopen(url + "/metrics", timeout=5) as r:
            if r.status == 200 and r.read().startswith(b"# HELP"):
                n += 1
                open(count_file, "w").write(str(n))
    except OSError:
        pass
    next_at += interval
    time.sleep(max(0.0, next_at - time.monotonic()))
PY
  echo $!
}

start_daemon queue-daemon 1; start_daemon dialer-daemon 1; start_daemon api-gateway 0
wait_http
size=$(curl -fsS "$URL/metrics" | wc -c)
echo "GET /metrics: $size bytes, $(curl -fsS "$URL/metrics" | grep -vc '^#') samples" >&2
plain=(); scraped=(); scrapes=0
for r in $(seq 1 "$ROUNDS"); do
  plain+=("$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "$URL/health" | wrk_rps)")
  count_file="$BENCH_DIR/scrapes.$r"
  pid=$(scraper "$URL" "$count_file")
  sleep 0.2
  scraped+=("$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "$URL/health" | wrk_rps)")
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  n=$(cat "$count_file" 2>/dev/null || echo 0); scrapes=$((scrapes + n))
  echo "round $r: /health ${plain[-1]} req/s without, ${scraped[-1]} req/s with the scraper ($n scrapes)" >&2
done
p=$(median "${plain[@]}"); s=$(median "${scraped[@]}")
health_change=$(python3 -c "print(f'{($s - $p) / $p * 100:+.1f}')")
echo "health: median $p req/s without scraping, $s req/s scraping every ${INTERVAL}s ($scrapes scrapes): ${health_change} %"
for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
run_dispatch() { # port: prints the JSON line of dispatch-latency.sh
  PORT="$1" SAMPLES="${DISPATCH_SAMPLES:-300}" IBRAT_BENCH_BIN_DIR="$BIN" "$ROOT/scripts/bench/dispatch-latency.sh" \
    2>>"$BENCH_DIR/dispatch.log" | tail -n 1
}
quiet=$(run_dispatch "$(free_port)")
port=$(free_port)
pid=$(scraper "http://127.0.0.1:$port" "$BENCH_DIR/scrapes.dispatch")
busy=$(run_dispatch "$port")
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
python3 - "$quiet" "$busy" "$(cat "$BENCH_DIR/scrapes.dispatch" 2>/dev/null || echo 0)" <<'PY'
import json, sys
quiet, busy, scrapes = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
print(f"dispatch latency: p50 {quiet['p50_ms']:.0f} ms / p99 {quiet['p99_ms']:.0f} ms without scraping, "
      f"p50 {busy['p50_ms']:.0f} ms / p99 {busy['p99_ms']:.0f} ms scraping every second ({scrapes} scrapes); "
      f"created->initiated is timed in whole milliseconds")
PY
