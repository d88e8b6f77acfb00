#!/usr/bin/env bash
# Realtime benchmark "mixed" (issue 16): 10,000 authenticated Socket.IO clients, half WebSocket and
# half long-polling, on a gateway at its default configuration pinned to core 0 (the Python client
# on core 1). Prints the JSON line of each round, then a summary: gateway RSS with them connected
# (< 200 MB), its CPU while they idle (< 5 % of a core), broadcast p99 (< 100 ms; WebSocket half
# by kernel receive timestamps). Env: ROUNDS (1), CLIENTS (10000), WINDOW (30 s).
source "$(dirname "$0")/realtime-lib.sh"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
realtime_rounds mixed "${ROUNDS:-1}" --clients "${CLIENTS:-10000}" --window "${WINDOW:-30}" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 scripts/bench/realtime-bench.py summary mixed "$out"
