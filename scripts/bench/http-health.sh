#!/usr/bin/env bash
# GET /health on the gateway vs Node's built-in http hello-world, side by side in one run.
# Server pinned to core 0, wrk to core 1; ROUNDS alternating rounds; prints medians and the ratio.
# Targets: gateway >= 1.5x Node's requests per second (issues 2, 10), >= 2x (issue 16).
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-5s}"; CONNS="${CONNS:-50}"
# The default configuration (DESIGN §11, issue 10): default log level (info; /health is logged at
# debug) and the rate limit on (/health is exempt from it), not lib.sh's quieter bench settings.
unset IBRAT_RATE_LIMIT IBRAT_USER_RATE_LIMIT IBRAT_LOG_LEVEL
echo "gateway configuration: defaults (IBRAT_LOG_LEVEL=info, IBRAT_RATE_LIMIT=100/900, IBRAT_USER_RATE_LIMIT=1000/900)" >&2
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
# Besides req/s, the CPU time each server spends per request (utime+stime from /proc over the
# wrk run): on a shared, busy machine throughput swings with the neighbours, CPU per request much less.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
run_wrk() { # pid url -> "req/s cpu-us-per-request"
  local before after out
  before=$(ticks "$1")
  out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "$2")
  after=$(ticks "$1")
  python3 -c "import sys,re
out=sys.argv[1]; rps=float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
n=int(re.search(r'(\d+) requests in', out).group(1)); cpu=(int(sys.argv[3])-int(sys.argv[2]))/int(sys.argv[4])
print(f'{rps:.1f} {cpu*1e6/max(n,1):.2f}')" "$out" "$before" "$after" "$HZ"
}
gw=(); nd=(); ratios=(); gcpu=(); ncpu=()
for r in $(seq 1 "$ROUNDS"); do
  read -r g_rps g_cpu < <(run_wrk "${PIDS[api-gateway]}" "$URL/health")
  read -r n_rps n_cpu < <(run_wrk "${PIDS[node]}" "http://127.0.0.1:$NODE_PORT/")
  gw+=("$g_rps"); nd+=("$n_rps"); gcpu+=("$g_cpu"); ncpu+=("$n_cpu")
  ratios+=("$(python3 -c "print(f'{$g_rps/$n_rps:.3f}')")")
  echo "round $r: gateway $g_rps req/s ($g_cpu µs CPU/req), node $n_rps req/s ($n_cpu µs CPU/req)," \
       "ratio ${ratios[-1]}x (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
med() { python3 -c 'import sys,statistics;print(f"{statistics.median(map(float,sys.argv[1:])):.2f}")' "$@"; }
g=$(median "${gw[@]}"); n=$(median "${nd[@]}"); gc=$(med "${gcpu[@]}"); nc=$(med "${ncpu[@]}")
echo "health: gateway median $g req/s, node median $n req/s, ratio $(python3 -c "print(f'{$g/$n:.2f}')")x;" \
  "median of the per-round ratios $(med "${ratios[@]}")x (targets: >= 1.5x issue 10, >= 2x issue 16);" \
  "CPU per request: gateway $gc µs, node $nc µs, node/gateway $(python3 -c "print(f'{$nc/$gc:.2f}')")x"
