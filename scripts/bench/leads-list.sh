#!/usr/bin/env bash
# Authenticated GET /api/leads?limit=20 (an admin's first page, newest first) over 100,000 leads,
# 50 connections, the gateway alone on core 0, wrk on core 1. Target (issue 16): >= 30,000 req/s
# with p99 < 5 ms. Reference in the same run: GET /health.
# Default configuration (issue 16): log level info and both rate limits on; the per-user limit is
# raised (IBRAT_USER_RATE_LIMIT, default 1000/900) so that one benchmark user is not refused after
# 1,000 requests: the limiter still runs on every request. Any non-2xx answer fails the run.
source "$(dirname "$0")/lib.sh"
LEADS="${LEADS:-100000}"; DURATION="${DURATION:-10s}"; ROUNDS="${ROUNDS:-3}"
unset IBRAT_RATE_LIMIT IBRAT_LOG_LEVEL
export IBRAT_USER_RATE_LIMIT="${IBRAT_USER_RATE_LIMIT:-10000000/900}" IBRAT_MAX_CONCURRENT_CALLS=1
echo "gateway configuration: IBRAT_LOG_LEVEL=info (default), IBRAT_RATE_LIMIT=100/900 (default), IBRAT_USER_RATE_LIMIT=$IBRAT_USER_RATE_LIMIT; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
start_with_leads  # lib.sh: daemons, TOKEN, queue paused, LEADS leads imported
total=$(curl -fsS "$URL/api/leads?limit=20" -H "Authorization: Bearer $TOKEN" | python3 -c 'import sys,json; d=json.load(sys.stdin); print(d["pagination"]["total"], len(d["leads"]))')
echo "GET /api/leads?limit=20: total, rows = $total" >&2
cat > "$BENCH_DIR/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
p99_ms() { awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
# CPU time the gateway spends per request (utime+stime over the wrk run): on a busy machine req/s
# follows the neighbours, CPU per request much less.
ticks() { awk '{print $14 + $15}' "/proc/${PIDS[api-gateway]}/stat"; }
HZ=$(getconf CLK_TCK)
rps=(); p99=(); ref=(); ratio=(); cpu=()
for r in $(seq 1 "$ROUNDS"); do
  t0=$(ticks)
  out=$(taskset -c 1 wrk -t1 -c50 -d"$DURATION" --latency -s "$BENCH_DIR/auth.lua" "$URL/api/leads?limit=20")
  t1=$(ticks)
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out" >&2; echo "FAILED: non-2xx answers" >&2; exit 1; fi
  rps+=("$(echo "$out" | wrk_rps)"); p99+=("$(echo "$out" | p99_ms)")
  cpu+=("$(python3 -c "print(f'{($t1-$t0)/$HZ*1e6/$(echo "$out" | awk '/requests in/ {print $1}'):.1f}')")")
  ref+=("$(taskset -c 1 wrk -t1 -c50 -d5s "$URL/health" | wrk_rps)")
  ratio+=("$(python3 -c "print(f'{${rps[-1]}/${ref[-1]}:.2f}')")")
  echo "round $r: leads list ${rps[-1]} req/s p99 ${p99[-1]} ms; /health ${ref[-1]} req/s (list/health ${ratio[-1]}); ${cpu[-1]} µs gateway CPU per list request; load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
echo "leads list ($LEADS leads, limit=20, 50 conns, default configuration): median $(median "${rps[@]}") req/s, p99 median $(median "${p99[@]}") ms; /health reference median $(median "${ref[@]}") req/s, list/health median $(median "${ratio[@]}"); gateway CPU per list request median $(median "${cpu[@]}") µs (one core: $(python3 -c "print(round(1e6/$(median "${cpu[@]}")))") req/s at most) (targets: >= 30000 req/s, p99 < 5 ms)"
