#!/usr/bin/env bash
# The cost of GET /metrics (issue 15: scraping every second changes /health throughput and
# dispatch latency by under 2 %). Three measurements, all against the release binaries:
# 1. CPU per scrape: SCRAPES scrapes over one keep-alive connection, each daemon's CPU time
#    (utime+stime from /proc) before and after; the same for HEALTH_REQUESTS /health requests. The
#    gateway is one loop thread, so a scrape every second takes (CPU per scrape / 1 s) of the
#    capacity that serves /health: that fraction bounds the throughput change, whatever the noise.
#    The daemons' share is printed too (queue- and dialer-daemon run on wrk's core).
# 2. /health throughput A/B: wrk -t1 -c$CONNS for $DURATION, ROUNDS alternating rounds without and
#    with a scraper reading /metrics once a second (gateway on core 0, wrk on core 1); medians and
#    the median of the per-round changes. The scraper is one process for the whole run, started
#    before the first round (a Python start-up costs ~0.1 s of CPU, 2 % of a 5 s round on a
#    saturated 2-core machine: it used to start inside every "with" round), scraping on one
#    keep-alive connection like Prometheus, switched on by a flag file; a "with" round starts at
#    its first scrape. On a busy shared machine the spread between rounds is far above 2 %: read
#    it with the load. Each round also gives the gateway's CPU time per /health request (/proc
#    utime+stime over the wrk run / requests): while the gateway is CPU-bound its throughput is the
#    inverse, and that figure moves far less with the neighbours than req/s does.
# 3. Dispatch latency A/B: dispatch-latency.py on one fresh system (time scale 0.001, 5 lines,
#    5 operators), DISPATCH_ROUNDS rounds alternating without / with / with / without a scraper
#    thread reading /metrics once a second (keep-alive); mean (sub-millisecond: the mean of whole-ms differences),
#    p50 and p99 of each side's pooled samples.
# Env: SCRAPES (1000), HEALTH_REQUESTS (20000), ROUNDS (6), DURATION (5s), CONNS (50),
# DISPATCH_SAMPLES (300 per round), DISPATCH_ROUNDS (8), IBRAT_BENCH_BIN_DIR (binaries to use
# instead of building).
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-6}"; DURATION="${DURATION:-5s}"; CONNS="${CONNS:-50}"; INTERVAL=1
SCRAPES="${SCRAPES:-1000}"; HEALTH_REQUESTS="${HEALTH_REQUESTS:-20000}"

scraper() { # url flag-file count-file: one process for the whole run (its start-up stays outside the
  # measured rounds); while flag-file exists it GETs /metrics every INTERVAL s on one keep-alive
  # connection, as Prometheus does, and counts the good scrapes; otherwise it only looks at the flag.
  python3 - "$1" "$2" "$3" "$INTERVAL" >/dev/null 2>&1 <<'PY' &
import http.client, os, sys, time, urllib.parse
url, flag, count_file, interval = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
u = urllib.parse.urlparse(url)
conn, n, next_at = None, 0, time.monotonic()
while True:
    if os.path.exists(flag):
        for attempt in (0, 1):
            try:
                conn = conn or http.client.HTTPConnection(u.hostname, u.port, timeout=5)
                conn.request("GET", "/metrics")
                r = conn.getresponse()
                if r.status == 200 and r.read().startswith(b"# HELP"):
                    n += 1
                    open(count_file, "w").write(str(n))
                break
            except (OSError, http.client.HTTPException):
                conn = None  # closed while idle: reconnect once
    next_at += interval
    time.sleep(max(0.0, next_at - time.monotonic()))
PY
  echo $!
}

start_daemon queue-daemon 1; start_daemon dialer-daemon 1; start_daemon api-gateway 0
wait_http
size=$(curl -fsS "$URL/metrics" | wc -c)
echo "GET /metrics: $size bytes, $(curl -fsS "$URL/metrics" | grep -vc '^#') samples" >&2
cpu_ms() { awk '{printf "%d", ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }
keepalive() { # path count: sequential GETs on one connection
  python3 - "$PORT" "$1" "$2" <<'PY'
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for _ in range(int(sys.argv[3])):
    conn.request("GET", sys.argv[2])
    r = conn.getresponse(); r.read()
    assert r.status == 200, r.status
PY
}
measure_cpu() { # path count label
  local before=() after=() d
  for d in api-gateway queue-daemon dialer-daemon; do before+=("$(cpu_ms "${PIDS[$d]}")"); done
  keepalive "$1" "$2"
  for d in api-gateway queue-daemon dialer-daemon; do after+=("$(cpu_ms "${PIDS[$d]}")"); done
  python3 -c "
b, a, n = [int(x) for x in '${before[*]}'.split()], [int(x) for x in '${after[*]}'.split()], $2
print(f'$3: {n} requests, CPU per request: gateway {(a[0]-b[0])/n*1000:.1f} us, queue-daemon {(a[1]-b[1])/n*1000:.1f} us, '
      f'dialer-daemon {(a[2]-b[2])/n*1000:.1f} us')
print(' '.join(f'{(x - y) / n}' for x, y in zip(a, b)), file=open('$BENCH_DIR/cpu.$3', 'w'))"
}
measure_cpu /metrics "$SCRAPES" scrape
measure_cpu /health "$HEALTH_REQUESTS" health
python3 -c "
s, h = [float(x) for x in open('$BENCH_DIR/cpu.scrape').read().split()], float(open('$BENCH_DIR/cpu.health').read().split()[0])
total = sum(s)
print(f'bound: one scrape a second takes {s[0]:.2f} ms of the gateway loop per second = {s[0] / 10:.3f} % of its capacity '
      f'(= {s[0] / h:.0f} /health requests); all three daemons together {total:.2f} ms a second = {total / 10:.3f} % of one core')"
flag="$BENCH_DIR/scraping"; count_file="$BENCH_DIR/scrapes"
scraper_pid=$(scraper "$URL" "$flag" "$count_file")
sleep 1  # the scraper's start-up (interpreter, imports) happens here, outside every round
scraped_count() { cat "$count_file" 2>/dev/null || echo 0; }
health_round() { # prints "req/s gateway-CPU-us-per-request" of one wrk run
  local before out; before=$(cpu_ms "${PIDS[api-gateway]}")
  out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "$URL/health")
  echo "$(echo "$out" | wrk_rps) $(echo "$out" | awk -v b="$before" -v a="$(cpu_ms "${PIDS[api-gateway]}")" \
    '/requests in/ {printf "%.3f", (a - b) * 1000 / $1}')"
}
with_scraper() { # the scraper's first scrape starts the round
  local before; before=$(scraped_count); touch "$flag"
  for _ in $(seq 1 100); do [ "$(scraped_count)" != "$before" ] && break; sleep 0.02; done
  health_round; rm -f "$flag"
}
plain=(); scraped=(); changes=(); plain_cpu=(); scraped_cpu=(); scrapes=0
for r in $(seq 1 "$ROUNDS"); do
  # Odd rounds measure without the scraper first, even rounds with it first (no order bias).
  before=$(scraped_count)
  if [ $((r % 2)) -eq 1 ]; then a=$(health_round); b=$(with_scraper)
  else b=$(with_scraper); a=$(health_round); fi
  plain+=("${a% *}"); plain_cpu+=("${a#* }"); scraped+=("${b% *}"); scraped_cpu+=("${b#* }")
  n=$(( $(scraped_count) - before )); scrapes=$((scrapes + n))
  changes+=("$(python3 -c "print(f'{(${scraped[-1]} - ${plain[-1]}) / ${plain[-1]} * 100:+.1f}')")")
  echo "round $r: /health ${plain[-1]} req/s without, ${scraped[-1]} req/s with the scraper ($n scrapes): ${changes[-1]} %;" \
    "gateway CPU per request ${plain_cpu[-1]} / ${scraped_cpu[-1]} us" >&2
done
kill "$scraper_pid" 2>/dev/null; wait "$scraper_pid" 2>/dev/null || true
p=$(median "${plain[@]}"); s=$(median "${scraped[@]}")
health_change=$(python3 -c "print(f'{($s - $p) / $p * 100:+.1f}')")
echo "health A/B: median $p req/s without scraping, $s req/s scraping every ${INTERVAL}s ($scrapes scrapes): ${health_change} %;" \
  "median of the per-round changes $(median "${changes[@]}") %, $(printf '%s\n' "${changes[@]}" | grep -c '^-') of $ROUNDS rounds lower" \
  "(rounds without: ${plain[*]}; with: ${scraped[*]}; load average $(cut -d' ' -f1-3 /proc/loadavg))"
median3() { python3 -c 'import sys,statistics;print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }
pc=$(median3 "${plain_cpu[@]}"); sc=$(median3 "${scraped_cpu[@]}")
echo "health A/B by the gateway's CPU time per /health request (what bounds its throughput when it has a core," \
  "much less sensitive to the neighbours than req/s): median $pc us without, $sc us with the scraper:" \
  "$(python3 -c "print(f'{($sc - $pc) / $pc * 100:+.1f}')") %"
for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()

# Dispatch latency A/B on a fresh system (its own database), rounds alternating in the same run.
rm -f "$BENCH_DIR"/ibrat.db*
export IBRAT_SIM_TIME_SCALE=0.001 IBRAT_SIM_SEED=1 IBRAT_MAX_CONCURRENT_CALLS=5 IBRAT_USER_RATE_LIMIT=0  # 2,400 leads from one user
start_daemon queue-daemon; start_daemon dialer-daemon; start_daemon api-gateway
wait_http
python3 "$ROOT/scripts/bench/dispatch-latency.py" "$URL" "$BENCH_DIR/ibrat.db" --samples "${DISPATCH_SAMPLES:-300}" \
  --rounds "${DISPATCH_ROUNDS:-8}" --operators 5 --lines 5 --gap-ms 20 --scrape-every "$INTERVAL" \
  2>>"$BENCH_DIR/dispatch.log" | grep -v '^{' || true  # exits 1 when its own p99 target is missed
sed 's/^/  /' "$BENCH_DIR/dispatch.log" >&2
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
