#!/usr/bin/env bash
# GET /health on the gateway vs Node's built-in http hello-world, side by side in one run.
# Server pinned to core 0, wrk to core 1; ROUNDS alternating rounds; prints medians and the ratio.
# Target (issue 2): gateway >= 1.5x Node's requests per second.
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-5s}"; CONNS="${CONNS:-50}"
# The default configuration (DESIGN §11, issue 10): default log level (info; /health is logged at
# debug) and the rate limit on (/health is exempt from it), not lib.sh's quieter bench settings.
unset IBRAT_RATE_LIMIT IBRAT_LOG_LEVEL
echo "gateway configuration: IBRAT_LOG_LEVEL=info (default), IBRAT_RATE_LIMIT=100/900 (default)" >&2
start_daemon api-gateway 0
wait_http
NODE_PORT=$((PORT + 1))
taskset -c 0 node -e "
const http = require('http');
http.createServer((req, res) => {
  const body = JSON.stringify({status: 'OK', timestamp: new Date().toISOString(), uptime: process.uptime()});
  res.writeHead(200, {'Content-Type': 'application/json'}); res.end(body);
}).listen($NODE_PORT, '127.0.0.1');" &
PIDS[node]=$!
sleep 0.5
gw=(); nd=()
for r in $(seq 1 "$ROUNDS"); do
  gw+=("$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "$URL/health" | wrk_rps)")
  nd+=("$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$NODE_PORT/" | wrk_rps)")
  echo "round $r: gateway ${gw[-1]} req/s, node ${nd[-1]} req/s" >&2
done
g=$(median "${gw[@]}"); n=$(median "${nd[@]}")
echo "health: gateway median $g req/s, node median $n req/s, ratio $(python3 -c "print(f'{$g/$n:.2f}')")x (target >= 1.5x)"
