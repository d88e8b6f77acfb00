#!/usr/bin/env bash
# Authenticated GET /api/operator/leads/available?limit=20 over 100,000 leads at 50 connections.
# Target (issue 2): >= 15,000 req/s with p99 < 10 ms. Reference in the same run: GET /health.
source "$(dirname "$0")/lib.sh"
LEADS="${LEADS:-100000}"; DURATION="${DURATION:-10s}"; ROUNDS="${ROUNDS:-3}"
export IBRAT_MAX_CONCURRENT_CALLS=1
start_with_leads  # lib.sh: daemons, TOKEN, queue paused, LEADS leads imported
available_rounds  # rps, p99, ref (lib.sh)
echo "available leads ($LEADS leads, 50 conns): median $(median "${rps[@]}") req/s, p99 median $(median "${p99[@]}") ms; /health reference median $(median "${ref[@]}") req/s (targets: >= 15000 req/s, p99 < 10 ms)"
